import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../command.ts';
import { settingsFor } from '../guild-settings.ts';
import { parseQuestion } from '../input.ts';
import { renderQuestionProblem } from '../render/notices.ts';
import { answerInteraction, replyPrivately } from '../respond.ts';

/** `/ask question:<text> [private:<bool>]`: the best sentence as the answer, the passages verbatim, a citation each. */
export const ask = {
  kind: 'chat-input',
  data: new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Ask a question. The answer quotes the documents and cites the exact lines.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) => option.setName('question').setDescription('What do you want to know?').setRequired(true))
    .addBooleanOption((option) =>
      option.setName('private').setDescription('Only you see the answer (default: everyone in the channel sees it)'),
    ),
  async execute(interaction, context) {
    const question = parseQuestion(interaction.options.getString('question'), context.settings.maxQuestionLength);
    if (!question.ok) return replyPrivately(interaction, renderQuestionProblem(question.problem, 'question option'));
    // No private: option → the server's default (`/citebot config private-by-default:`).
    const ephemeral = interaction.options.getBoolean('private') ?? (await settingsFor(context, interaction.guildId)).privateByDefault;
    await answerInteraction(interaction, question.value, context, { ephemeral });
  },
} satisfies Command;
