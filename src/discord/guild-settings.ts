/**
 * Per-server settings as the bot applies them: read from the database on every use (a primary-key
 * read, microseconds in SQLite), so a change made with `/citebot config` takes effect at once.
 */
import { ChannelType, PermissionFlagsBits, type Guild, type Message } from 'discord.js';
import { DEFAULT_GUILD_SETTINGS, type GuildSettings } from '../core/community-store.ts';
import type { CommandContext } from './command.ts';
import type { CooldownResult } from './cooldown.ts';
import { collapseWhitespace, trimAtWord } from './render/text.ts';

/** Discord's limit on a thread name. */
export const THREAD_NAME_MAX = 100;
/** A thread with nothing to be named after still needs a name. */
const FALLBACK_THREAD_NAME = 'Question';
/** Channels citebot may be told to answer in (mentions, auto-answer): where members write messages or posts. */
const MENTION_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum, ChannelType.GuildMedia]);
/** Channels whose threads are posts: a new thread there is a new question. */
const POST_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildForum, ChannelType.GuildMedia]);
/** Milliseconds per second, for the cooldown given in seconds. */
const MS_PER_SECOND = 1000;

/**
 * `/citebot config cooldown:` accepts 0 (off) to 3600 seconds, the range of CITEBOT_COOLDOWN_SECONDS:
 * more than an hour between questions is not a cooldown but a ban.
 */
export const COOLDOWN_SECONDS_RANGE = { min: 0, max: 3600 } as const;

/** The server's settings, or the defaults in a DM or without community state. */
export async function settingsFor(context: CommandContext, guildId: string | null | undefined): Promise<GuildSettings> {
  if (context.community === undefined || guildId === null || guildId === undefined) return DEFAULT_GUILD_SETTINGS;
  return context.community.guildSettings(guildId);
}

/** The cooldown window in this server, in ms: its own setting, else the bot's default. */
export function cooldownWindowMs(settings: GuildSettings, context: CommandContext): number {
  return (settings.cooldownSeconds ?? context.settings.cooldownSeconds) * MS_PER_SECOND;
}

/**
 * Take a cooldown turn for a member. A server with its own cooldown (`/citebot config cooldown:`)
 * counts its members' turns itself (keyed by server and member: its window says nothing about
 * another server's); everywhere else (DMs, servers on the default) one turn per member covers all
 * of them, as before per-server cooldowns existed, so a member cannot go past the cooldown by
 * alternating between a DM and a server. If the database cannot say, the default applies.
 */
export async function takeCooldownTurn(context: CommandContext, guildId: string | null | undefined, userId: string): Promise<CooldownResult & { readonly windowMs: number }> {
  const settings = guildId === null || guildId === undefined ? DEFAULT_GUILD_SETTINGS : await settingsFor(context, guildId).catch(() => DEFAULT_GUILD_SETTINGS);
  if (settings.cooldownSeconds === null) return { ...context.cooldown.take(userId), windowMs: context.cooldown.defaultWindowMs };
  const windowMs = cooldownWindowMs(settings, context);
  return { ...context.cooldown.take(`${guildId ?? ''}:${userId}`, windowMs), windowMs };
}

/**
 * Why citebot would answer a message that does not mention it (only read when the Message Content
 * intent delivers such messages): a new message in an auto-answer text channel, the first message
 * of a new post in an auto-answer forum, or a message in a thread citebot opened (a follow-up).
 */
export type UnmentionedKind = 'auto-channel' | 'forum-post' | 'own-thread';

/** Which {@link UnmentionedKind} a guild message is, or undefined when citebot should not read it. */
export function unmentionedKind(message: Message<true>, settings: GuildSettings, botId: string): UnmentionedKind | undefined {
  const channel = message.channel;
  if (!channel.isThread()) return settings.autoAnswerChannels.includes(channel.id) ? 'auto-channel' : undefined;
  if (channel.ownerId === botId) return 'own-thread';
  const parent = channel.parent;
  // A forum post's first message has the post's (thread's) id; later messages are the discussion.
  const isNewPost = parent !== null && POST_CHANNEL_TYPES.has(parent.type) && message.id === channel.id;
  return isNewPost && settings.autoAnswerChannels.includes(parent.id) ? 'forum-post' : undefined;
}

/** Whether a mention in this message's channel (or, in a thread, its parent channel) should be answered. */
export async function mentionAllowed(context: CommandContext, message: Message): Promise<boolean> {
  if (!message.inGuild()) return true;
  const { mentionChannels } = await settingsFor(context, message.guildId);
  if (mentionChannels.length === 0) return true;
  const parentId = message.channel.isThread() ? message.channel.parentId : null;
  return mentionChannels.includes(message.channelId) || (parentId !== null && mentionChannels.includes(parentId));
}

/** A thread name from the question: one line, at most {@link THREAD_NAME_MAX} characters, cut at a word. */
export function threadName(question: string): string {
  const line = trimAtWord(collapseWhitespace(question), THREAD_NAME_MAX);
  return line === '' ? FALLBACK_THREAD_NAME : line;
}

/** What `mention-channels:` or `auto-answer-channels:` said: every channel, none, or these channel ids. */
export type ChannelListInput =
  | { readonly kind: 'all' }
  | { readonly kind: 'none' }
  | { readonly kind: 'channels'; readonly ids: readonly string[] }
  | { readonly kind: 'malformed'; readonly part: string };

/** Parses `all`, `none`, or channel mentions / ids separated by spaces or commas (`<#123> 456`). */
export function parseChannelList(text: string): ChannelListInput {
  const trimmed = text.trim();
  if (/^(all|every|\*)$/i.test(trimmed)) return { kind: 'all' };
  if (/^(none|off|-)$/i.test(trimmed)) return { kind: 'none' };
  const ids: string[] = [];
  for (const part of trimmed.split(/[\s,]+/).filter((p) => p !== '')) {
    const match = /^(?:<#(\d{17,20})>|(\d{17,20}))$/.exec(part);
    if (match === null) return { kind: 'malformed', part };
    const id = match[1] ?? match[2] ?? '';
    if (!ids.includes(id)) ids.push(id);
  }
  return ids.length === 0 ? { kind: 'malformed', part: trimmed } : { kind: 'channels', ids };
}

/** Why a channel cannot be a mention channel, or undefined when it can: it must be in this server, a text or forum channel, and visible to citebot. */
export function channelProblem(guild: Guild, id: string): string | undefined {
  // Named, not mentioned: the problem is shown escaped (as text), where a mention would not render.
  const channel = guild.channels.cache.get(id);
  if (channel === undefined) return `channel ${id} is not a channel of this server`;
  if (!MENTION_CHANNEL_TYPES.has(channel.type)) return `#${channel.name} is not a text, announcement, forum or media channel`;
  const me = guild.members.me;
  if (me === null || !me.permissionsIn(channel).has(PermissionFlagsBits.ViewChannel)) return `citebot cannot see #${channel.name} (give it View Channel there)`;
  return undefined;
}
