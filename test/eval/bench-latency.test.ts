import { describe, expect, it } from 'vitest';
import { LATENCY_HEADER, latencyRow } from '../../bench/latency.ts';
import { latency } from '../../bench/stats.ts';

describe('bench:latency rows', () => {
  it('prints p50 / p99 of every stage under the header, with the load average before and after', () => {
    const stage = (values: number[]) => latency(values);
    const row = latencyRow(
      10000,
      {
        embed: stage([10, 20]),
        dense: stage([1, 2]),
        bm25: stage([0.25, 0.5]),
        fusion: stage([5, 6]),
        highlight: stage([1, 1]),
        total: stage([20, 40]),
        retrieval: stage([19, 39]),
      },
      [0.84, 1.26],
    );
    const cells = row.split('|').slice(1, -1).map((cell) => cell.trim());
    const headers = LATENCY_HEADER.split('\n')[0]!.split('|').slice(1, -1);
    expect(cells).toHaveLength(headers.length);
    // p50 of [19, 39] is 29; p99 interpolates to 38.8.
    expect(cells.slice(0, 3)).toEqual(['10000', '29.0 / 38.8', '30.0 / 39.8']);
    expect(cells.at(-1)).toBe('0.8 → 1.3');
  });
});
