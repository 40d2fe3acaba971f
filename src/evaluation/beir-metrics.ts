/**
 * Retrieval metrics as BEIR computes them (pytrec_eval): nDCG@k with linear gains, MRR@k,
 * Recall@k, plus AnswerHit@k for datasets with gold answer text. Pure functions over ranked
 * document ids and graded relevance judgements (qrels).
 *
 * Conventions, all matching BEIR: a document's gain is its qrels grade (0 = not relevant); the
 * discount of rank r (1-based) is log2(r + 1); the ideal ranking sorts every judged document by
 * grade; a ranking that lists a document twice counts it once, at its first position; a query
 * with no results scores 0 on every metric.
 */

/** Relevance grades of one query: document id → grade (> 0 relevant). */
export type Judgements = ReadonlyMap<string, number>;

/** Ranked document ids, best first, with repeats removed (a document ranks at its first, i.e. best, position). */
export function uniqueRanking(ranked: readonly string[]): string[] {
  return [...new Set(ranked)];
}

const grade = (judgements: Judgements, id: string) => Math.max(0, judgements.get(id) ?? 0);
const discount = (rank: number) => Math.log2(rank + 1);

/** nDCG@k: discounted cumulative gain of the top k over that of the ideal ranking; 0 when nothing is relevant. */
export function ndcgAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const gains = [...judgements.values()].filter((g) => g > 0).sort((a, b) => b - a);
  const ideal = gains.slice(0, k).reduce((sum, g, i) => sum + g / discount(i + 1), 0);
  if (ideal === 0) return 0;
  const actual = uniqueRanking(ranked)
    .slice(0, k)
    .reduce((sum, id, i) => sum + grade(judgements, id) / discount(i + 1), 0);
  return actual / ideal;
}

/** MRR@k: 1 / rank of the first relevant document in the top k, else 0. */
export function reciprocalRankAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const index = uniqueRanking(ranked)
    .slice(0, k)
    .findIndex((id) => grade(judgements, id) > 0);
  return index === -1 ? 0 : 1 / (index + 1);
}

/** Recall@k: share of the relevant documents found in the top k (BEIR's definition: below 1 at k=1 when several are relevant). */
export function recallAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const relevant = [...judgements.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(uniqueRanking(ranked).slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/**
 * AnswerHit@k: 1 when one of the top k cited passages contains a gold answer verbatim, else 0.
 * `citedTexts` are the texts of the cited lines of each result, best first. Runs of whitespace
 * count as one space on both sides, so an answer that wraps a line still matches.
 */
export function answerHitAtK(citedTexts: readonly string[], answers: readonly string[], k: number): number {
  const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
  const wanted = answers.map(squash).filter((answer) => answer !== '');
  if (wanted.length === 0) return 0;
  return citedTexts.slice(0, k).some((text) => {
    const cited = squash(text);
    return wanted.some((answer) => cited.includes(answer));
  })
    ? 1
    : 0;
}

/** Mean of per-query scores; 0 for no queries. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
