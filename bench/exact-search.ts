/** Exact (brute-force) nearest neighbours, the reference ANN recall is measured against. Pure. */

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] as number) * (b[i] as number);
  return sum;
}

/** Labels (positions in `vectors`) of the k vectors most similar to `query` by dot product (cosine for unit vectors), best first. */
export function exactTopK(vectors: readonly ArrayLike<number>[], query: ArrayLike<number>, k: number): number[] {
  const top: { label: number; score: number }[] = [];
  vectors.forEach((vector, label) => {
    const score = dot(vector, query);
    if (top.length < k || score > (top.at(-1) as { score: number }).score) {
      let i = top.length;
      while (i > 0 && (top[i - 1] as { score: number }).score < score) i--;
      top.splice(i, 0, { label, score });
      if (top.length > k) top.pop();
    }
  });
  return top.map((entry) => entry.label);
}

export interface Recall {
  readonly mean: number;
  /** Share of queries whose approximate top k equals the exact top k as a set. */
  readonly perfect: number;
}

/** Mean |approximate ∩ exact| / |exact| over queries. */
export function recallAgainstExact(approximate: readonly (readonly number[])[], exact: readonly (readonly number[])[]): Recall {
  const scores = exact.map((truth, i) => {
    const found = new Set(approximate[i] ?? []);
    return truth.length === 0 ? 1 : truth.filter((label) => found.has(label)).length / truth.length;
  });
  return { mean: scores.reduce((a, b) => a + b, 0) / scores.length, perfect: scores.filter((s) => s === 1).length / scores.length };
}
