import type { Engine } from '../../../src/core/types.ts';

/** Wrap an engine to count calls (to assert that rejected input never reaches it). */
export function countingEngine(engine: Engine): Engine & { readonly calls: { search: number; source: number } } {
  const calls = { search: 0, source: 0 };
  return {
    calls,
    search: (query, options) => {
      calls.search += 1;
      return engine.search(query, options);
    },
    source: (file, start, end) => {
      calls.source += 1;
      return engine.source(file, start, end);
    },
    summary: () => engine.summary(),
    close: () => engine.close(),
  };
}
