import { ApplicationCommandType, ContextMenuCommandBuilder, InteractionContextType } from 'discord.js';
import type { Command } from '../command.ts';
import { parseQuestion } from '../input.ts';
import { renderQuestionProblem } from '../render/notices.ts';
import { answerInteraction, replyPrivately } from '../respond.ts';

/**
 * "Find sources" in a message's Apps menu: answer the selected message's text like `/ask`.
 * Discord includes the target message's content in the interaction even without the
 * privileged MessageContent intent.
 */
export const findSources = {
  kind: 'message-context',
  data: new ContextMenuCommandBuilder()
    .setName('Find sources')
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  async execute(interaction, context) {
    const question = parseQuestion(interaction.targetMessage.content, context.settings.maxQuestionLength);
    if (!question.ok) return replyPrivately(interaction, renderQuestionProblem(question.problem, 'message'));
    await answerInteraction(interaction, question.value, context, { ephemeral: false });
  },
} satisfies Command;
