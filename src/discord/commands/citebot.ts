import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { buildReport, reportCsv, reportSince } from '../../community/report.ts';
import type { GuildSettings } from '../../core/community-store.ts';
import { CitebotError } from '../../core/errors.ts';
import type { Command, CommandContext } from '../command.ts';
import { parseCount } from '../input.ts';
import { renderFeedbackDisabled } from '../render/feedback.ts';
import { channelProblem, COOLDOWN_SECONDS_RANGE, parseChannelList } from '../guild-settings.ts';
import { renderForgotten } from '../render/privacy.ts';
import { renderSettings } from '../render/settings.ts';
import { renderReport, reportFileName } from '../render/report.ts';
import { replyPrivately } from '../respond.ts';

/** `/citebot report days:` accepts 1..365; without it, the last 30 days (a month of questions is what a docs writer plans from). */
export const REPORT_DAYS = { min: 1, max: 365, fallback: 30 } as const;

/**
 * `/citebot …`: the server-facing commands. Discord's default member permission is per command,
 * not per subcommand, and `forget-me` must stay usable by every member, so the admin subcommands
 * (`report`) check Manage Server themselves, at run time, from the permissions Discord computed
 * for the member in this channel.
 */
export const citebot = {
  kind: 'chat-input',
  data: new SlashCommandBuilder()
    .setName('citebot')
    .setDescription('citebot in this server: what it could not answer, and your stored data.')
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((sub) =>
      sub
        .setName('report')
        .setDescription('Questions the documents did not answer, answers voted Not helpful, the helpful rate (Manage Server).')
        .addIntegerOption((option) =>
          option.setName('days').setDescription(`How many days back (${REPORT_DAYS.min}-${REPORT_DAYS.max}, default ${REPORT_DAYS.fallback})`).setMinValue(REPORT_DAYS.min).setMaxValue(REPORT_DAYS.max),
        ),
    )
    .addSubcommand((sub) =>
      sub
        .setName('config')
        .setDescription('Show or change how citebot behaves in this server (Manage Server).')
        .addBooleanOption((option) => option.setName('answer-in-thread').setDescription('Public /ask answers open a thread on the answer'))
        .addBooleanOption((option) => option.setName('private-by-default').setDescription('/ask without private: answers only the asker'))
        .addStringOption((option) => option.setName('mention-channels').setDescription('Where @citebot is answered: #channels separated by spaces, or "all"'))
        .addStringOption((option) =>
          option.setName('auto-answer-channels').setDescription('Text/forum channels whose new messages/posts get answers (silent when unsure): #channels, or "none"'),
        )
        .addIntegerOption((option) =>
          option
            .setName('cooldown')
            .setDescription(`Seconds a member waits between questions (${COOLDOWN_SECONDS_RANGE.min}-${COOLDOWN_SECONDS_RANGE.max}, 0 = none)`)
            .setMinValue(COOLDOWN_SECONDS_RANGE.min)
            .setMaxValue(COOLDOWN_SECONDS_RANGE.max),
        ),
    )
    .addSubcommand((sub) => sub.setName('forget-me').setDescription('Delete the questions you asked and the votes you cast in this server.')),
  async execute(interaction, context) {
    const subcommand = interaction.options.getSubcommand(false);
    if (subcommand === 'report') return report(interaction, context);
    if (subcommand === 'forget-me') return forgetMe(interaction, context);
    if (subcommand === 'config') return configure(interaction, context);
    throw new CitebotError('CONFIG_INVALID', `“/citebot ${subcommand ?? ''}” is not a citebot command.`, {
      hint: "The command list may be out of date; ask the bot's operator to run `npm run register`.",
    });
  },
} satisfies Command;

function requireManageServer(interaction: ChatInputCommandInteraction, what: string): void {
  if (interaction.inGuild() && interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return;
  throw new CitebotError('PERMISSION_REQUIRED', `${what} is for members with the Manage Server permission.`);
}

async function report(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  requireManageServer(interaction, '/citebot report');
  const store = context.community;
  if (store === undefined) return replyPrivately(interaction, renderFeedbackDisabled());
  const guildId = interaction.guildId ?? '';
  const days = parseCount(interaction.options.getInteger('days'), REPORT_DAYS);
  // Private: the report quotes members' questions; it is for the admin who asked for it.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const now = Date.now();
  const answers = await store.answersSince(guildId, reportSince(now, days));
  const built = buildReport(answers, { guildId, days, now });
  const rendered = renderReport(built);
  await interaction.editReply(
    rendered.complete ? rendered.reply : { ...rendered.reply, files: [{ attachment: Buffer.from(reportCsv(built), 'utf8'), name: reportFileName(built) }] },
  );
  context.logger.info({ command: 'citebot report', guildId, days, questions: built.questions, complete: rendered.complete }, 'sent a report');
}

/** Any member: delete their questions and votes in this server, then confirm privately (after the commit). */
async function forgetMe(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  const store = context.community;
  if (store === undefined) return replyPrivately(interaction, renderFeedbackDisabled());
  const guildId = interaction.guildId ?? '';
  const outcome = await store.forgetMember(guildId, interaction.user.id);
  await replyPrivately(interaction, renderForgotten(outcome));
  context.logger.info({ command: 'citebot forget-me', guildId, ...outcome }, 'forgot a member');
}

/** Manage Server: show the settings, or validate and commit a change, then show them. */
async function configure(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void> {
  requireManageServer(interaction, '/citebot config');
  const store = context.community;
  if (store === undefined) return replyPrivately(interaction, renderFeedbackDisabled());
  const guildId = interaction.guildId ?? '';
  const change: { -readonly [K in keyof GuildSettings]?: GuildSettings[K] } = {};
  const thread = interaction.options.getBoolean('answer-in-thread');
  if (thread !== null) change.answerInThread = thread;
  const privately = interaction.options.getBoolean('private-by-default');
  if (privately !== null) change.privateByDefault = privately;
  const channels = interaction.options.getString('mention-channels');
  if (channels !== null) change.mentionChannels = validateChannels(interaction, channels, 'mention-channels');
  const auto = interaction.options.getString('auto-answer-channels');
  if (auto !== null) change.autoAnswerChannels = validateChannels(interaction, auto, 'auto-answer-channels');
  const cooldown = interaction.options.getInteger('cooldown');
  if (cooldown !== null) change.cooldownSeconds = validateCooldown(cooldown);
  const shown = { messageContent: context.settings.messageContent, defaultCooldownSeconds: context.settings.cooldownSeconds };
  if (Object.keys(change).length === 0) return replyPrivately(interaction, renderSettings(await store.guildSettings(guildId), false, shown));
  const saved = await store.updateGuildSettings(guildId, change, Date.now());
  // Only now, committed, is the change confirmed.
  await replyPrivately(interaction, renderSettings(saved, true, shown));
  context.logger.info({ command: 'citebot config', guildId, change }, 'changed server settings');
}

/** Discord enforces the option's range; checked again because a stale command registration (or a client) may send anything. */
function validateCooldown(seconds: number): number {
  if (Number.isInteger(seconds) && seconds >= COOLDOWN_SECONDS_RANGE.min && seconds <= COOLDOWN_SECONDS_RANGE.max) return seconds;
  throw new CitebotError('CONFIG_INVALID', `Nothing was changed: a cooldown of ${String(seconds).slice(0, 20)} seconds is not a whole number from ${COOLDOWN_SECONDS_RANGE.min} to ${COOLDOWN_SECONDS_RANGE.max}.`, {
    hint: `Give the whole seconds a member waits between questions, from ${COOLDOWN_SECONDS_RANGE.min} (no cooldown) to ${COOLDOWN_SECONDS_RANGE.max} (an hour).`,
  });
}

/** `mention-channels:` takes "all" (every channel: stored as []), `auto-answer-channels:` takes "none" ([]); both take #channels. */
function validateChannels(interaction: ChatInputCommandInteraction, text: string, option: 'mention-channels' | 'auto-answer-channels'): readonly string[] {
  const parsed = parseChannelList(text);
  const empty = option === 'mention-channels' ? 'all' : 'none';
  const hint = `Give channels as #mentions (type # and pick them) separated by spaces, or ${empty} for ${option === 'mention-channels' ? 'every channel citebot can see' : 'no channel'}.`;
  if (parsed.kind === 'all' || parsed.kind === 'none') {
    if (parsed.kind !== empty) throw new CitebotError('CONFIG_INVALID', `${option}: “${text.trim().slice(0, 20)}” is not accepted here.`, { hint });
    return [];
  }
  if (parsed.kind === 'malformed') throw new CitebotError('CONFIG_INVALID', `“${parsed.part.slice(0, 100)}” is not a channel.`, { hint });
  const guild = interaction.guild;
  if (guild === null) throw new CitebotError('CONFIG_INVALID', 'citebot cannot see this server’s channels yet.', { hint: 'Try again in a minute, once citebot has connected fully.' });
  const problems = parsed.ids.map((id) => channelProblem(guild, id)).filter((problem) => problem !== undefined);
  if (problems.length > 0) throw new CitebotError('CONFIG_INVALID', `Nothing was changed: ${problems.join('; ')}.`, { hint });
  return parsed.ids;
}
