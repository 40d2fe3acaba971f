import type { APIEmbed } from 'discord.js';
import type { IndexSummary } from '../../core/types.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { escapeText, inlineCode, keepLines, trimAtWord } from './text.ts';

/** Render `/sources`: every indexed document with its paragraph count, and when the index was built. */
export function renderSources(summary: IndexSummary): Reply {
  const lines = summary.documents.map(
    (doc) => `${inlineCode(doc.file)} — ${plural(doc.paragraphs, 'paragraph')}, ${plural(doc.lines, 'line')}`,
  );
  const description = lines.length === 0 ? 'No documents are indexed.' : listWithin(lines, DISCORD_LIMITS.embedDescription);
  const built = new Date(summary.builtAt);
  const builtText = Number.isNaN(built.getTime())
    ? escapeText(summary.builtAt)
    : `<t:${Math.floor(built.getTime() / 1000)}:f> (<t:${Math.floor(built.getTime() / 1000)}:R>)`;
  const embed: APIEmbed = {
    color: COLOURS.source,
    title: `Indexed sources (${summary.documents.length})`,
    description,
    fields: [
      { name: 'Index built', value: fieldValue(builtText), inline: true },
      { name: 'Paragraphs', value: String(summary.paragraphs), inline: true },
      { name: 'Model', value: fieldValue(escapeText(summary.modelId)), inline: true },
    ],
  };
  return makeReply({ embeds: [embed] });
}

/** Shown for a value that is blank: Discord refuses a message with an empty field value. */
const UNKNOWN = 'unknown';

function fieldValue(text: string): string {
  return text.trim() === '' ? UNKNOWN : trimAtWord(text, DISCORD_LIMITS.fieldValue);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Join lines until `max` is reached, ending with "…and N more" when some did not fit. */
function listWithin(lines: readonly string[], max: number): string {
  const more = (n: number): string => `\n…and ${n} more`;
  const { kept, omitted } = keepLines(lines, max, more(lines.length).length);
  return omitted === 0 ? kept.join('\n') : `${kept.join('\n')}${more(omitted)}`;
}
