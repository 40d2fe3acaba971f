/** batchBySimilarLength's cost bound (the batch-size rule itself: test/unit/retrieval.test.ts). Pure. */
import { describe, expect, it } from 'vitest';
import { batchBySimilarLength, MAX_BATCH_COST } from '../../src/embedding/batching.ts';

/** Deterministic lengths between 1 and 512 (a linear congruential sequence). */
function lengths(count: number): number[] {
  let state = 11;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return 1 + (state % 512);
  });
}

describe('batchBySimilarLength with a cost bound', () => {
  it('without a bound, batches only by batchSize', () => {
    const all = lengths(100);
    const batches = batchBySimilarLength(all, 32);
    expect(batches.map((batch) => batch.length)).toEqual([32, 32, 32, 4]);
  });

  it('keeps texts × longest² within the bound, each index once, shortest first', () => {
    const all = lengths(300);
    const bound = 32 * 128 * 128;
    const batches = batchBySimilarLength(all, 32, bound);
    for (const batch of batches) {
      const longest = Math.max(...batch.map((index) => all[index]!));
      expect(batch.length).toBeLessThanOrEqual(32);
      if (batch.length > 1) expect(batch.length * longest * longest).toBeLessThanOrEqual(bound);
    }
    const flat = batches.flat();
    expect([...flat].sort((a, b) => a - b)).toEqual(all.map((_, index) => index));
    expect(flat.map((index) => all[index])).toEqual([...all].sort((a, b) => a - b));
    // Long texts come in smaller batches than short ones.
    expect(batches.at(-1)!.length).toBeLessThan(batches[0]!.length);
  });

  it('puts a text too long for the bound in a batch of its own', () => {
    expect(batchBySimilarLength([10, 600, 10], 32, 100 * 100)).toEqual([[0, 2], [1]]);
  });

  it("the worker's bound: 32 prose paragraphs of 90 tokens stay one batch, texts of 512 tokens go one at a time", () => {
    expect(batchBySimilarLength(Array(32).fill(90), 32, MAX_BATCH_COST)).toHaveLength(1);
    expect(batchBySimilarLength(Array(32).fill(128), 32, MAX_BATCH_COST).map((batch) => batch.length)).toEqual([16, 16]);
    expect(batchBySimilarLength(Array(8).fill(512), 32, MAX_BATCH_COST).map((batch) => batch.length)).toEqual(Array(8).fill(1));
  });
});
