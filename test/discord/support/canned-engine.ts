/**
 * A hand-written Engine that returns canned results. Only for unit tests and the emulator
 * shakedown; tests that assert real citations use the engine from `e2e-engine.ts`.
 */
import { CitebotError } from '../../../src/core/errors.ts';
import type { Engine, Hit, IndexSummary, SearchOptions, SearchResult, SourceExcerpt, SourceSpan } from '../../../src/core/types.ts';

export function hit(fields: Partial<Hit> & { readonly text: string }): Hit {
  const highlight = fields.highlight ?? fields.text;
  // A test names the highlight by its text; where it sits follows (the engine carries the real range).
  const at = Math.max(0, fields.text.indexOf(highlight));
  return {
    file: 'seeds/001_8140afa543bea040.txt',
    startLine: 8,
    endLine: 8,
    headings: [],
    kind: 'text',
    title: 'NATO to expand Iraq training mission',
    score: 0.0328,
    signals: { dense: 0.81, denseRank: 1, bm25: 7.2, bm25Rank: 1, fused: 0.0328 },
    highlight,
    highlightRange: { start: at, end: at + highlight.length },
    alsoIn: [],
    similarIn: [],
    relevance: 0.9,
    evidence: {},
    ...fields,
  };
}

export function searchResult(query: string, hits: readonly Hit[], abstained = false): SearchResult {
  return {
    query,
    abstained,
    bestSimilarity: abstained ? 0.42 : 0.81,
    unknownNames: [],
    hits,
    timings: { embed: 12, dense: 1, bm25: 1, fusion: 0, highlight: 3, total: 17 },
  };
}

export const CANNED_SUMMARY: IndexSummary = {
  modelId: 'Xenova/bge-small-en-v1.5',
  builtAt: '2025-11-24T16:00:00.000Z',
  documents: [
    { file: 'seeds/000_e4409a72bea0ec59.txt', paragraphs: 22, lines: 44 },
    { file: 'seeds/001_8140afa543bea040.txt', paragraphs: 33, lines: 67 },
    { file: 'seeds/002_b5b0d5d85ae90eb1.txt', paragraphs: 30, lines: 58 },
  ],
  paragraphs: 85,
};

export interface CannedEngineOptions {
  readonly search?: (query: string, options: SearchOptions | undefined) => SearchResult | Promise<SearchResult>;
  readonly summary?: IndexSummary;
  readonly source?: (file: string, start: number, end: number) => SourceExcerpt | Promise<SourceExcerpt>;
}

export function createCannedEngine(options: CannedEngineOptions = {}): Engine & { readonly queries: string[] } {
  const queries: string[] = [];
  const summary = options.summary ?? CANNED_SUMMARY;
  return {
    queries,
    async search(query, searchOptions) {
      queries.push(query);
      if (options.search !== undefined) return options.search(query, searchOptions);
      return searchResult(query, [hit({ text: 'NATO agreed to expand its Iraq training mission to around 4,000 personnel.' })]);
    },
    async source(file, start, end) {
      if (options.source !== undefined) return options.source(file, start, end);
      const doc = summary.documents.find((d) => d.file === file);
      if (doc === undefined) throw new CitebotError('SOURCE_NOT_FOUND', `${file} is not indexed.`);
      if (end > doc.lines) throw new CitebotError('SOURCE_BAD_RANGE', `${file} has ${doc.lines} lines.`);
      const span: SourceSpan = { file, startLine: start, endLine: end };
      return { ...span, lines: Array.from({ length: end - start + 1 }, (_, i) => ({ number: start + i, text: `line ${start + i}` })) };
    },
    summary: () => summary,
    close: async () => undefined,
  };
}
