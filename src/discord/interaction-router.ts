import type { AutocompleteInteraction, Interaction, RepliableInteraction } from 'discord.js';
import { isCitebotError } from '../core/errors.ts';
import type { ChatInputCommand, Command, CommandContext, MessageCommand } from './command.ts';
import { newErrorId } from './error-id.ts';
import { handleVoteButton, isVoteButton } from './vote-button.ts';
import { loggableError } from './safe-error.ts';
import { renderApology, renderProblem, renderShuttingDown, renderUnknownCommand } from './render/notices.ts';
import { isAlreadyAcknowledged, isExpiredInteraction, replyPrivately } from './respond.ts';

export interface InteractionRouterOptions {
  readonly commands: readonly Command[];
  readonly context: CommandContext;
  /** True once shutdown has begun: new commands get a "restarting" notice instead of starting work. */
  readonly isStopping: () => boolean;
}

/**
 * One entry point for every interaction. It never rejects: any failure in a handler becomes a
 * private reply (the error's hint for a CitebotError, otherwise an apology with a short error
 * id that is logged with the cause), and the bot keeps running.
 */
export function createInteractionRouter(options: InteractionRouterOptions): (interaction: Interaction) => Promise<void> {
  const { context, isStopping } = options;
  const { logger } = context;
  const chatInput = new Map<string, ChatInputCommand>();
  const messageCommands = new Map<string, MessageCommand>();
  for (const command of options.commands) {
    if (command.kind === 'chat-input') chatInput.set(command.data.name, command);
    else messageCommands.set(command.data.name, command);
  }

  return async (interaction) => {
    if (interaction.isAutocomplete()) {
      await routeAutocomplete(interaction, chatInput.get(interaction.commandName), context);
      return;
    }
    if (interaction.isButton() && isVoteButton(interaction.customId)) {
      try {
        if (isStopping()) await replyPrivately(interaction, renderShuttingDown());
        else await handleVoteButton(interaction, context);
      } catch (error) {
        await reportFailure(interaction, 'vote button', error, context);
      }
      return;
    }
    if (!interaction.isChatInputCommand() && !interaction.isMessageContextMenuCommand()) {
      logger.debug({ interactionId: interaction.id, type: interaction.type }, 'ignored an interaction citebot does not handle');
      return;
    }
    const name = interaction.commandName;
    try {
      if (isStopping()) {
        await replyPrivately(interaction, renderShuttingDown());
      } else if (interaction.isChatInputCommand()) {
        const command = chatInput.get(name);
        if (command === undefined) await unknownCommand(interaction, name, context);
        else await command.execute(interaction, context);
      } else {
        const command = messageCommands.get(name);
        if (command === undefined) await unknownCommand(interaction, name, context);
        else await command.execute(interaction, context);
      }
    } catch (error) {
      await reportFailure(interaction, name, error, context);
    }
  };
}

async function unknownCommand(interaction: RepliableInteraction, name: string, context: CommandContext): Promise<void> {
  context.logger.warn({ command: name, interactionId: interaction.id }, 'received a command citebot does not define (stale registration?)');
  await replyPrivately(interaction, renderUnknownCommand(name));
}

async function routeAutocomplete(
  interaction: AutocompleteInteraction,
  command: ChatInputCommand | undefined,
  context: CommandContext,
): Promise<void> {
  try {
    if (command?.autocomplete === undefined) {
      await interaction.respond([]);
      return;
    }
    await command.autocomplete(interaction, context);
  } catch (error) {
    if (isExpiredInteraction(error)) {
      // Normal when the user keeps typing: Discord drops the older autocomplete requests.
      context.logger.debug({ command: interaction.commandName }, 'autocomplete expired before it was answered');
      return;
    }
    context.logger.warn({ err: loggableError(error), command: interaction.commandName }, 'autocomplete failed');
    if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
  }
}

/** Turn a handler failure into something the user can read, and a log entry the operator can find. */
async function reportFailure(
  interaction: RepliableInteraction,
  command: string,
  error: unknown,
  context: CommandContext,
): Promise<void> {
  const { logger } = context;
  const where = { command, interactionId: interaction.id, userId: interaction.user.id };
  if (isExpiredInteraction(error)) {
    logger.warn({ ...where, code: 10062 }, 'the interaction expired before citebot acknowledged it; no reply is possible');
    return;
  }
  if (isAlreadyAcknowledged(error)) {
    logger.warn({ ...where, code: 40060 }, 'the interaction was already acknowledged elsewhere');
    return;
  }
  let reply;
  if (isCitebotError(error)) {
    logger.info({ ...where, code: error.code }, 'command rejected');
    reply = renderProblem(error.message, error.hint);
  } else {
    const errorId = newErrorId();
    logger.error({ ...where, errorId, err: loggableError(error) }, 'command failed');
    reply = renderApology(errorId);
  }
  try {
    await replyPrivately(interaction, reply);
  } catch (sendError) {
    logger.warn({ ...where, err: loggableError(sendError) }, 'could not tell the user about the failure');
  }
}
