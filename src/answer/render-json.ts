/** The machine-readable answer of `npm run search -- --json`: a documented, stable shape (README, "Command line"). Pure. */
import type { SearchResult, SourceSpan } from '../core/types.ts';

/** Fused scores are kept to six decimals: enough to order any two results the engine orders. */
const SCORE_DIGITS = 6;
/** Relevance is a calibrated probability; three decimals is already finer than its calibration. */
const RELEVANCE_DIGITS = 3;

export interface SpanJson {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

export interface SearchJson {
  readonly query: string;
  readonly abstained: boolean;
  /** Names in the question that no document mentions (any makes citebot abstain). */
  readonly unknownNames: readonly string[];
  readonly results: readonly {
    readonly file: string;
    readonly startLine: number;
    readonly endLine: number;
    /** Titles of the enclosing sections, outermost first; empty when none. */
    readonly headings: readonly string[];
    readonly score: number;
    /** Estimated probability that the passage answers the question. */
    readonly relevance: number;
    readonly text: string;
    readonly highlight: string;
    /** Other places holding exactly this text. */
    readonly alsoIn: readonly SpanJson[];
    /** Other places saying nearly the same in other words (not this text). */
    readonly similarIn: readonly SpanJson[];
  }[];
}

const spanJson = ({ file, startLine, endLine }: SourceSpan): SpanJson => ({ file, startLine, endLine });

export function toSearchJson(result: SearchResult): SearchJson {
  return {
    query: result.query,
    abstained: result.abstained,
    unknownNames: [...result.unknownNames],
    results: result.hits.map((hit) => ({
      file: hit.file,
      startLine: hit.startLine,
      endLine: hit.endLine,
      headings: [...hit.headings],
      score: Number(hit.score.toFixed(SCORE_DIGITS)),
      relevance: Number(hit.relevance.toFixed(RELEVANCE_DIGITS)),
      text: hit.text,
      highlight: hit.highlight,
      alsoIn: hit.alsoIn.map(spanJson),
      similarIn: hit.similarIn.map(spanJson),
    })),
  };
}
