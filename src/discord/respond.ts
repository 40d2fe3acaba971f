import {
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
  type ChatInputCommandInteraction,
  type Message,
  type MessageContextMenuCommandInteraction,
  type RepliableInteraction,
} from 'discord.js';
import type { CommandContext } from './command.ts';
import { presentAnswer } from './feedback.ts';
import { settingsFor, takeCooldownTurn, threadName } from './guild-settings.ts';
import { renderCooldown } from './render/notices.ts';
import type { Reply } from './render/reply.ts';
import { loggableError } from './safe-error.ts';

/**
 * Send a reply only the user can see, whatever state the interaction is in. A public
 * "thinking…" placeholder is deleted first: the first follow-up after a defer would otherwise
 * replace it and inherit its (public) visibility.
 */
export async function replyPrivately(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral });
  } else if (interaction.deferred && !interaction.replied && interaction.ephemeral === true) {
    await interaction.editReply(reply);
  } else if (interaction.deferred && !interaction.replied) {
    await interaction.deleteReply();
    await interaction.followUp({ ...reply, flags: MessageFlags.Ephemeral });
  } else {
    await interaction.followUp({ ...reply, flags: MessageFlags.Ephemeral });
  }
}

/**
 * The `/ask` flow shared with "Find sources": take a cooldown turn, defer at once (the engine
 * may take seconds; Discord allows 3 before the interaction expires), search, then replace the
 * placeholder with the answer.
 */
export async function answerInteraction(
  interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction,
  question: string,
  context: CommandContext,
  options: { readonly ephemeral: boolean },
): Promise<void> {
  if (!(await takeTurn(interaction, context))) return;
  await interaction.deferReply(options.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
  const started = performance.now();
  const result = await context.engine.search(question, { k: context.settings.askPassages });
  const place = { guildId: interaction.guildId ?? undefined, channelId: interaction.channelId, userId: interaction.user.id, public: !options.ephemeral };
  const sent = await interaction.editReply(await presentAnswer(result, place, context));
  if (place.public && interaction.inGuild() && !interaction.channel?.isThread()) await openThread(sent, question, context);
  context.logger.info(
    {
      command: interaction.commandName,
      interactionId: interaction.id,
      hits: result.hits.length,
      abstained: result.abstained,
      ms: Math.round(performance.now() - started),
    },
    'answered',
  );
}

/** When the server asks for it, open a thread on a public answer, named from the question. A failure (no permission) costs the thread, not the answer. */
export async function openThread(answer: Message, question: string, context: CommandContext): Promise<void> {
  if (!(await settingsFor(context, answer.guildId)).answerInThread) return;
  try {
    await answer.startThread({ name: threadName(question) });
  } catch (error) {
    context.logger.warn({ err: loggableError(error), channelId: answer.channelId }, 'could not open a thread on the answer (missing Create Public Threads?)');
  }
}

/** Take a cooldown turn for the user (the server's window); when cooling down, say privately when to retry and return false. */
export async function takeTurn(interaction: RepliableInteraction, context: CommandContext): Promise<boolean> {
  const turn = await takeCooldownTurn(context, interaction.guildId, interaction.user.id);
  if (turn.ok) return true;
  await replyPrivately(interaction, renderCooldown(turn.retryAt));
  return false;
}

/** Discord answered 10062: the interaction expired (3 s to acknowledge, 15 min to follow up) before we replied. */
export function isExpiredInteraction(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownInteraction;
}

/** Discord answered 40060: someone (another instance of the bot?) already acknowledged this interaction. */
export function isAlreadyAcknowledged(error: unknown): boolean {
  return error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;
}
