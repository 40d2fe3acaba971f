/**
 * Duplicate grouping, honest about what is the same text. Pure.
 *
 * The same wire story printed by two outlets, or a caption repeated in one file, should be one
 * result that cites every place it appears, not five copies of one fact crowding out the rest.
 * But a quote may appear under a citation only if those lines hold that very text: "…the Islamic
 * State group" and "…the Daesh group" say the same thing in other words, and showing one under
 * the other's citation would put words in a document's mouth. So two kinds of twin:
 *
 * - `alsoIn`: the lines hold exactly this text, modulo whitespace and typographic variants of
 *   quotes, apostrophes and dashes (what outlets' style guides change);
 * - `similarIn`: the passage vectors are near-identical and so are the words, though not
 *   exactly — listed as "similar wording also at …", never quoted as this text.
 *
 * Vectors alone are not enough: a passage is embedded with its context (title, heading path and,
 * when short, the previous passage's end), so two neighbours under one heading can be 0.95 alike
 * while saying different things ("Default: `'err'`" and "The string key for the 'error' …"). On
 * the docs question sets, 70–90 % of the vector-near pairs were such neighbours, and the one shown
 * hid the other, which might be the answer. So the words must agree too: {@link sameWording}.
 */
import type { PassageKind, SourceSpan } from '../core/types.ts';
import { cosine } from './vector-math.ts';

export interface Collapsible {
  readonly label: number;
  readonly span: SourceSpan;
  readonly text: string;
  /** Read only when the text alone does not decide (it may be a getter that reads the vector lazily). */
  readonly vector: Float32Array;
  /** {@link comparableText} of `text`, when the caller has it already (the engine caches it per passage). */
  readonly comparable?: string;
  /** Code is compared line by line as well (see {@link sameWording}); absent, the text is prose. */
  readonly kind?: PassageKind;
}

/**
 * Least Dice overlap of two passages' word sets for them to be the same thing in other words.
 * Measured on the vector-near pairs (cosine ≥ the profile's duplicateAbove) of the four question
 * sets' answers: the retold wire sentences of the seeds ("defence"/"defense", "has said"/"said on
 * Thursday", one added clause) and a repeated docs paragraph score 0.90–1.00; neighbours that share
 * only their context score at most 0.67.
 */
export const SAME_WORDING_AT_LEAST = 0.8;

const WORD = /[\p{L}\p{N}]+/gu;

/** Dice coefficient of two sets: 2·|A ∩ B| / (|A| + |B|), 1 for two empty sets. */
function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size + b.size === 0) return 1;
  let shared = 0;
  for (const item of a) if (b.has(item)) shared++;
  return (2 * shared) / (a.size + b.size);
}

const wordSet = (text: string) => new Set(text.toLowerCase().match(WORD) ?? []);
const lineSet = (text: string) => new Set(text.split('\n').map((line) => line.trim()).filter((line) => line !== ''));

/**
 * Whether two texts say the same thing in (slightly) other words: their word sets overlap by at
 * least {@link SAME_WORDING_AT_LEAST}, and, for code, so do their lines — two examples built from
 * the same identifiers (`{ 'content-length': '123' }` and `['content-length', '123']`) are
 * different code. Pure.
 */
export function sameWording(a: string, b: string, kind: PassageKind = 'text'): boolean {
  if (dice(wordSet(a), wordSet(b)) < SAME_WORDING_AT_LEAST) return false;
  return kind !== 'code' || dice(lineSet(a), lineSet(b)) >= SAME_WORDING_AT_LEAST;
}

export interface CollapsedGroup<T extends Collapsible> {
  readonly best: T;
  readonly alsoIn: SourceSpan[];
  readonly similarIn: SourceSpan[];
}

const TYPOGRAPHIC_VARIANTS: readonly (readonly [RegExp, string])[] = [
  [/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'"],
  [/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"'],
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-'],
  [/\u2026/g, '...'],
];

/** Any character one of {@link TYPOGRAPHIC_VARIANTS} folds: most passages have none, and one scan tells. */
const ANY_VARIANT = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2026]/;

/** The form two texts are compared in: typographic variants folded, whitespace runs collapsed, trimmed. */
export function comparableText(text: string): string {
  let folded = text;
  if (ANY_VARIANT.test(text)) for (const [pattern, replacement] of TYPOGRAPHIC_VARIANTS) folded = folded.replace(pattern, replacement);
  return folded.replace(/\s+/g, ' ').trim();
}

/**
 * Groups `ranked` (best first): an item with the same comparable text as an earlier group's best
 * item joins its `alsoIn`; otherwise one whose vector is at least `threshold` similar and whose
 * words are the same wording ({@link sameWording}) joins its `similarIn`; otherwise it starts a new
 * group, until `limit` groups exist (later items only join).
 */
export function collapseDuplicates<T extends Collapsible>(ranked: readonly T[], threshold: number, limit: number): CollapsedGroup<T>[] {
  const groups: (CollapsedGroup<T> & { readonly key: string })[] = [];
  for (const item of ranked) {
    const key = item.comparable ?? comparableText(item.text);
    const same = groups.find((group) => group.key === key);
    if (same !== undefined) {
      same.alsoIn.push(item.span);
      continue;
    }
    // Read once, and not for the first item (nothing to compare it with).
    const vector = groups.length > 0 ? item.vector : undefined;
    const similar = vector === undefined ? undefined : groups.find((group) => cosine(group.best.vector, vector) >= threshold && sameWording(group.best.text, item.text, item.kind));
    if (similar !== undefined) {
      similar.similarIn.push(item.span);
    } else if (groups.length < limit) {
      groups.push({ best: item, alsoIn: [], similarIn: [], key });
    }
  }
  return groups.map(({ best, alsoIn, similarIn }) => ({ best, alsoIn, similarIn }));
}
