/**
 * What retrieval sees for a passage besides its own lines. Pure.
 *
 * Context is metadata, not text that is quoted: a passage is embedded and BM25-indexed with its
 * context in front, while only `text` is shown and only its own lines are cited. On
 * documentation the heading path is what says what a paragraph is about ("## Deferred responses"
 * over "Call this within three seconds…"); in a news story the previous paragraph is often what
 * says who "It" is. The two signals take context differently: BM25 adds up matching words, so a
 * short passage gains the words its neighbour lends it and keeps its own; one vector stands for
 * all of its text, so a short passage embedded with its neighbour's sentences becomes a copy of
 * the neighbour. Which context helps which signal is measured, not assumed (docs/design.md).
 */
import type { Paragraph } from '../core/types.ts';

/**
 * - `none`: the passage alone (citebot ≤ 0.1).
 * - `headings`: document title and heading path, then the passage.
 * - `headings+previous`: as `headings`, plus — for the lexical index only — the end of the
 *   previous passage of the same section when the passage itself is short (fewer than
 *   {@link SHORT_PASSAGE_WORDS} words). The vector sees title and heading path alone.
 */
export const RETRIEVAL_CONTEXTS = ['none', 'headings', 'headings+previous'] as const;
export type RetrievalContext = (typeof RETRIEVAL_CONTEXTS)[number];

/**
 * Passages shorter than this (in words) get the previous passage as context. Short passages are
 * the ones that do not say what they are about ("- **Default:** `'forks'`", "It is expected to
 * number up to 12,000 troops."); giving every passage its predecessor made long, self-contained
 * paragraphs match their neighbour's questions. Measured (hybrid, Recall@1): vitest-docs 0.500 →
 * 0.533, pino-docs 0.422 → 0.511, seeds 0.635 → 0.603; previous context for every passage: seeds
 * 0.349, vitest-docs 0.433 (docs/design.md).
 */
export const SHORT_PASSAGE_WORDS = 25;

/** Separates the parts of a heading path when it is shown and when it is embedded. */
export const HEADING_SEPARATOR = ' › ';

/**
 * Most characters of the previous passage taken as context (~60 model tokens): enough for the
 * sentence a pronoun refers back to, short enough that the passage's own words dominate.
 */
const PREVIOUS_CONTEXT_CHARS = 300;

/** The heading path with the document title in front unless the path already starts with it. */
export function headingPath(title: string, headings: readonly string[]): string[] {
  const path = headings.filter((heading) => heading.trim() !== '');
  if (title.trim() === '' || path[0]?.trim().toLowerCase() === title.trim().toLowerCase()) return path;
  return [title, ...path];
}

/** The end of `text` that fits `limit` characters, cut at a word boundary. */
function tail(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(text.length - limit);
  const space = cut.search(/\s/);
  return space === -1 ? cut : cut.slice(space + 1);
}

/**
 * The context of `passage` (empty when there is none): title and heading path, and for
 * `headings+previous` the end of `previous` when it lies in the same section.
 */
export function passageContext(
  passage: Pick<Paragraph, 'headings' | 'text'>,
  title: string,
  previous: Pick<Paragraph, 'text' | 'headings'> | undefined,
  mode: RetrievalContext,
): string {
  if (mode === 'none') return '';
  // A passage that opens with its title (a BEIR document's first passage) needs it only once.
  const ownTitle = passage.text.trimStart().startsWith(title.trim()) ? '' : title;
  const parts = [headingPath(ownTitle, passage.headings).join(HEADING_SEPARATOR)];
  if (previous !== undefined && borrowsPrevious(passage, previous, mode)) parts.push(tail(previous.text, PREVIOUS_CONTEXT_CHARS));
  return parts.filter((part) => part !== '').join('\n');
}

/**
 * Whether `passage` is retrieved with the end of `previous` as context: in `headings+previous`
 * mode, a short passage in the same section as the passage before it.
 */
export function borrowsPrevious(passage: Pick<Paragraph, 'headings' | 'text'>, previous: Pick<Paragraph, 'headings'>, mode: RetrievalContext): boolean {
  if (mode !== 'headings+previous') return false;
  const sameSection = previous.headings.join('\u0000') === passage.headings.join('\u0000');
  return sameSection && passage.text.split(/\s+/).filter(Boolean).length < SHORT_PASSAGE_WORDS;
}

/** What the lexical index reads for a passage: its context, then its own text. */
export function lexicalText(
  passage: Pick<Paragraph, 'headings' | 'text'>,
  title: string,
  previous: Pick<Paragraph, 'text' | 'headings'> | undefined,
  mode: RetrievalContext,
): string {
  const context = passageContext(passage, title, previous, mode);
  return context === '' ? passage.text : `${context}\n${passage.text}`;
}

/**
 * What the lexical index reads for passage `label` of `passages` (an index's passages in label
 * order, a file's passages contiguous): its previous passage is the one before it in the same file.
 */
export function lexicalTextAt(passages: readonly Pick<Paragraph, 'file' | 'headings' | 'text'>[], label: number, title: string, mode: RetrievalContext): string {
  const passage = passages[label] as Pick<Paragraph, 'file' | 'headings' | 'text'>;
  const before = passages[label - 1];
  return lexicalText(passage, title, before?.file === passage.file ? before : undefined, mode);
}

/**
 * What is embedded for a passage: title and heading path, then its own text — never the previous
 * passage, in any mode. Measured 2026-12-02 (strict `calibrate --score`, MRR@5, the same BM25
 * text both ways): the previous passage's end in the vector of a short passage, → without it:
 * seeds 0.708 → 0.717, pino-docs 0.719 → 0.735, undici-docs 0.699 → 0.683, and the held-out
 * vitest-docs 0.649 → 0.660 and fastify-docs 0.583 → 0.619.
 */
export function embeddedText(passage: Pick<Paragraph, 'headings' | 'text'>, title: string, mode: RetrievalContext): string {
  return lexicalText(passage, title, undefined, mode);
}
