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

/** One retrievable unit: a paragraph (or a sentence-aligned piece of a long one) with its exact text. */
export interface Paragraph extends SourceSpan {
  /** The exact text of lines startLine..endLine (line breaks normalised to `\n`, BOM removed). */
  readonly text: string;
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
  /** The sentence of `text` that best answers the question (verbatim). */
  readonly highlight: string;
  /** Other places where (nearly) the same passage appears. */
  readonly alsoIn: readonly SourceSpan[];
}

export type SearchMode = 'hybrid' | 'dense' | 'bm25';

export interface SearchOptions {
  /** How many passages to return (after de-duplication). */
  readonly k?: number;
  readonly mode?: SearchMode;
}

/** What retrieval found for one question. */
export interface SearchResult {
  readonly query: string;
  /** True when the sources do not answer the question; `hits` then lists the closest passages, clearly not an answer. */
  readonly abstained: boolean;
  /** Cosine similarity between the question and the closest returned passage: what abstention is decided on. */
  readonly bestSimilarity: number;
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
