/**
 * An Engine whose index can be switched while it serves: every call goes to the engine of the
 * newest index, and switching is one assignment, so a question is answered wholly from one
 * generation (a search already running finishes on the engine it started with).
 */
import type { Engine } from '../core/types.ts';

/** An {@link Engine} that can be pointed at a newer index without a restart. */
export interface LiveEngine extends Engine {
  /** Answers from `next` from now on. The previous engine is dropped, not closed: they share the embedder, which {@link Engine.close} closes. */
  swap(next: Engine): void;
}

/**
 * Wraps `initial`. `beforeClose` runs first on close (stopping whatever swaps engines in, so no
 * update races the embedder being closed).
 */
export function createLiveEngine(initial: Engine, beforeClose: () => Promise<void> = async () => {}): LiveEngine {
  let current = initial;
  return {
    search: (query, options) => current.search(query, options),
    source: (file, startLine, endLine) => current.source(file, startLine, endLine),
    summary: () => current.summary(),
    swap(next) {
      current = next;
    },
    async close() {
      try {
        await beforeClose();
      } finally {
        await current.close();
      }
    },
  };
}
