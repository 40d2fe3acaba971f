/**
 * Keeps the index in line with the documents folder while citebot serves: each batch of change
 * hints from a watcher triggers one reconciling ingest (the folder against the index's manifest,
 * by content hash, so lost or duplicated events do no harm). Updates run one at a time; hints
 * that arrive during an update are folded into one more update after it.
 */
import type { IngestReport } from './ingest.ts';

/** A running follower. */
export interface DocumentFollower {
  /** Stops watching and waits for a running update to end. */
  close(): Promise<void>;
  /** Resolves when no update is running or waiting (tests and benchmarks wait on it). */
  idle(): Promise<void>;
  /**
   * Runs an update as if the watcher had seen `path` change (a reader found a cited file changed
   * first). Absent for a shard, which never writes the index: its manager's watcher updates it.
   */
  readonly requestUpdate?: (path: string) => void;
}

export interface FollowOptions {
  /** Starts the watcher; `onChanges` is called with each batch of changed paths (hints). */
  readonly watch: (onChanges: (paths: readonly string[]) => void) => Promise<{ close(): Promise<void> }>;
  /** One reconciling update (an ingest against the index in service); it switches the server to the new index itself. */
  readonly update: () => Promise<IngestReport>;
  readonly onUpdated: (report: IngestReport, hints: readonly string[]) => void;
  /** An update failed; the index in service stays as it was and the next change tries again. */
  readonly onError: (error: unknown) => void;
}

export async function followDocuments(options: FollowOptions): Promise<DocumentFollower> {
  let running: Promise<void> | undefined;
  let waiting: string[] | undefined;
  let closed = false;

  const run = async (hints: readonly string[]): Promise<void> => {
    try {
      const report = await options.update();
      if (!closed) options.onUpdated(report, hints);
    } catch (error) {
      if (!closed) options.onError(error);
    }
    const next = waiting;
    waiting = undefined;
    running = next !== undefined && !closed ? run(next) : undefined;
    return running;
  };

  const schedule = (paths: readonly string[]) => {
    if (closed) return;
    if (running !== undefined) {
      waiting = [...(waiting ?? []), ...paths];
      return;
    }
    running = run(paths);
  };
  const watcher = await options.watch(schedule);

  return {
    async close() {
      closed = true;
      await watcher.close();
      await running;
    },
    async idle() {
      while (running !== undefined) await running;
    },
    requestUpdate(path) {
      schedule([path]);
    },
  };
}

export interface FollowGenerationsOptions {
  /** When the index in service was built (its manifest's `builtAt`). */
  readonly currentBuild: () => string;
  /** When the saved current generation was built; undefined when there is none. */
  readonly latestBuild: () => Promise<string | undefined>;
  /** Loads the saved current generation and serves it. */
  readonly reload: () => Promise<void>;
  readonly onError: (error: unknown) => void;
  readonly intervalMs?: number;
}

/**
 * How often a reader (a shard) looks at the `CURRENT` pointer: reading one small manifest a
 * second costs nothing, and the manager's update itself takes about as long. Polling rather than
 * a file watch, because `CURRENT` is replaced by a rename (a watch on the old file goes quiet).
 */
export const GENERATION_POLL_MS = 1000;

/** Follows the generations another process (the sharded bot's manager) saves: reloads when `CURRENT` names a newer build. */
export function followGenerations(options: FollowGenerationsOptions): DocumentFollower {
  let running: Promise<void> | undefined;
  let closed = false;
  const check = async () => {
    try {
      const latest = await options.latestBuild();
      if (!closed && latest !== undefined && latest !== options.currentBuild()) await options.reload();
    } catch (error) {
      if (!closed) options.onError(error);
    }
  };
  const timer = setInterval(() => {
    running ??= check().finally(() => {
      running = undefined;
    });
  }, options.intervalMs ?? GENERATION_POLL_MS);
  timer.unref();
  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
    async idle() {
      while (running !== undefined) await running;
    },
  };
}
