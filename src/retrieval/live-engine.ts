/**
 * An Engine whose index can be switched while it serves: every call goes to the engine of the
 * newest index, and switching is one assignment, so a question is answered wholly from one
 * generation (a search already running finishes on the engine it started with).
 *
 * While documents change under it, the index lags the folder by an update (debounce, embedding,
 * switch): a passage of a file edited a moment ago is still in the index with its old lines. So
 * every answer is checked before it is returned: each cited file must still hold the bytes that
 * were indexed (the engine's own `source` check, by sha256), and passages of a file that changed,
 * moved or vanished are dropped from the answer (and the file re-indexed, as `source` asks) rather
 * than quoted with lines the file no longer has.
 */
import { isCitebotError } from '../core/errors.ts';
import type { Engine, Hit, SearchResult } from '../core/types.ts';

/** An {@link Engine} that can be pointed at a newer index without a restart. */
export interface LiveEngine extends Engine {
  /** Answers from `next` from now on. The previous engine is dropped, not closed: they share the embedder, which {@link Engine.close} closes. */
  swap(next: Engine): void;
}

/** The codes `source` refuses a file with when it is no longer what was indexed (read-indexed-file.ts). */
const NOT_AS_INDEXED = new Set(['SOURCE_CHANGED', 'SOURCE_NOT_FOUND']);

/** Whether `file` still holds the bytes `engine` indexed; other failures (a bad range) are not this check's business. */
async function stillAsIndexed(engine: Engine, hit: Hit): Promise<boolean> {
  try {
    await engine.source(hit.file, hit.startLine, hit.startLine);
    return true;
  } catch (error) {
    if (isCitebotError(error) && NOT_AS_INDEXED.has(error.code)) return false;
    throw error;
  }
}

/** `result` without the passages of files that changed since `engine` indexed them. */
async function withoutChangedFiles(engine: Engine, result: SearchResult): Promise<SearchResult> {
  const checked = new Map<string, Promise<boolean>>();
  for (const hit of result.hits) if (!checked.has(hit.file)) checked.set(hit.file, stillAsIndexed(engine, hit));
  const unchanged = new Set<string>();
  for (const [file, same] of checked) if (await same) unchanged.add(file);
  if (unchanged.size === checked.size) return result;
  const hits = result.hits.filter((hit) => unchanged.has(hit.file));
  // With no passage left there is no answer to give: say the documents do not answer (for now).
  return { ...result, hits, abstained: result.abstained || hits.length === 0 };
}

/**
 * Wraps `initial`. `beforeClose` runs first on close (stopping whatever swaps engines in, so no
 * update races the embedder being closed).
 */
export function createLiveEngine(initial: Engine, beforeClose: () => Promise<void> = async () => {}): LiveEngine {
  let current = initial;
  return {
    search: async (query, options) => {
      const engine = current;
      return withoutChangedFiles(engine, await engine.search(query, options));
    },
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
