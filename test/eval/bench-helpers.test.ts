import { describe, expect, it } from 'vitest';
import { exactTopK, recallAgainstExact } from '../../bench/exact-search.ts';
import { cutParagraphs } from '../../bench/paragraphs.ts';
import { latency, percentile, spread } from '../../bench/stats.ts';

describe('percentile (linear interpolation between closest ranks)', () => {
  it.each([
    { values: [5], p: 99, expected: 5 },
    { values: [1, 2, 3, 4], p: 50, expected: 2.5 },
    { values: [4, 1, 3, 2], p: 0, expected: 1 },
    { values: [4, 1, 3, 2], p: 100, expected: 4 },
    // position (95/100)·(5−1) = 3.8 → 40 + 0.8·(50 − 40)
    { values: [10, 20, 30, 40, 50], p: 95, expected: 48 },
  ])('p$p of $values = $expected', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBeCloseTo(expected, 10);
  });

  it('summarises latencies and repeated runs', () => {
    expect(latency([1, 2, 3, 100])).toMatchObject({ p50: 2.5, max: 100 });
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
  });
});

describe('exact search and ANN recall', () => {
  const vectors = [
    [1, 0],
    [0.8, 0.6],
    [0, 1],
    [-1, 0],
  ];

  it('ranks by dot product, best first', () => {
    expect(exactTopK(vectors, [1, 0], 2)).toEqual([0, 1]);
    expect(exactTopK(vectors, [0, 1], 3)).toEqual([2, 1, 0]);
  });

  it('recall is the share of the exact neighbours found, averaged over queries', () => {
    // query 1: 2 of 2 found; query 2: 1 of 2 found.
    expect(recallAgainstExact([[0, 1], [2, 3]], [[1, 0], [2, 1]])).toEqual({ mean: 0.75, perfect: 0.5 });
  });
});

describe('benchmark paragraphs', () => {
  const abstracts = Array.from({ length: 30 }, (_, a) =>
    Array.from({ length: 9 }, (_, s) => `Abstract ${a} sentence ${s} reports a finding about proteins and cells in some detail.`),
  );

  it('are distinct, the same on every run, and a smaller run is a prefix of a larger one', () => {
    const large = cutParagraphs(abstracts, 200);
    expect(new Set(large).size).toBe(200);
    expect(cutParagraphs(abstracts, 200)).toEqual(large);
    expect(cutParagraphs(abstracts, 50)).toEqual(large.slice(0, 50));
  });

  it('says so when the corpus cannot give that many', () => {
    expect(() => cutParagraphs(abstracts.slice(0, 1), 1000)).toThrow(/only \d+ distinct paragraphs/);
  });
});
