import { emphasisByLine } from '../../answer/emphasis.ts';
import type { TextRange } from '../../core/types.ts';

/** Appended where text was cut. */
export const ELLIPSIS = '…';

/*
 * Discord-safe text: citebot's own escaper.
 *
 * The model of Discord markdown it is built against is simple-markdown's (the parser Discord's
 * is derived from) with Discord's additions, and test/discord/support/discord-markdown.ts
 * implements that model to check it:
 * - a backslash before any ASCII punctuation shows that character (the escape rule), so every
 *   backslash written here is consumed and none shows;
 * - inline markup starts at `*` `_` `~` `|` `` ` `` (bold, italics, underline, strike, spoilers,
 *   code spans and fences of any length), `[` (masked links `[text](url)`), `<` (mentions,
 *   roles, channels, emoji, timestamps, slash-command mentions, `<id:…>`, autolinks) and
 *   `@everyone` / `@here`; each of these characters is escaped wherever it occurs, so a run of any
 *   length is escaped character by character and no pairing can form;
 * - line markup starts at a line's first visible character: `#` (headings), `-#` (sub-text),
 *   `-` `+` `*` and `1.` (lists), `>` (block quotes); that character is escaped;
 * - a plain URL (`https://…`, `steam://…`, to the first space or `<`, minus trailing
 *   punctuation) is one token whose text is its target. It is left verbatim and clickable: what
 *   a reader sees is where it goes, so it cannot phish, and escaping inside it would change the
 *   target. A URL that could be read differently by a parser ending URLs elsewhere (one holding
 *   `[` `]` `` ` `` `|` `*` or `\`, one glued to a preceding word, or one right before `<`, which
 *   would swallow the backslash escaping that `<`) is shown as text instead: its `:` is escaped.
 * Bidirectional controls are removed (see {@link cleanText}). Pings are also prevented
 * separately: every reply sends `allowedMentions: { parse: [] }`.
 */

/**
 * Bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069).
 * Invisible, they only change how the characters around them are displayed ("‮exe.troper"
 * reads "report.exe"), so they are removed: the text then shows in the order it is stored.
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** Line breaks other than `\n` that a parser may honour: shown as `\n`, so each gets its own quote mark and line-start escaping. */
const OTHER_LINE_BREAK = /[\r\u2028\u2029]/;

/** A text prepared for escaping, with a range of the original carried along (`null` when none was given or none is left). */
export interface CleanText {
  readonly text: string;
  readonly range: TextRange | null;
}

/**
 * Remove bidirectional controls and turn CR, CRLF, U+2028 and U+2029 into `\n`, mapping `range`
 * (of the original text) onto the result. Everything citebot shows from a document or a user
 * goes through this first; it only ever shortens text, which {@link fitRendered} relies on.
 */
export function cleanText(text: string, range: TextRange | null = null): CleanText {
  if (!needsCleaning(text)) return { text, range };
  const kept: string[] = [];
  let copied = 0;
  let removed = 0;
  // at[i]: where original index i lands in the result.
  const at = new Int32Array(text.length + 1);
  for (let i = 0; i < text.length; i += 1) {
    at[i] = i - removed;
    const code = text.charCodeAt(i);
    const drop = isBidiControl(code) || (code === CR && text.charCodeAt(i + 1) === LF); // a CR before \n: the \n is kept
    if (!drop && !isOtherLineBreak(code)) continue;
    kept.push(text.slice(copied, i), drop ? '' : '\n');
    copied = i + 1;
    if (drop) removed += 1;
  }
  at[text.length] = text.length - removed;
  kept.push(text.slice(copied));
  const out = kept.join('');
  const mapped = range === null ? null : { start: at[clampIndex(range.start, text.length)] ?? 0, end: at[clampIndex(range.end, text.length)] ?? 0 };
  return { text: out, range: mapped !== null && mapped.end > mapped.start ? mapped : null };
}

/** Does `text` change under {@link cleanText}? (Then it cannot be shown as inline code verbatim.) */
function needsCleaning(text: string): boolean {
  return BIDI_CONTROL.test(text) || OTHER_LINE_BREAK.test(text);
}

const CR = 0x0d;
const LF = 0x0a;

function isBidiControl(code: number): boolean {
  return code === 0x061c || code === 0x200e || code === 0x200f || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069);
}

function isOtherLineBreak(code: number): boolean {
  return code === CR || code === 0x2028 || code === 0x2029;
}

/** Plain URLs as Discord's parser finds them (simple-markdown's `url` rule, plus `steam://`). Sticky: tried at one position. */
const URL_AT = /(?:https?|steam):\/\/[^\s<]+[^<.,:;"')\]\s]/y;
/** Inside a URL, characters that would be markup if a parser ended the URL before them. */
const UNSAFE_IN_URL = /[[\]`|*\\]/;
/** A URL glued to a word (`xhttps://…`) may not be a URL to every parser. */
const WORD_CHARACTER = /[\p{L}\p{N}_]/u;
/** Escaped wherever they occur: they open inline markup, links, mentions and pills. */
const INLINE_MARKERS = '\\*_~|`[<';
/** Escaped as a line's first visible character: headings, sub-text, lists, block quotes. */
const LINE_MARKERS = '#-+>';
/** Where escaping may be needed anywhere in a line: an inline marker, or `@` (a mass mention may follow). */
const SPECIAL = /[\\*_~|`[<@]/g;
/** `@everyone` and `@here`, in any case, are mentions; escaping the `@` makes them text. */
const MASS_MENTION = /@(?:everyone|here)/iy;
/** A numbered list item (`12. `) at line start: the dot is escaped. */
const NUMBERED_ITEM = /^\s*\d+\.(?=\s|$)/;
/** Bold, the one markup citebot adds inside a quote. */
const BOLD = '**';

const H = 'h'.charCodeAt(0);
const S = 's'.charCodeAt(0);

/** A URL left live: `start`..`end` is the link; up to `runEnd` (the next whitespace or the line's end) nothing may be inserted, or the URL would absorb it. */
interface LiveUrl {
  readonly start: number;
  readonly end: number;
  readonly runEnd: number;
}

/** The live URLs of a line, and the `:` of every URL shown as text (to be escaped). */
function findUrls(line: string): { live: LiveUrl[]; delinked: Set<number> } {
  const live: LiveUrl[] = [];
  const delinked = new Set<number>();
  for (let i = 0; i < line.length; i += 1) {
    const code = line.charCodeAt(i);
    if (code !== H && code !== S) continue;
    URL_AT.lastIndex = i;
    const match = URL_AT.exec(line);
    if (match === null) continue;
    let runEnd = i;
    while (runEnd < line.length && !/[\s<]/.test(line.charAt(runEnd))) runEnd += 1;
    const glued = i > 0 && WORD_CHARACTER.test(line.charAt(i - 1));
    if (glued || line.charAt(runEnd) === '<' || UNSAFE_IN_URL.test(match[0])) {
      delinked.add(line.indexOf(':', i));
      continue; // a URL inside this one is checked on its own
    }
    live.push({ start: i, end: i + match[0].length, runEnd });
    i = runEnd - 1;
  }
  return { live, delinked };
}

/**
 * The bold pieces of `emphasis` on a line: the range without the live URLs (a URL absorbs any
 * marker next to it, and a `**` inside one could close the bold), trimmed of whitespace.
 */
function boldPieces(line: string, emphasis: TextRange | null, live: readonly LiveUrl[]): TextRange[] {
  if (emphasis === null) return [];
  let pieces: TextRange[] = [emphasis];
  for (const url of live) {
    pieces = pieces.flatMap(({ start, end }) =>
      [
        { start, end: Math.min(end, url.start) },
        { start: Math.max(start, url.runEnd + 1), end },
      ].filter((piece) => piece.end > piece.start),
    );
  }
  return pieces.flatMap(({ start, end }) => {
    let from = start;
    let to = end;
    while (from < to && /\s/.test(line.charAt(from))) from += 1;
    while (to > from && /\s/.test(line.charAt(to - 1))) to -= 1;
    return to > from ? [{ start: from, end: to }] : [];
  });
}

/**
 * Escape one line (no line breaks, already cleaned), with `emphasis` (a range of the line) in
 * bold. Linear: ordinary characters are copied in runs; only markers, `@`, the first visible
 * character, a list number's dot, the colon of a URL shown as text, bold boundaries and live URLs
 * stop the copy.
 */
function escapeLine(line: string, emphasis: TextRange | null): string {
  const { live, delinked } = findUrls(line);
  // Positions where something other than a plain copy happens, each with what to insert before it.
  const inserts = new Map<number, string>();
  const stopAt = (index: number, before = '') => inserts.set(index, (inserts.get(index) ?? '') + before);
  for (const piece of boldPieces(line, emphasis, live)) {
    stopAt(piece.start, BOLD);
    stopAt(piece.end, BOLD);
  }
  const firstVisible = line.search(/\S/);
  if (firstVisible >= 0) stopAt(firstVisible);
  const numbered = NUMBERED_ITEM.exec(line);
  const numberedDot = numbered === null ? -1 : numbered[0].length - 1;
  if (numberedDot >= 0) stopAt(numberedDot);
  for (const colon of delinked) stopAt(colon);
  const urlEnds = new Map(live.map((url) => [url.start, url.end]));
  for (const start of urlEnds.keys()) stopAt(start);
  const stops = [...inserts.keys()].sort((a, b) => a - b);

  const parts: string[] = [];
  let copied = 0;
  let stop = 0;
  SPECIAL.lastIndex = 0;
  let special = SPECIAL.exec(line)?.index ?? line.length;
  for (;;) {
    const nextStop = stops[stop] ?? line.length;
    const i = Math.min(special, nextStop);
    if (i >= line.length) break;
    parts.push(line.slice(copied, i));
    if (i === nextStop) {
      parts.push(inserts.get(i) ?? '');
      stop += 1;
    }
    const urlEnd = urlEnds.get(i);
    const c = line.charAt(i);
    MASS_MENTION.lastIndex = i;
    if (urlEnd !== undefined) {
      parts.push(line.slice(i, urlEnd)); // verbatim: no stop or marker lies inside a live URL
      copied = urlEnd;
    } else {
      const escaped =
        INLINE_MARKERS.includes(c) ||
        (c === '@' && MASS_MENTION.test(line)) ||
        (i === firstVisible && LINE_MARKERS.includes(c)) ||
        i === numberedDot ||
        delinked.has(i);
      parts.push(escaped ? `\\${c}` : c);
      copied = i + 1;
    }
    while ((stops[stop] ?? line.length) < copied) stop += 1;
    if (special < copied) {
      SPECIAL.lastIndex = copied;
      special = SPECIAL.exec(line)?.index ?? line.length;
    }
  }
  parts.push(line.slice(copied), inserts.get(line.length) ?? '');
  return parts.join('');
}

/**
 * Escape user or document text so Discord shows it literally (see the model above): no markup,
 * links other than plain visible URLs, mentions or pills; bidi controls removed; every line
 * escaped on its own. Linear in the length of the text.
 */
export function escapeText(text: string): string {
  return cleanText(text)
    .text.split('\n')
    .map((line) => escapeLine(line, null))
    .join('\n');
}

/**
 * Document text as a Discord block quote: every line escaped and quoted, and the part of
 * `emphasis` (a range of `text`) on each line in bold. Document text is escaped around and
 * inside the bold alike, so it can neither close citebot's bold early nor open markup of its own.
 */
export function renderQuote(text: string, emphasis: TextRange | null): string {
  const clean = cleanText(text, emphasis);
  return emphasisByLine(clean.text, clean.range)
    .map(({ line, emphasis: part }) => `> ${escapeLine(line, part)}`)
    .join('\n');
}

/** Shown for a line break inside a one-line slot (a file name may hold one): visible, and it cannot start a line. */
export const LINE_BREAK_SYMBOL = '\u2424';
const ANY_LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/g;

/**
 * Text for a one-line slot as inline code when that shows it verbatim, escaped text otherwise: a
 * backtick cannot sit in inline code, and bidi controls reorder code too (they are then removed
 * by escaping). A line break (legal in a file name) is shown as {@link LINE_BREAK_SYMBOL}: a code
 * span may run across lines, which would split a citation line and the layout around it.
 */
export function inlineCode(text: string): string {
  const oneLine = text.replaceAll(ANY_LINE_BREAK, LINE_BREAK_SYMBOL);
  return oneLine.includes('`') || needsCleaning(oneLine) ? escapeText(oneLine) : `\`${oneLine}\``;
}

/**
 * Make text safe to put inside a fenced code block: no two backticks stay adjacent, so the
 * text can neither close our fence nor open one, and bidi controls are removed. Inside a code
 * block nothing else is interpreted, so these are the only changes made to verbatim lines.
 */
export function neutraliseFences(text: string): string {
  return text.replaceAll(new RegExp(BIDI_CONTROL.source, 'g'), '').replaceAll(/`(?=`)/g, '`\u200b');
}

/** Quote every line of already-escaped text as a Discord block quote. */
export function blockQuote(text: string): string {
  return text
    .split('\n')
    .map((line) => `> ${line}`)
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
 * quoting, emphasis) but must never shorten it (so clean text with {@link cleanText} first), so
 * only the first `max + 1` characters can matter; prefix lengths are found by binary search, so
 * a text is rendered O(log max) times.
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
  return fitRendered(collapseWhitespace(cleanText(text).text), max, escapeText);
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

function clampIndex(index: number, length: number): number {
  return Math.max(0, Math.min(Math.trunc(index), length));
}
