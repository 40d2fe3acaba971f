/**
 * The one adapter over chokidar: tells when something in a folder may have changed.
 *
 * Events are hints, not facts (editors save by writing a temporary file and renaming it over the
 * original; events arrive in bursts and can be lost), so the watcher only reports *that* paths
 * changed, debounced into one batch; the caller reconciles the folder against its index.
 */
import { watch } from 'chokidar';

/** A running watcher. */
export interface FolderWatcher {
  /** Stops watching (no more batches are reported once it resolves). */
  close(): Promise<void>;
}

export interface WatchFolderOptions {
  readonly folder: string;
  /** Only paths for which this is true (or directories) count as changes. Default: every path. */
  readonly relevant?: (file: string) => boolean;
  /** Called with the paths changed since the last batch, after {@link WATCH_DEFAULTS.quietMs} without further events. */
  readonly onChanges: (paths: readonly string[]) => void;
  readonly onError: (error: Error) => void;
  readonly quietMs?: number;
  readonly maxWaitMs?: number;
}

/** How changes are batched. */
export const WATCH_DEFAULTS = {
  /**
   * Quiet time after the last event before a batch is reported: an editor's save (write
   * temporary file, rename, sometimes chmod) and a `git checkout` of many files each arrive
   * within a few ms of each other, while a person does not save twice in 250 ms.
   */
  quietMs: 250,
  /** Upper bound on the wait while events keep coming (a long copy): the index follows at least this often. */
  maxWaitMs: 2000,
} as const satisfies Required<Pick<WatchFolderOptions, 'quietMs' | 'maxWaitMs'>>;

/**
 * Watches `folder` recursively; resolves once the initial scan is done (changes after that are
 * reported). chokidar's `atomic` handling folds an editor's delete-and-recreate into one change.
 */
export async function watchFolder(options: WatchFolderOptions): Promise<FolderWatcher> {
  const quietMs = options.quietMs ?? WATCH_DEFAULTS.quietMs;
  const maxWaitMs = options.maxWaitMs ?? WATCH_DEFAULTS.maxWaitMs;
  const relevant = options.relevant ?? (() => true);
  let pending = new Set<string>();
  let quietTimer: NodeJS.Timeout | undefined;
  let firstEventAt: number | undefined;
  let closed = false;

  const flush = () => {
    clearTimeout(quietTimer);
    quietTimer = undefined;
    firstEventAt = undefined;
    const paths = [...pending];
    pending = new Set();
    if (!closed && paths.length > 0) options.onChanges(paths);
  };

  const watcher = watch(options.folder, { ignoreInitial: true, atomic: true, persistent: true });
  watcher.on('all', (event, file) => {
    const isDirectory = event === 'addDir' || event === 'unlinkDir';
    if (!isDirectory && !relevant(file)) return;
    pending.add(file);
    const now = Date.now();
    firstEventAt ??= now;
    clearTimeout(quietTimer);
    quietTimer = setTimeout(flush, Math.max(0, Math.min(quietMs, firstEventAt + maxWaitMs - now)));
  });
  watcher.on('error', (error) => options.onError(error instanceof Error ? error : new Error(String(error))));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  return {
    async close() {
      closed = true;
      clearTimeout(quietTimer);
      await watcher.close();
    },
  };
}
