/** The machine-readable answer of `npm run search -- --json`: a documented, stable shape. Pure. */
import type { SearchResult } from '../core/types.ts';

export interface SearchJson {
  readonly query: string;
  readonly abstained: boolean;
  readonly results: readonly {
    readonly file: string;
    readonly startLine: number;
    readonly endLine: number;
    readonly score: number;
    readonly text: string;
    readonly highlight: string;
    readonly alsoIn: readonly { readonly file: string; readonly startLine: number; readonly endLine: number }[];
  }[];
}

export function toSearchJson(result: SearchResult): SearchJson {
  return {
    query: result.query,
    abstained: result.abstained,
    results: result.hits.map((hit) => ({
      file: hit.file,
      startLine: hit.startLine,
      endLine: hit.endLine,
      score: Number(hit.score.toFixed(6)),
      text: hit.text,
      highlight: hit.highlight,
      alsoIn: hit.alsoIn.map(({ file, startLine, endLine }) => ({ file, startLine, endLine })),
    })),
  };
}
