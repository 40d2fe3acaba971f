/**
 * Domain types shared by every layer. Nothing here imports a third-party library.
 *
 * Provenance rule: a {@link SourceSpan} is created once, by the chunker, and is carried
 * unchanged to every reply. No later stage recovers it by searching for the text
 * (the same paragraph can appear twice in one file).
 */

/** Where a passage lives: the file as cited (relative to the project root, `/`-separated) and its 1-based inclusive line range. */
export interface SourceSpan {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

/**
 * What kind of block a passage is. Markdown passages come from the parser's block structure; a
 * plain-text paragraph is `text`. Code passages are highlighted by line, prose by sentence.
 */
export const PASSAGE_KINDS = ['text', 'code', 'list', 'table', 'quote'] as const;
export type PassageKind = (typeof PASSAGE_KINDS)[number];

/**
 * One retrievable unit: a paragraph, list, table, quote or code block (or a piece of a long one)
 * with its exact text.
 *
 * Context is metadata, not text: `headings` is what retrieval sees in addition to `text`, while
 * only `text` is ever quoted and only `startLine`..`endLine` are ever cited.
 */
export interface Paragraph extends SourceSpan {
  /** The exact text of lines startLine..endLine (line breaks normalised to `\n`, BOM removed). */
  readonly text: string;
  /** Titles of the sections enclosing the passage, outermost first, as plain text (`["Slash commands", "Deferred responses"]`); empty when none. */
  readonly headings: readonly string[];
  readonly kind: PassageKind;
}

/** A document as the chunker returns it: its title (front matter, first `#` heading, first line or file name) and its passages. */
export interface ChunkedDocument {
  readonly title: string;
  readonly passages: readonly Paragraph[];
}

/** A character range inside a passage's `text`, end exclusive. */
export interface TextRange {
  readonly start: number;
  readonly end: number;
}

/** A paragraph that is stored in the index, with its position (label) in every index. */
export interface IndexedParagraph extends Paragraph {
  readonly id: number;
}

/** Per-signal evidence for one result, shown in debug output. */
export interface SignalScores {
  /** Cosine similarity between the query and the passage (dense signal); null when the dense search did not return it. */
  readonly dense: number | null;
  readonly denseRank: number | null;
  /** BM25 score; null when the lexical search did not return it. */
  readonly bm25: number | null;
  readonly bm25Rank: number | null;
  /** Fused score (weighted sum of the min–max normalised signals): the value results are ordered by. */
  readonly fused: number;
}

/** One passage returned for a question. */
export interface Hit extends Paragraph {
  /** Fused score, higher is better. */
  readonly score: number;
  readonly signals: SignalScores;
  /** The sentence of `text` (or, in code, the line) that best answers the question (verbatim: `text.slice(range.start, range.end)`). */
  readonly highlight: string;
  /** Where the highlight sits in `text`, so renderers can emphasise it inside the quote. */
  readonly highlightRange: TextRange;
  /** Title of the passage's document. */
  readonly title: string;
  /** Other places whose lines hold exactly this text (modulo whitespace and typographic quotes, apostrophes and dashes). */
  readonly alsoIn: readonly SourceSpan[];
  /** Other places that say nearly the same thing in other words: listed, never quoted as this text. */
  readonly similarIn: readonly SourceSpan[];
  /** Estimated probability that this passage answers the question (the calibrated relevance model). */
  readonly relevance: number;
  readonly evidence: Evidence;
}

export type SearchMode = 'hybrid' | 'dense' | 'bm25';

export interface SearchOptions {
  /** Most passages to return (after de-duplication); fewer when fewer are relevant. */
  readonly k?: number;
  readonly mode?: SearchMode;
  /**
   * Return the best `k` passages whatever their relevance (no filtering after the first), each with
   * its evidence: for search listings (`search`, `/search`: the ranked candidates, not an answer),
   * calibration and debug output.
   */
  readonly explain?: boolean;
  /**
   * Evaluation only: passages overlapping these spans are treated as absent from the index. Asking a
   * benchmark question with its gold passages excluded makes a near-topic unanswerable question.
   */
  readonly excludeSpans?: readonly SourceSpan[];
}

/** The retrieval evidence for one passage that the relevance model weighs, by feature name (see retrieval/evidence.ts). */
export type Evidence = Readonly<Record<string, number>>;

/** What retrieval found for one question. */
export interface SearchResult {
  readonly query: string;
  /** True when the sources do not answer the question; `hits` then lists the closest passages, clearly not an answer. */
  readonly abstained: boolean;
  /** Cosine similarity between the question and the closest returned passage: what abstention is decided on. */
  readonly bestSimilarity: number;
  /**
   * Names in the question (capitalised, not sentence-initial) that no passage mentions, e.g.
   * `["Splunk"]` for "How do I ship pino logs to Splunk?". Any makes citebot abstain: documents
   * that never name a thing cannot answer a question about it.
   */
  readonly unknownNames: readonly string[];
  readonly hits: readonly Hit[];
  /** Milliseconds spent per stage, for debug output and benchmarks. */
  readonly timings: Readonly<Record<'embed' | 'dense' | 'bm25' | 'fusion' | 'highlight' | 'total', number>>;
}

/** A document known to the index, for `/sources` and autocomplete. */
export interface IndexedDocument {
  readonly file: string;
  readonly paragraphs: number;
  /** Number of lines in the file (so a range can be validated). */
  readonly lines: number;
}

/** What the index currently holds. */
export interface IndexSummary {
  readonly modelId: string;
  readonly builtAt: string;
  readonly documents: readonly IndexedDocument[];
  readonly paragraphs: number;
}

/** Lines quoted verbatim from a source file. */
export interface SourceExcerpt extends SourceSpan {
  readonly lines: readonly { readonly number: number; readonly text: string }[];
}

/**
 * The engine that the console, the CLI and the Discord bot all talk to.
 * Expected failures (an empty question, a bad line range) come back as thrown {@link CitebotError}s
 * with a code the caller can render; nothing here knows about Discord or terminals.
 */
export interface Engine {
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  /** Quote lines of an indexed file verbatim. */
  source(file: string, startLine: number, endLine: number): Promise<SourceExcerpt>;
  summary(): IndexSummary;
  close(): Promise<void>;
}
