import { describe, expect, it } from 'vitest';
import { answerHitAtK, mean, ndcgAtK, recallAtK, reciprocalRankAtK, uniqueRanking } from '../../src/evaluation/beir-metrics.ts';

const judged = (entries: Record<string, number>) => new Map(Object.entries(entries));
const log2 = Math.log2;

describe('ndcgAtK', () => {
  // Expected values worked out by hand: DCG = Σ gain / log2(rank + 1), divided by the DCG of the ideal order.
  it.each([
    { why: 'the only relevant document first', ranked: ['a', 'b'], rel: { a: 1 }, k: 10, expected: 1 },
    { why: 'the only relevant document second', ranked: ['a', 'b', 'c'], rel: { b: 1 }, k: 10, expected: 1 / log2(3) },
    { why: 'two relevant at ranks 1 and 3', ranked: ['a', 'b', 'c'], rel: { a: 1, c: 1 }, k: 10, expected: (1 + 1 / log2(4)) / (1 + 1 / log2(3)) },
    { why: 'graded: the grade-1 document above the grade-2 one', ranked: ['b', 'a'], rel: { a: 2, b: 1 }, k: 10, expected: (1 + 2 / log2(3)) / (2 + 1 / log2(3)) },
    { why: 'relevant document below the cut-off', ranked: ['a', 'b', 'c'], rel: { c: 1 }, k: 2, expected: 0 },
    { why: 'more relevant documents than k: the ideal is cut at k too', ranked: ['a', 'b'], rel: { a: 1, b: 1, c: 1 }, k: 2, expected: 1 },
    { why: 'a repeated document counts once, at its best rank', ranked: ['a', 'a', 'b'], rel: { b: 1 }, k: 10, expected: 1 / log2(3) },
    { why: 'no results', ranked: [], rel: { a: 1 }, k: 10, expected: 0 },
    { why: 'nothing judged relevant (grade 0 only)', ranked: ['a'], rel: { a: 0 }, k: 10, expected: 0 },
  ])('$why', ({ ranked, rel, k, expected }) => {
    expect(ndcgAtK(ranked, judged(rel), k)).toBeCloseTo(expected, 10);
  });
});

describe('reciprocalRankAtK', () => {
  it.each([
    { why: 'first relevant at rank 1', ranked: ['a', 'b'], rel: { a: 1, b: 1 }, k: 10, expected: 1 },
    { why: 'first relevant at rank 3', ranked: ['x', 'y', 'a'], rel: { a: 1 }, k: 10, expected: 1 / 3 },
    { why: 'first relevant beyond k', ranked: ['x', 'y', 'a'], rel: { a: 1 }, k: 2, expected: 0 },
    { why: 'repeats removed before ranking', ranked: ['x', 'x', 'a'], rel: { a: 1 }, k: 2, expected: 1 / 2 },
    { why: 'no results', ranked: [], rel: { a: 1 }, k: 10, expected: 0 },
  ])('$why', ({ ranked, rel, k, expected }) => {
    expect(reciprocalRankAtK(ranked, judged(rel), k)).toBeCloseTo(expected, 10);
  });
});

describe('recallAtK', () => {
  it.each([
    { why: 'one of two relevant in the top 1 (BEIR: below 1 at k=1)', ranked: ['a', 'x', 'b'], rel: { a: 1, b: 1 }, k: 1, expected: 0.5 },
    { why: 'both relevant in the top 5', ranked: ['a', 'x', 'b'], rel: { a: 1, b: 1 }, k: 5, expected: 1 },
    { why: 'grade-0 judgements are not relevant', ranked: ['z'], rel: { a: 1, z: 0 }, k: 10, expected: 0 },
    { why: 'no results', ranked: [], rel: { a: 1 }, k: 10, expected: 0 },
  ])('$why', ({ ranked, rel, k, expected }) => {
    expect(recallAtK(ranked, judged(rel), k)).toBeCloseTo(expected, 10);
  });
});

describe('answerHitAtK', () => {
  it.each([
    { why: 'answer in the first cited passage', texts: ['gave up just 308 points'], answers: ['308'], k: 1, expected: 1 },
    { why: 'answer only in the second passage, k=1', texts: ['nothing here', 'gave up just 308 points'], answers: ['308'], k: 1, expected: 0 },
    { why: 'answer in the second passage, k=5', texts: ['nothing here', 'gave up just 308 points'], answers: ['308'], k: 5, expected: 1 },
    { why: 'any of several gold answers counts', texts: ['the Broncos won'], answers: ['Denver Broncos', 'Broncos'], k: 1, expected: 1 },
    { why: 'an answer wrapped across two cited lines still matches', texts: ['won by the Denver\nBroncos'], answers: ['Denver Broncos'], k: 1, expected: 1 },
    { why: 'case matters (answers are verbatim spans)', texts: ['the denver broncos'], answers: ['Denver Broncos'], k: 1, expected: 0 },
    { why: 'no results', texts: [], answers: ['308'], k: 5, expected: 0 },
    { why: 'an empty gold answer never matches', texts: ['anything'], answers: [' '], k: 1, expected: 0 },
  ])('$why', ({ texts, answers, k, expected }) => {
    expect(answerHitAtK(texts, answers, k)).toBe(expected);
  });
});

describe('helpers', () => {
  it('uniqueRanking keeps the first occurrence of each id', () => {
    expect(uniqueRanking(['b', 'a', 'b', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });
  it('mean of nothing is 0', () => {
    expect(mean([])).toBe(0);
    expect(mean([1, 0, 0.5])).toBeCloseTo(0.5, 10);
  });
});
