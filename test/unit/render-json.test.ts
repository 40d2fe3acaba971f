/** `search --json`: the documented shape, with heading paths, exact and near copies apart, and rounded numbers. */
import { describe, expect, it } from 'vitest';
import { toSearchJson } from '../../src/answer/render-json.ts';
import type { Hit, SearchResult, SourceSpan } from '../../src/core/types.ts';

const span = (file: string, startLine: number, endLine = startLine): SourceSpan => ({ file, startLine, endLine });

/** A hit with every field, including ones the JSON leaves out (signals, evidence, title, kind, range). */
function makeHit(fields: Partial<Hit> & { readonly text: string }): Hit {
  return {
    file: 'docs/guide.md',
    startLine: 40,
    endLine: 52,
    headings: ['Slash commands', 'Deferred responses'],
    kind: 'text',
    title: 'Guide',
    score: 0.123456789,
    signals: { dense: 0.8, denseRank: 1, bm25: 7, bm25Rank: 1, fused: 0.123456789 },
    highlight: fields.text,
    highlightRange: { start: 0, end: fields.text.length },
    alsoIn: [],
    similarIn: [],
    relevance: 0.87654321,
    evidence: { cosine: 0.8 },
    ...fields,
  };
}

const result = (hits: readonly Hit[], abstained = false): SearchResult => ({
  query: 'how do I defer?',
  abstained,
  bestSimilarity: 0.8,
  unknownNames: [],
  hits,
  timings: { embed: 1, dense: 1, bm25: 1, fusion: 1, highlight: 1, total: 5 },
});

describe('toSearchJson', () => {
  it('gives each result its span, heading path, rounded score and relevance, text, highlight, exact and near copies', () => {
    const also = { ...span('docs/copy.md', 3, 4), extra: 'not in the JSON' };
    const hit = makeHit({ text: 'Defer. Call deferReply.', highlight: 'Call deferReply.', alsoIn: [also], similarIn: [span('docs/old.md', 9, 12)] });
    expect(toSearchJson(result([hit]))).toEqual({
      query: 'how do I defer?',
      abstained: false,
      unknownNames: [],
      results: [
        {
          file: 'docs/guide.md',
          startLine: 40,
          endLine: 52,
          headings: ['Slash commands', 'Deferred responses'],
          score: 0.123457,
          relevance: 0.877,
          text: 'Defer. Call deferReply.',
          highlight: 'Call deferReply.',
          alsoIn: [{ file: 'docs/copy.md', startLine: 3, endLine: 4 }],
          similarIn: [{ file: 'docs/old.md', startLine: 9, endLine: 12 }],
        },
      ],
    });
  });

  it('keeps the documented key order (the README shows it) and an empty heading path as []', () => {
    const [first] = toSearchJson(result([makeHit({ text: 'x', headings: [] })])).results;
    expect(Object.keys(first ?? {})).toEqual(['file', 'startLine', 'endLine', 'headings', 'score', 'relevance', 'text', 'highlight', 'alsoIn', 'similarIn']);
    expect(first?.headings).toEqual([]);
  });

  it('reports an abstention with the closest passages, best first', () => {
    const json = toSearchJson(result([makeHit({ text: 'a', score: 0.5 }), makeHit({ text: 'b', score: 0.25 })], true));
    expect(json.abstained).toBe(true);
    expect(json.results.map((r) => [r.text, r.score])).toEqual([
      ['a', 0.5],
      ['b', 0.25],
    ]);
  });

  it('survives a JSON round trip unchanged (plain data only)', () => {
    const json = toSearchJson(result([makeHit({ text: 'x', similarIn: [span('b.md', 1)] })]));
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
