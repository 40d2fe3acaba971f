import type { APIEmbed } from 'discord.js';
import type { SourceExcerpt } from '../../core/types.ts';
import { citationText } from './citation.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { fitLine, keepLines, neutraliseFences, trimAtWord } from './text.ts';

const FENCE_OPEN = '```text\n';
const FENCE_CLOSE = '\n```';

/**
 * Render `/source`: the requested lines verbatim in a code block, each prefixed with its line
 * number. Inside the block nothing is interpreted; only backtick runs are broken up (see
 * {@link neutraliseFences}). Lines that do not fit are left out and the reply says which.
 */
export function renderSource(excerpt: SourceExcerpt): Reply {
  const title = fitLine(citationText(excerpt), DISCORD_LIMITS.embedTitle);
  const width = String(excerpt.endLine).length;
  const rendered = excerpt.lines.map(({ number, text }) => `${String(number).padStart(width)} │ ${neutraliseFences(text)}`);

  const room = DISCORD_LIMITS.embedDescription - FENCE_OPEN.length - FENCE_CLOSE.length;
  // Reserve room for the longest possible note (the widest line number).
  const reserve = noteFor(excerpt.endLine, excerpt.endLine).length;
  const { kept, omitted } = keepLines(rendered, room, reserve);
  const body = kept.length > 0 ? kept : [trimAtWord(rendered[0] ?? '', room - reserve)];
  const omittedNote = omitted > 0 ? omissionNote(excerpt, body.length) : '';
  const description = `${FENCE_OPEN}${body.join('\n')}${FENCE_CLOSE}${omittedNote}`;
  const embed: APIEmbed = { color: COLOURS.source, title, description };
  return makeReply({ embeds: [embed] });
}

function omissionNote(excerpt: SourceExcerpt, firstOmittedIndex: number): string {
  const first = excerpt.lines[firstOmittedIndex]?.number;
  return first === undefined ? '' : noteFor(first, excerpt.endLine);
}

function noteFor(first: number, last: number): string {
  return `\nLines ${first}–${last} are not shown (too long for one message); ask for a smaller range.`;
}
