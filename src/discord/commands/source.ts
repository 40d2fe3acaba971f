import { InteractionContextType, SlashCommandBuilder } from 'discord.js';
import { CitebotError, notIndexedError } from '../../core/errors.ts';
import { describeRangePastEnd } from '../../core/input.ts';
import type { IndexedDocument } from '../../core/types.ts';
import type { Command } from '../command.ts';
import { parseLineRange } from '../input.ts';
import { DISCORD_LIMITS } from '../render/limits.ts';
import { renderLineRangeProblem } from '../render/notices.ts';
import { renderSource } from '../render/source.ts';
import { replyPrivately } from '../respond.ts';

/** `/source file:<autocomplete> lines:<12-15>`: quote lines of an indexed file verbatim. */
export const source = {
  kind: 'chat-input',
  data: new SlashCommandBuilder()
    .setName('source')
    .setDescription('Quote lines of an indexed document verbatim.')
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .addStringOption((option) =>
      option.setName('file').setDescription('The document, as cited (start typing to search)').setRequired(true).setAutocomplete(true),
    )
    .addStringOption((option) =>
      option.setName('lines').setDescription('A line range like 12-15, or one line like 12').setRequired(true),
    ),
  async execute(interaction, context) {
    const file = interaction.options.getString('file')?.trim() ?? '';
    const range = parseLineRange(interaction.options.getString('lines'));
    if (!range.ok) return replyPrivately(interaction, renderLineRangeProblem(range.problem));
    // Check against the in-memory summary first, so a typo gets a private answer at once
    // instead of a public "thinking…" that then disappears. The engine stays the authority.
    const { documents } = context.engine.summary();
    const known = documents.find((doc) => doc.file === file);
    if (known === undefined) throw notIndexedError(`“${file}” is not an indexed document.`, documents[0]?.file);
    checkRange(known, range.value.start, range.value.end);
    await interaction.deferReply();
    const excerpt = await context.engine.source(file, range.value.start, range.value.end);
    await interaction.editReply(renderSource(excerpt));
  },
  async autocomplete(interaction, context) {
    const typed = interaction.options.getFocused().trim().toLowerCase();
    const files = context.engine.summary().documents.map((doc) => doc.file);
    await interaction.respond(matchFiles(files, typed).map((file) => ({ name: file, value: file })));
  },
} satisfies Command;

function checkRange(doc: IndexedDocument, start: number, end: number): void {
  const pastEnd = describeRangePastEnd(doc.file, doc.lines, { start, end });
  if (pastEnd !== undefined) throw new CitebotError('SOURCE_BAD_RANGE', pastEnd);
}

/**
 * Files whose path contains what was typed: names starting with it first, then the rest, in
 * index order; at most 25 (Discord's limit), and only paths Discord accepts as a choice (≤100
 * characters).
 */
export function matchFiles(files: readonly string[], typed: string): string[] {
  const usable = files.filter((file) => file.length <= DISCORD_LIMITS.choiceValue);
  const needle = typed.toLowerCase();
  const starts = usable.filter((file) => baseName(file).toLowerCase().startsWith(needle) || file.toLowerCase().startsWith(needle));
  const contains = usable.filter((file) => !starts.includes(file) && file.toLowerCase().includes(needle));
  return [...starts, ...contains].slice(0, DISCORD_LIMITS.autocompleteChoices);
}

function baseName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
