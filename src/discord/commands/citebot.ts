import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction } from 'discord.js';
import { buildReport, reportCsv, reportSince } from '../../community/report.ts';
import { CitebotError } from '../../core/errors.ts';
import type { Command, CommandContext } from '../command.ts';
import { parseCount } from '../input.ts';
import { renderFeedbackDisabled } from '../render/feedback.ts';
import { renderForgotten } from '../render/privacy.ts';
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
    .addSubcommand((sub) => sub.setName('forget-me').setDescription('Delete the questions you asked and the votes you cast in this server.')),
  async execute(interaction, context) {
    const subcommand = interaction.options.getSubcommand(false);
    if (subcommand === 'report') return report(interaction, context);
    if (subcommand === 'forget-me') return forgetMe(interaction, context);
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
  requireManageServer(interaction, '`/citebot report`');
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
