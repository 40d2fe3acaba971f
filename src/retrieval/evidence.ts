/**
 * Retrieval evidence for one passage: the few numbers the relevance model (relevance-model.ts)
 * weighs to estimate whether the passage answers the question. Pure.
 *
 * Every feature is scale-free (a share, a ratio, a cosine or a rank), not a raw BM25 score: raw
 * BM25 grows with the corpus size and the question length, so a model fitted on one corpus would
 * not transfer to another.
 */
import type { Evidence } from '../core/types.ts';

export interface EvidenceInput {
  /** Distinct analysed terms of the question (analyzer.ts `analyze`), with their document frequency in the lexical index (0 = the corpus never uses the term). */
  readonly queryTerms: readonly { readonly term: string; readonly documentFrequency: number }[];
  /** Passages in the lexical index (N of the idf). */
  readonly documentCount: number;
  /** Analysed terms of what the lexical index saw for this passage (its text plus its context). */
  readonly passageTerms: ReadonlySet<string>;
  /** Cosine similarity question · passage. */
  readonly cosine: number;
  /** Best and runner-up cosine over the de-duplicated candidate list (runner-up = bestCosine when only one). */
  readonly bestCosine: number;
  readonly secondCosine: number;
  /** Raw BM25 score of this passage; null when BM25 did not return it. Best raw BM25 over the candidates (null if none). */
  readonly bm25: number | null;
  readonly bestBm25: number | null;
  /** 1-based rank in each signal's candidate list (null when absent) and in the fused de-duplicated list. */
  readonly denseRank: number | null;
  readonly bm25Rank: number | null;
  readonly rank: number;
  /** Fused score, 0–1 (fusion.ts `Candidate.score`). */
  readonly fused: number;
}

/**
 * Feature names, in model order. Chosen by measurement (src/evaluation/train-relevance.ts and the
 * training report next to the shipped model): each one earned its place on held-out data.
 */
export const EVIDENCE_FEATURES: readonly string[] = [
  // How close the passage's meaning is to the question: the signal abstention used alone before.
  'cosine',
  // How far this passage trails the best one: a later passage much further from the question than the first rarely answers too.
  'cosineBehindBest',
  // How far the best passage stands out from the runner-up: a clear winner is more often an answer than one of many look-alikes.
  'cosineGap',
  // Share of the question's idf mass (its informative words) that the passage contains.
  'termCoverage',
  // Share of the question's idf mass carried by words the corpus never uses ("Stryker" in Vitest's docs): the question is about something the documents do not cover.
  'unknownTermShare',
  // BM25 as a share of the most this question could score (every term matched, saturated): corpus-size free, unlike raw BM25.
  'bm25OfMaximum',
  // BM25 relative to the best passage's: how this passage compares with the lexical winner.
  'bm25OfBest',
  // 1 / rank in the fused list: position carries evidence beyond the scores (the first passage is most often the answer).
  'reciprocalRank',
  // 1 / the worse of the two signals' ranks (0 if either missed it): both signals agreeing near the top is strong evidence.
  'signalAgreement',
  // The fused score the list is ordered by (0–1).
  'fused',
  // Number of distinct question terms: short questions match by chance more easily.
  'queryTermCount',
];

/**
 * Lucene's BM25 idf, ln(1 + (N − df + 0.5) / (df + 0.5)), as documented in
 * lexical-index/bm25-index.ts. A term the corpus never uses (df = 0) gets the largest idf there is:
 * it is the most specific word of the question.
 */
export function inverseDocumentFrequency(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/** a / b, or 0 when there is nothing to divide by (a question of stop words only, no BM25 result). */
const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/**
 * The evidence for one passage, keyed by {@link EVIDENCE_FEATURES}. Pure.
 *
 * BM25 here is Lucene's form without the constant (k1 + 1) factor (bm25-index.ts), so one term
 * contributes at most its idf (tf / (tf + k1·norm) < 1); the most a question can score is the sum
 * of its terms' idf. A question that repeats a term can pass it by that term's share, hence the cap.
 */
export function computeEvidence(input: EvidenceInput): Evidence {
  let totalMass = 0;
  let presentMass = 0;
  let unknownMass = 0;
  for (const { term, documentFrequency } of input.queryTerms) {
    const idf = inverseDocumentFrequency(documentFrequency, input.documentCount);
    totalMass += idf;
    if (documentFrequency === 0) unknownMass += idf;
    else if (input.passageTerms.has(term)) presentMass += idf;
  }
  const bm25 = input.bm25 ?? 0;
  const evidence: Record<string, number> = {
    cosine: input.cosine,
    cosineBehindBest: input.bestCosine - input.cosine,
    cosineGap: input.bestCosine - input.secondCosine,
    termCoverage: share(presentMass, totalMass),
    unknownTermShare: share(unknownMass, totalMass),
    bm25OfMaximum: Math.min(1, share(bm25, totalMass)),
    bm25OfBest: input.bestBm25 === null ? 0 : share(bm25, input.bestBm25),
    reciprocalRank: 1 / input.rank,
    signalAgreement: input.denseRank === null || input.bm25Rank === null ? 0 : 1 / Math.max(input.denseRank, input.bm25Rank),
    fused: input.fused,
    queryTermCount: input.queryTerms.length,
  };
  return evidence;
}
