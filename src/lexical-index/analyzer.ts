/**
 * Text analysis for the lexical (BM25) index: the same steps Lucene's English analyzer applies,
 * which is the setup behind the BM25 figures published for BEIR, plus code-aware tokens for
 * developer documentation. The stemmer is the one adapter over the `stemmer` package (Porter).
 *
 * Prose analyses as in Lucene: lower-cased words, stop words dropped, Porter-stemmed. An
 * identifier is indexed both whole and by its parts, the way code search engines tokenise it,
 * because a developer asks "how do I defer the reply" about `deferReply`:
 *
 *   `deferReply`                 → deferreply, defer, repli           (camelCase: the old stemmed word + its parts)
 *   `HTMLElement`, `toJSON`      → htmlelement, html, element; tojson, json   (acronym runs; "to" is a stop word)
 *   `snake_case_name`            → snake_case_name, snake, case, name
 *   `vi.mock`, `a#b`, `a::b`     → vi.mock, vi, mock; …             (connectors kept in the whole)
 *   `--run`, `max-workers`, `a/b` → --run, run; max-workers, max, worker; a/b, …
 *
 * A whole token with connectors is kept unstemmed: it is a name, matched exactly; its stemmed
 * parts already give the loose match. A whole without connectors (`deferReply`) is the word as
 * Lucene would have analysed it, so prose and existing matches keep exactly the terms they had.
 * Abbreviations and numbers keep the old treatment: `U.S.` → us, `e.g.` → eg, `9,600` → 9600,
 * `1.8` → 18.
 */
import { stemmer } from 'stemmer';

/** Lucene's default English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET) plus common question words. */
/**
 * Version of the analysis (tokens, identifier parts, stop words, stemming). Bump it whenever a
 * change here changes a term: BM25 postings built by another version would not match the query's
 * terms, so such an index is rebuilt.
 */
export const ANALYZER_VERSION = 2;

const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
  // Question words carry no topic; leaving them in makes every question match every "what" in the corpus.
  'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'do', 'does', 'did', 'has', 'have', 'had',
  'were', 'been', 'can', 'could', 'would', 'should', 'about',
]);

/**
 * A raw token: a run of letters and digits, joined to further runs by connectors, optionally
 * after a `--` flag prefix. Soft connectors (`.` `,` `'` `’`) are the old ones, which keep
 * `9,600` and `U.S.` together; hard connectors (`_` `-` `/` `#` `::`) join the parts of an
 * identifier. A `--` counts as a flag prefix only at the start of a token (not inside `1990--1995`).
 */
const TOKEN = /(?:(?<![\p{L}\p{N}_-])--(?=\p{L}))?[\p{L}\p{N}]+(?:(?:[.,'’_#/-]|::)[\p{L}\p{N}]+)*/gu;

/** Any character that can make a token more than one plain word: a hard connector, a dot, a case change. */
const MAYBE_COMPOUND = /[_#/:.-]|\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}|\p{N}\p{Lu}\p{Ll}/u;

/** The hard connectors between segments, and the dots, where a dot may be a path separator. */
const SEGMENT_SPLIT = /([_#/-]|::|\.)/u;

/** The old connectors, removed from a word: `9,600` → 9600, `U.S` → us, `don't` → dont. */
const SOFT_CONNECTOR = /[.,'’]/;

/** A dot separates path segments (`vi.mock`, `Node.js`) when both sides start with a letter and one is longer than a letter (not `U.S.`, `e.g.`, `1.8`). */
const PATH_SEGMENT_START = /^\p{L}/u;

/**
 * A case change inside a word: lower → upper (`deferReply`), the end of an acronym run
 * (`HTMLElement`), or digits → a capitalised word (`es2015Target`). Digits → capitals alone are
 * a name, not two words (`H1N1`, `3D`).
 */
const CASE_CHANGE = /\p{Ll}\p{Lu}|\p{Lu}\p{Lu}\p{Ll}|\p{N}\p{Lu}\p{Ll}/u;

/**
 * The parts of a camelCase / PascalCase word: an acronym run that ends where a capitalised word
 * starts (`HTML|Element`), a capitalised or lower-case word with its trailing digits (`es2015`),
 * a final acronym run (`to|JSON`), or leading digits.
 */
const CASE_PART = /\p{Lu}+(?=\p{Lu}[\p{Ll}\p{Lo}\p{Lm}])|\p{Lu}?[\p{Ll}\p{Lo}\p{Lm}]+\p{N}*|\p{Lu}+\p{N}*|\p{N}+/gu;

/**
 * Parts shorter than this are not indexed: the `m` of `mRNA` or the `i` of `iPhone` would match
 * every one-letter variable and name nothing a question asks for.
 */
const MIN_PART_LENGTH = 2;

/**
 * Most stemmed words remembered. Porter is the slow step of analysis (a dozen regular
 * expressions per word) and a corpus repeats its vocabulary: caching halves analysis time on
 * SciFact. At ~80 bytes an entry the cache stays under ~4 MB; it is simply cleared when full.
 */
const STEM_CACHE_SIZE = 50_000;

/**
 * Only words shorter than this are cached. V8 represents a substring of 13 or more characters as
 * a view into its parent, so caching a long word would keep the whole paragraph it was cut from
 * alive (see detachedCopy in bm25-index.ts); long words are rare enough to stem every time.
 */
const STEM_CACHE_MAX_WORD_LENGTH = 12;

/** word → Porter stem. A memo of a pure function, so sharing it between callers is safe. */
const stemCache = new Map<string, string>();

function stem(word: string): string {
  if (word.length > STEM_CACHE_MAX_WORD_LENGTH) return stemmer(word);
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    if (stemCache.size >= STEM_CACHE_SIZE) stemCache.clear();
    stemmed = stemmer(word);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

/** The old analysis of one word (lower-cased already): soft connectors and a possessive removed, stop words dropped, stemmed. */
function analyzeWord(word: string, terms: string[], minLength: number): void {
  // Most words have no soft connector; testing first skips three replacements (a quarter of the time).
  const cleaned = SOFT_CONNECTOR.test(word) ? word.replace(/[.,]/g, '').replace(/['’]s$/, '').replace(/['’]/g, '') : word;
  if (cleaned.length < minLength || STOP_WORDS.has(cleaned)) return;
  terms.push(stem(cleaned));
}

/** A word without hard connectors: as before, plus its camelCase parts when it has a case change. */
function analyzeSegment(segment: string, terms: string[], minLength: number): void {
  analyzeWord(segment.toLowerCase(), terms, minLength);
  if (!CASE_CHANGE.test(segment)) return;
  for (const part of segment.replace(/['’]s$/, '').matchAll(CASE_PART)) analyzeWord(part[0].toLowerCase(), terms, MIN_PART_LENGTH);
}

/**
 * Splits a raw token into segments at its hard connectors and at path dots; abbreviation and
 * decimal dots stay inside their segment. Returns `[segment, connector, segment, …]`.
 */
function segmentsOf(token: string): string[] {
  const pieces = token.split(SEGMENT_SPLIT);
  const merged: string[] = [pieces[0] ?? ''];
  for (let i = 1; i < pieces.length; i += 2) {
    const connector = pieces[i] as string;
    const next = pieces[i + 1] ?? '';
    const previous = merged[merged.length - 1] as string;
    const previousSegment = previous.slice(previous.lastIndexOf('.') + 1);
    const isPathDot =
      connector === '.' &&
      PATH_SEGMENT_START.test(previousSegment) &&
      PATH_SEGMENT_START.test(next) &&
      (previousSegment.length > 1 || next.length > 1);
    if (connector === '.' && !isPathDot) merged[merged.length - 1] = `${previous}.${next}`;
    else merged.push(connector, next);
  }
  return merged;
}

/** Analysed terms of a text: lower-cased, stop words removed, Porter-stemmed; identifiers whole and by parts. Pure. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    // Fast path: most tokens of prose are plain words, analysed exactly as Lucene would.
    if (!MAYBE_COMPOUND.test(token)) {
      analyzeWord(token.toLowerCase(), terms, 1);
      continue;
    }
    const flag = token.startsWith('--');
    const pieces = segmentsOf(flag ? token.slice(2) : token);
    if (pieces.length === 1 && !flag) {
      analyzeSegment(token, terms, 1);
      continue;
    }
    // The whole identifier, as written (lower-cased, possessive dropped): matched only by itself.
    terms.push(token.toLowerCase().replace(/['’]s$/, ''));
    // Each segment was a word of its own before (`full-term` → full, term), so it keeps that analysis.
    for (let i = 0; i < pieces.length; i += 2) analyzeSegment(pieces[i] as string, terms, 1);
  }
  return terms;
}
