import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import type { Command } from '../command.ts';
import { renderSources } from '../render/sources.ts';

/** `/sources`: the indexed documents with paragraph counts, and when the index was built. Answered from memory, no defer needed. */
export const sources = {
  kind: 'chat-input',
  data: new SlashCommandBuilder()
    .setName('sources')
    .setDescription('List the indexed documents and when the index was built.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM),
  async execute(interaction, context) {
    await interaction.reply(renderSources(context.engine.summary()));
  },
} satisfies Command;
