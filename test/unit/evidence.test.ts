/** Retrieval evidence for the relevance model: every feature against hand-computed values. Pure. */
import { describe, expect, it } from 'vitest';
import { BACKGROUND_COSINE, computeEvidence, EVIDENCE_FEATURES, inverseDocumentFrequency, type EvidenceInput } from '../../src/retrieval/evidence.ts';

/*
 * N = 20 passages; the question's terms and their document frequencies:
 *   "mock"    df 1 → idf ln(1 + 19.5 / 1.5) = ln 14      = 2.639057
 *   "timer"   df 2 → idf ln(1 + 18.5 / 2.5) = ln 8.4     = 2.128232
 *   "stryker" df 0 → idf ln(1 + 20.5 / 0.5) = ln 42      = 3.737670   (the corpus never uses it)
 *   total idf mass                                       = 8.504959
 */
const TOTAL_MASS = 8.504958653747895;
const QUESTION: EvidenceInput['queryTerms'] = [
  { term: 'mock', documentFrequency: 1 },
  { term: 'timer', documentFrequency: 2 },
  { term: 'stryker', documentFrequency: 0 },
];

const input = (overrides: Partial<EvidenceInput>): EvidenceInput => ({
  queryTerms: QUESTION,
  documentCount: 20,
  passageTerms: new Set(['mock', 'timer']),
  cosine: 0.7,
  bestCosine: 0.7,
  secondCosine: 0.65,
  backgroundCosine: 0.55,
  bm25: 2.5,
  bestBm25: 2.5,
  denseRank: 1,
  bm25Rank: 1,
  rank: 1,
  fused: 1,
  ...overrides,
});

describe('inverseDocumentFrequency (Lucene BM25 idf, as bm25-index.ts documents it)', () => {
  it.each([
    [1, 20, Math.log(14)],
    [2, 20, Math.log(8.4)],
    [0, 20, Math.log(42)],
    [20, 20, Math.log(1 + 0.5 / 20.5)],
  ])('df %i of N %i → %f', (df, n, expected) => {
    expect(inverseDocumentFrequency(df, n)).toBeCloseTo(expected, 10);
  });
});

describe('computeEvidence', () => {
  it('returns the features the model is trained on and the background cosine, all finite', () => {
    const evidence = computeEvidence(input({}));
    expect(Object.keys(evidence)).toEqual([...EVIDENCE_FEATURES, BACKGROUND_COSINE]);
    expect(evidence[BACKGROUND_COSINE]).toBe(0.55);
    expect(Object.values(evidence).every(Number.isFinite)).toBe(true);
  });

  it.each<[string, Partial<EvidenceInput>, string, number]>([
    // Term shares: "mock" + "timer" present = (2.639057 + 2.128232) / 8.504959.
    ['both known terms present', {}, 'termCoverage', 0.5605305363082179],
    ['only the rarest known term present', { passageTerms: new Set(['mock', 'other']) }, 'termCoverage', 0.31029631501527644],
    ['no question term present', { passageTerms: new Set(['other']) }, 'termCoverage', 0],
    // "stryker" (df 0) carries 3.737670 / 8.504959 of the question, whatever the passage.
    ['a term the corpus never uses', {}, 'unknownTermShare', 0.4394694636917821],
    ['every term known', { queryTerms: QUESTION.slice(0, 2) }, 'unknownTermShare', 0],
    // BM25 over the most the question can score (Σ idf, Lucene's form without (k1 + 1)).
    ['BM25 of the maximum', {}, 'bm25OfMaximum', 2.5 / TOTAL_MASS],
    ['BM25 capped at the maximum (a repeated query term)', { bm25: 20 }, 'bm25OfMaximum', 1],
    ['BM25 absent', { bm25: null }, 'bm25OfMaximum', 0],
    // Cosine features.
    ['cosine as given', { cosine: 0.61 }, 'cosine', 0.61],
    ['distance behind the best passage', { cosine: 0.61, bestCosine: 0.7 }, 'cosineBehindBest', 0.09],
    ['the best passage trails nothing', {}, 'cosineBehindBest', 0],
    ['gap between best and runner-up', { bestCosine: 0.7, secondCosine: 0.64 }, 'cosineGap', 0.06],
    // Ranks and fusion.
    ['agreement: the worse of both ranks', { denseRank: 2, bm25Rank: 5 }, 'signalAgreement', 0.2],
    ['no agreement when BM25 missed it', { denseRank: 1, bm25Rank: null, bm25: null }, 'signalAgreement', 0],
    ['no agreement when the dense search missed it', { denseRank: null, bm25Rank: 1 }, 'signalAgreement', 0],
    ['fused score as given', { fused: 0.42 }, 'fused', 0.42],
  ])('%s', (_case, overrides, feature, expected) => {
    expect(computeEvidence(input(overrides))[feature]).toBeCloseTo(expected, 10);
  });

  it('gives a question of stop words only (no terms) shares of 0, not NaN', () => {
    const evidence = computeEvidence(input({ queryTerms: [], bm25: null, bestBm25: null }));
    expect(evidence).toMatchObject({ termCoverage: 0, unknownTermShare: 0, bm25OfMaximum: 0 });
  });

  it('does not depend on the corpus size for the same shares (BM25 normalised, not raw)', () => {
    // Every term twice as rare in a corpus twice as large: the shares barely move, raw BM25 would.
    const small = computeEvidence(input({}));
    const large = computeEvidence(input({ documentCount: 40, queryTerms: QUESTION.map((t) => ({ ...t, documentFrequency: t.documentFrequency * 2 })) }));
    expect(Math.abs((large['termCoverage'] ?? 0) - (small['termCoverage'] ?? 0))).toBeLessThan(0.05);
  });
});
