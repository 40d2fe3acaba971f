/**
 * Per-server settings as the bot applies them: read from the database on every use (a primary-key
 * read, microseconds in SQLite), so a change made with `/citebot config` takes effect at once.
 */
import { ChannelType, PermissionFlagsBits, type Guild, type Message } from 'discord.js';
import { DEFAULT_GUILD_SETTINGS, type GuildSettings } from '../core/community-store.ts';
import type { CommandContext } from './command.ts';
import { collapseWhitespace, trimAtWord } from './render/text.ts';

/** Discord's limit on a thread name. */
export const THREAD_NAME_MAX = 100;
/** A thread with nothing to be named after still needs a name. */
const FALLBACK_THREAD_NAME = 'Question';
/** Channels citebot may be told to answer mentions in: where members write messages. */
const MENTION_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum]);

/** The server's settings, or the defaults in a DM or without community state. */
export async function settingsFor(context: CommandContext, guildId: string | null | undefined): Promise<GuildSettings> {
  if (context.community === undefined || guildId === null || guildId === undefined) return DEFAULT_GUILD_SETTINGS;
  return context.community.guildSettings(guildId);
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

/** What `mention-channels:` said: every channel, or these channel ids. */
export type ChannelListInput = { readonly kind: 'all' } | { readonly kind: 'channels'; readonly ids: readonly string[] } | { readonly kind: 'malformed'; readonly part: string };

/** Parses `all`, or channel mentions / ids separated by spaces or commas (`<#123> 456`). */
export function parseChannelList(text: string): ChannelListInput {
  const trimmed = text.trim();
  if (/^(all|every|\*)$/i.test(trimmed)) return { kind: 'all' };
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
  if (!MENTION_CHANNEL_TYPES.has(channel.type)) return `#${channel.name} is not a text, announcement or forum channel`;
  const me = guild.members.me;
  if (me === null || !me.permissionsIn(channel).has(PermissionFlagsBits.ViewChannel)) return `citebot cannot see #${channel.name} (give it View Channel there)`;
  return undefined;
}
