/**
 * Reciprocal rank fusion of the dense and lexical rankings. Pure.
 *
 * RRF uses ranks, not raw scores, so cosine similarities (0.4–0.9) and BM25 scores (0–40) need no
 * common scale; a passage found by both signals beats one found by either alone.
 */
import type { SearchMode, SignalScores } from '../core/types.ts';
import type { LexicalHit } from '../lexical-index/bm25-index.ts';
import type { VectorHit } from '../vector-index/vector-index.ts';

/** The usual RRF constant (Cormack et al. 2009): damps the difference between rank 1 and rank 2. */
export const RRF_K = 60;

export interface Candidate {
  readonly label: number;
  readonly signals: SignalScores;
  /** Fused score divided by the best score possible in this mode: 1 = ranked first by every signal used. */
  readonly score: number;
}

export function fuseRankings(dense: readonly VectorHit[], lexical: readonly LexicalHit[], mode: SearchMode): Candidate[] {
  const useDense = mode !== 'bm25';
  const useLexical = mode !== 'dense';
  const byLabel = new Map<number, { dense: number | null; denseRank: number | null; bm25: number | null; bm25Rank: number | null }>();
  const entry = (label: number) => {
    let found = byLabel.get(label);
    if (found === undefined) {
      found = { dense: null, denseRank: null, bm25: null, bm25Rank: null };
      byLabel.set(label, found);
    }
    return found;
  };
  dense.forEach((hit, rank) => Object.assign(entry(hit.label), { dense: hit.similarity, denseRank: rank + 1 }));
  lexical.forEach((hit, rank) => Object.assign(entry(hit.label), { bm25: hit.score, bm25Rank: rank + 1 }));

  const best = ((useDense ? 1 : 0) + (useLexical ? 1 : 0)) / (RRF_K + 1);
  const candidates: Candidate[] = [];
  for (const [label, signals] of byLabel) {
    const fused =
      (useDense && signals.denseRank !== null ? 1 / (RRF_K + signals.denseRank) : 0) +
      (useLexical && signals.bm25Rank !== null ? 1 / (RRF_K + signals.bm25Rank) : 0);
    if (fused === 0) continue;
    candidates.push({ label, signals: { ...signals, fused }, score: fused / best });
  }
  // Ties (rare) broken by label, i.e. document order, so results are deterministic.
  return candidates.sort((a, b) => b.signals.fused - a.signals.fused || a.label - b.label);
}
