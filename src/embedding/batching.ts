/**
 * Length-aware batching. transformers.js pads every text of a batch to the longest one, so a
 * batch mixing a 10-token caption with a 500-token abstract spends most of its time on padding.
 * Sorting by length first makes batches of similar texts. Pure.
 */

/** Indices of `texts` grouped into batches of at most `batchSize`, shortest texts first. */
export function batchBySimilarLength(texts: readonly string[], batchSize: number): number[][] {
  const order = texts.map((_, index) => index).sort((a, b) => (texts[a] as string).length - (texts[b] as string).length);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}
