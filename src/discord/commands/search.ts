import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../command.ts';
import { parseCount, parseQuestion } from '../input.ts';
import { SEARCH_RESULTS_RANGE } from '../options.ts';
import { renderQuestionProblem } from '../render/notices.ts';
import { renderSearch } from '../render/search.ts';
import { replyPrivately, takeTurn } from '../respond.ts';

/** `/search query:<text> [results:1-10]`: the top passages with citations and scores. */
export const search = {
  kind: 'chat-input',
  data: new SlashCommandBuilder()
    .setName('search')
    .setDescription('List the passages that best match a query, with citations and scores.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) => option.setName('query').setDescription('Words to look for').setRequired(true))
    .addIntegerOption((option) =>
      option
        .setName('results')
        .setDescription('How many passages to list (1-10)')
        .setMinValue(SEARCH_RESULTS_RANGE.min)
        .setMaxValue(SEARCH_RESULTS_RANGE.max),
    ),
  async execute(interaction, context) {
    const query = parseQuestion(interaction.options.getString('query'), context.settings.maxQuestionLength);
    if (!query.ok) return replyPrivately(interaction, renderQuestionProblem(query.problem, 'query option'));
    const results = parseCount(interaction.options.getInteger('results'), {
      ...SEARCH_RESULTS_RANGE,
      fallback: context.settings.searchResults,
    });
    if (!(await takeTurn(interaction, context))) return;
    await interaction.deferReply();
    // A search lists the best k, ranked; /ask shows only the passages that are themselves relevant.
    const result = await context.engine.search(query.value, { k: results, explain: true });
    await interaction.editReply(renderSearch(result, results));
  },
} satisfies Command;
