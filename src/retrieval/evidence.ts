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
  /** The question's background cosine: its similarity to a passage it is merely near, not about (see {@link BACKGROUND_COSINE}). */
  readonly backgroundCosine: number;
  /**
   * Raw BM25 score of this passage; null when BM25 did not return it. Best raw BM25 over the
   * candidates (null if none) — measured as a feature (bm25 / bestBm25) and not kept, see below.
   */
  readonly bm25: number | null;
  readonly bestBm25: number | null;
  /** 1-based rank in each signal's candidate list (null when absent) and in the fused de-duplicated list (measured as 1 / rank, not kept). */
  readonly denseRank: number | null;
  readonly bm25Rank: number | null;
  readonly rank: number;
  /** Fused score, 0–1 (fusion.ts `Candidate.score`). */
  readonly fused: number;
}

/**
 * Feature names, in model order. Chosen by measurement (src/evaluation/train-relevance.ts; the
 * training report next to the shipped model): of the eleven candidates tried, BM25 relative to the
 * best candidate, the reciprocal fused rank and the number of question terms were dropped — with
 * the fused score and signal agreement in the model they added nothing on held-out data.
 */
export const EVIDENCE_FEATURES: readonly string[] = [
  // How close the passage's meaning is to the question: the signal abstention used alone before.
  'cosine',
  // How far this passage trails the closest candidate: a passage much further from the question than the best rarely answers it.
  'cosineBehindBest',
  // How far the closest candidate stands out from the runner-up: a clear winner is more often an answer than one of many look-alikes.
  'cosineGap',
  // Share of the question's idf mass (its informative words) that the passage contains.
  'termCoverage',
  // Share of the question's idf mass carried by words the corpus never uses ("Stryker" in Vitest's docs): the question is about
  // something the documents do not cover. Those words also count in termCoverage's denominator, so the model weighs the two together.
  'unknownTermShare',
  // BM25 as a share of the most this question could score (every term matched, saturated): corpus-size free, unlike raw BM25.
  'bm25OfMaximum',
  // 1 / the worse of the two signals' ranks (0 if either missed it): both signals agreeing near the top is strong evidence.
  'signalAgreement',
  // The fused score the candidates were ordered by (0–1): how the passage stands against the other candidates on both signals.
  'fused',
];

/**
 * Evidence that is computed and reported with every passage but is not one of the trained model's
 * {@link EVIDENCE_FEATURES} (a model file lists exactly those): the abstention rule weighs it.
 *
 * `backgroundCosine` is the question's cosine to its `backgroundRank`-th (embedding/model-profiles.ts)
 * nearest passage: how close this question comes to the corpus in general. A cosine means
 * little without it: the same 0.70 is a weak match in Markdown documentation written in the
 * question's own vocabulary (the 50th passage often scores 0.65) and a good one in news (0.45).
 */
export const BACKGROUND_COSINE = 'backgroundCosine';

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
 * Share of the question's idf mass (its informative words, a word the corpus never uses the most
 * informative of all) that `terms` contain: 0–1. Pure.
 */
export function termCoverage(queryTerms: EvidenceInput['queryTerms'], documentCount: number, terms: ReadonlySet<string>): number {
  let totalMass = 0;
  let presentMass = 0;
  for (const { term, documentFrequency } of queryTerms) {
    const idf = inverseDocumentFrequency(documentFrequency, documentCount);
    totalMass += idf;
    if (documentFrequency > 0 && terms.has(term)) presentMass += idf;
  }
  return share(presentMass, totalMass);
}

/**
 * The evidence for one passage, keyed by {@link EVIDENCE_FEATURES}. Pure.
 *
 * BM25 here is Lucene's form without the constant (k1 + 1) factor (bm25-index.ts), so one term
 * contributes at most its idf (tf / (tf + k1·norm) < 1); the most a question can score is the sum
 * of its terms' idf. A question that repeats a term can pass it by that term's share, hence the cap.
 */
export function computeEvidence(input: EvidenceInput): Evidence {
  let totalMass = 0;
  let unknownMass = 0;
  for (const { documentFrequency } of input.queryTerms) {
    const idf = inverseDocumentFrequency(documentFrequency, input.documentCount);
    totalMass += idf;
    if (documentFrequency === 0) unknownMass += idf;
  }
  const bm25 = input.bm25 ?? 0;
  const evidence: Record<string, number> = {
    cosine: input.cosine,
    cosineBehindBest: input.bestCosine - input.cosine,
    cosineGap: input.bestCosine - input.secondCosine,
    termCoverage: termCoverage(input.queryTerms, input.documentCount, input.passageTerms),
    unknownTermShare: share(unknownMass, totalMass),
    bm25OfMaximum: Math.min(1, share(bm25, totalMass)),
    signalAgreement: input.denseRank === null || input.bm25Rank === null ? 0 : 1 / Math.max(input.denseRank, input.bm25Rank),
    fused: input.fused,
    [BACKGROUND_COSINE]: input.backgroundCosine,
  };
  return evidence;
}
