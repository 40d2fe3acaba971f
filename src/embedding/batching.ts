/**
 * Length-aware batching. The model pads every text of a batch to the longest one, so a batch
 * mixing a 10-token caption with a 500-token abstract spends most of its time on padding.
 * Sorting by length first makes batches of similar texts.
 *
 * The lengths must be model tokens, not characters: on SciFact paragraphs, batches of 32 sorted
 * by characters were 43% padding (chemical names and numbers tokenize into many pieces) and
 * took 35% longer to embed than batches sorted by tokens (10% padding). Pure.
 */

/**
 * The embedding worker's bound on a batch's texts × (its longest length)², in tokens²: 16 texts of
 * 128 tokens (32 of up to 90, 4 of 256, 1 of 512). The attention scores ONNX Runtime holds for a
 * batch grow with it, and its CPU memory arena keeps the largest batch's size for good: without a
 * bound, one batch of 32 long texts set the ingest's peak RSS (a batch of 32 texts of 512 tokens
 * grew the arena by ~1.8 GB, of 8 by ~0.5 GB, of 2 by ~0.13 GB).
 *
 * Chosen by measurement (2026-12-02, 2 vCPU, load 0.9–1.5; scratch/arena.mts, 2,000 of the bench's
 * 10k SciFact passages — every 5th by length, longest 493 tokens — configurations interleaved,
 * two rounds): peak RSS over the loaded model / passages per second / CPU seconds were, without a
 * bound, +525–637 MB / 101 / 36.5; at 32 × 128² +107–113 MB / 86–122 / 30–34; at 16 × 128² (this)
 * +124–126 MB / 129–134 / 27–28; at 32 × 181² +190–193 MB / 114–115 / 32. Smaller batches of long
 * texts are not slower on the CPU: less padding and smaller working sets. The int8 model
 * quantises activations per batch, so a text embedded in another batch gets (slightly) another
 * vector — up to 0.023 a component, cosine ≥ 0.9956 to the unbounded one measured; the question
 * sets were re-measured with this bound (docs/design.md).
 */
export const MAX_BATCH_COST = 16 * 128 * 128;

/**
 * Indices grouped into batches of at most `batchSize`, shortest first (stable for equal lengths).
 *
 * `maxBatchCost`, when given, also bounds each batch's texts × (its longest length)² (see
 * {@link MAX_BATCH_COST}, what the worker gives). A text longer than the budget allows is a batch
 * of its own.
 */
export function batchBySimilarLength(lengths: readonly number[], batchSize: number, maxBatchCost = Number.POSITIVE_INFINITY): number[][] {
  const order = lengths.map((_, index) => index).sort((a, b) => (lengths[a] as number) - (lengths[b] as number));
  const batches: number[][] = [];
  let batch: number[] = [];
  for (const index of order) {
    // Sorted ascending, so the text being added is the batch's longest.
    const longest = lengths[index] as number;
    if (batch.length > 0 && (batch.length === batchSize || (batch.length + 1) * longest * longest > maxBatchCost)) {
      batches.push(batch);
      batch = [];
    }
    batch.push(index);
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
