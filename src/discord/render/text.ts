import { escapeMarkdown } from 'discord.js';
import { emphasisByLine } from '../../answer/emphasis.ts';
import type { TextRange } from '../../core/types.ts';

/** Appended where text was cut. */
export const ELLIPSIS = '…';

/**
 * Escape user or document text so Discord shows it literally: no bold/italic/strike/spoiler,
 * no code spans or fences, no headings, lists, masked links, block quotes or sub-text, and no
 * mention, channel, emoji, command or timestamp pills (`<@…>`, `<#…>`, `<:…>`, `</…>`, `<t:…>`
 * show as typed). Pings are prevented separately: every reply sends `allowedMentions: { parse: [] }`.
 *
 * Cost: escapeMarkdown's italic rule is quadratic in the input length (about 60 ms for 6,000
 * characters), so callers bound the text first (see {@link fitRendered}).
 */
export function escapeText(text: string): string {
  const escaped = escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped
    .replaceAll(/^(\s*)>/gm, '$1\\>') // block quote, which would swallow our own quote marks
    .replaceAll(/^(\s*)-#/gm, '$1\\-#') // sub-text
    .replaceAll(/<(?=[@#:/]|a:|t:|id:)/g, '\\<'); // mentions, channels, emoji, commands, timestamps
}

/**
 * Make text safe to put inside a fenced code block: no two backticks stay adjacent, so the
 * text can neither close our fence nor open one. Inside a code block nothing else is
 * interpreted, so this is the only change made to verbatim lines.
 */
export function neutraliseFences(text: string): string {
  return text.replaceAll(/`(?=`)/g, '`\u200b');
}

/** Quote every line of already-escaped text as a Discord block quote. */
export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
}

/** Bold, the one markup citebot adds inside a quote. */
const BOLD = '**';

/**
 * Document text as a Discord block quote: every line escaped and quoted, and the part of
 * `emphasis` (a range of `text`) on each line in bold. The text around and inside the emphasis
 * is escaped piece by piece, so document text can neither close citebot's bold early nor open
 * markup of its own.
 */
export function renderQuote(text: string, emphasis: TextRange | null): string {
  return emphasisByLine(text, emphasis)
    .map(({ line, emphasis: part }) =>
      part === null
        ? `> ${escapeText(line)}`
        : `> ${escapeText(line.slice(0, part.start))}${BOLD}${escapeText(line.slice(part.start, part.end))}${BOLD}${escapeText(line.slice(part.end))}`,
    )
    .join('\n');
}

/** Collapse runs of whitespace (including line breaks) to single spaces. */
export function collapseWhitespace(text: string): string {
  return text.replaceAll(/\s+/g, ' ').trim();
}

/**
 * Cut `text` to at most `max` characters including the trailing {@link ELLIPSIS}, at the last
 * word boundary when one is reasonably close (otherwise mid-word, never inside a surrogate pair).
 */
export function trimAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return max <= 0 ? '' : ELLIPSIS.slice(0, max);
  let cut = max - ELLIPSIS.length;
  // Prefer a whitespace boundary if it keeps at least half of what we could keep.
  const boundary = lastWhitespaceAtOrBefore(text, cut);
  if (boundary > cut / 2) cut = boundary;
  else if (isLowSurrogate(text.charCodeAt(cut))) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}${ELLIPSIS}`;
}

/**
 * Render `text` into at most `max` characters: whole if it fits, otherwise the longest prefix
 * whose rendering fits with a trailing {@link ELLIPSIS}, cut at a word boundary when one keeps at
 * least half of it (otherwise mid-word, never inside a surrogate pair).
 *
 * The raw text is cut and the prefix rendered, never the rendering cut: a cut rendering could
 * split an escape sequence or leave emphasis open. `render` may lengthen text (escaping,
 * quoting, emphasis) but must never shorten it, so only the first `max + 1` characters can
 * matter; prefix lengths are found by binary search, so a text is rendered O(log max) times.
 */
export function fitRendered(text: string, max: number, render: (text: string) => string): string {
  if (max <= 0) return '';
  const bounded = text.length > max ? text.slice(0, max + 1) : text;
  if (bounded === text) {
    const whole = render(text);
    if (whole.length <= max) return whole;
  }
  const cut = (length: number): string => {
    const prefix = bounded.slice(0, length).trimEnd();
    return prefix === '' ? '' : `${render(prefix)}${ELLIPSIS}`;
  };
  const fits = (length: number): boolean => cut(length).length <= max;
  // Longest prefix that fits: cut(0) is '' and always fits; lengths only grow the rendering.
  let low = 0;
  let high = bounded.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) low = middle;
    else high = middle - 1;
  }
  let best = isLowSurrogate(bounded.charCodeAt(low)) ? low - 1 : low;
  const boundary = lastWhitespaceAtOrBefore(bounded, best);
  if (boundary > best / 2 && fits(boundary)) best = boundary;
  const result = cut(best);
  return result.length <= max ? result : '';
}

/** Text for a one-line slot of at most `max` characters (an embed title): whitespace collapsed, escaped, cut to fit. */
export function fitLine(text: string, max: number): string {
  return fitRendered(collapseWhitespace(text), max, escapeText);
}

/**
 * Keep whole lines from the top while they fit in `room`; when not all fit, leave `reserve`
 * characters for the note that says what was left out.
 */
export function keepLines(lines: readonly string[], room: number, reserve: number): { kept: string[]; omitted: number } {
  const total = lines.reduce((sum, line) => sum + line.length, 0) + Math.max(0, lines.length - 1);
  if (total <= room) return { kept: [...lines], omitted: 0 };
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    const cost = line.length + (kept.length > 0 ? 1 : 0);
    if (used + cost + reserve > room) break;
    kept.push(line);
    used += cost;
  }
  return { kept, omitted: lines.length - kept.length };
}

function lastWhitespaceAtOrBefore(text: string, index: number): number {
  for (let i = index; i > 0; i -= 1) {
    if (/\s/.test(text.charAt(i))) return i;
  }
  return -1;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
