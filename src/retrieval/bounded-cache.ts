/**
 * A small least-recently-used cache for what the engine derives from a passage and would
 * otherwise derive again on every question: its vector read back from the HNSW graph (~0.1–0.3 ms
 * each through hnswlib's number[] API, ~60 per question, the largest cost of an answer after the
 * embedding), its comparable text and its analysed terms. A passage's derived values never change
 * while an engine serves one index generation, so a cached value is the value itself: results
 * are identical with or without the cache. Bounded, so memory stays flat however many questions
 * are asked.
 */

/** A get-or-compute cache holding at most `capacity` entries, dropping the least recently used. */
export interface BoundedCache<K, V> {
  /** The cached value for `key`, or `compute()`'s, which is then cached. */
  get(key: K, compute: () => V): V;
  readonly size: number;
}

export function createBoundedCache<K, V>(capacity: number): BoundedCache<K, V> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`A cache needs a capacity ≥ 1, not ${capacity}.`);
  // A Map iterates in insertion order: re-inserting on each hit keeps the least recently used first.
  const entries = new Map<K, V>();
  return {
    get(key, compute) {
      const found = entries.get(key);
      if (found !== undefined || entries.has(key)) {
        entries.delete(key);
        entries.set(key, found as V);
        return found as V;
      }
      const value = compute();
      entries.set(key, value);
      if (entries.size > capacity) entries.delete(entries.keys().next().value as K);
      return value;
    },
    get size() {
      return entries.size;
    },
  };
}
