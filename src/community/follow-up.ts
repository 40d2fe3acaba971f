/**
 * Follow-ups: "and how many will it have?" can mean little alone, yet the earlier question in
 * the query can also drown it (the embedding then finds the earlier answer again: on the seeds
 * pairs, Recall@5 0.917 alone → 0.750 with the earlier question in front). So a follow-up is
 * searched twice, alone and after the earlier question, and the two rankings are fused by
 * reciprocal rank: a passage either search ranks high comes first. Pure.
 */
import type { Hit, SearchResult } from '../core/types.ts';

/** The follow-up with its earlier question in front: the second of the two searches. */
export function followUpQuery(earlier: string, followUp: string): string {
  return `${earlier.trim()}\n${followUp.trim()}`;
}

/**
 * Reciprocal-rank constant: 60 is the usual choice (Cormack et al., SIGIR 2009); with at most a
 * handful of passages per list it only decides ties, so it was not tuned.
 */
const RRF_K = 60;

const spanKey = (hit: Hit): string => `${hit.file}:${hit.startLine}-${hit.endLine}`;

/**
 * One result from the follow-up searched alone and with context: passages by fused reciprocal
 * rank (ties: the follow-up alone first), at most `k`; it abstains only when both searches did,
 * since either finding an answer means the documents have one. The query shown is the follow-up.
 */
export function fuseFollowUpResults(alone: SearchResult, withContext: SearchResult, k: number): SearchResult {
  const scores = new Map<string, { hit: Hit; score: number; first: number }>();
  const add = (hits: readonly Hit[], order: number): void =>
    hits.forEach((hit, rank) => {
      const key = spanKey(hit);
      const seen = scores.get(key);
      const score = 1 / (RRF_K + rank + 1);
      if (seen === undefined) scores.set(key, { hit, score, first: order });
      else seen.score += score;
    });
  // When one search abstained, its passages are only the closest ones: rank the answering search's first.
  const ordered = alone.abstained && !withContext.abstained ? [withContext, alone] : [alone, withContext];
  ordered.forEach((result, order) => add(result.hits, order));
  const hits = [...scores.values()].sort((a, b) => b.score - a.score || a.first - b.first).slice(0, k).map((entry) => entry.hit);
  const base = ordered[0] ?? alone;
  // Both searches ran, one after the other: the time the member waited is their sum.
  const timings = { ...base.timings, total: alone.timings.total + withContext.timings.total };
  return { ...base, query: alone.query, abstained: alone.abstained && withContext.abstained, hits, timings };
}

/**
 * Whether an unprompted follow-up (a message in citebot's thread that does not mention it) is
 * worth answering: the follow-up alone finds an answer, or the two searches agree on a passage,
 * i.e. its own words point at something the context also finds. Otherwise the answer would come
 * from the earlier question alone, and chatter ("what is the best cookie recipe?") would get the
 * earlier answer again: fused, that search "answers", because the earlier question does.
 */
export function followUpContributes(alone: SearchResult, withContext: SearchResult): boolean {
  if (!alone.abstained) return true;
  if (withContext.abstained) return false;
  const found = new Set(withContext.hits.map(spanKey));
  return alone.hits.some((hit) => found.has(spanKey(hit)));
}
