/**
 * The file operations a generation is made durable with, behind a small interface so that the
 * order of flushes can be tested (a recording fake) and cannot regress silently. The order that
 * makes a power loss at any moment leave either the old index or the whole new one (index-store.ts
 * saveIndex): every file of the generation flushed → the generation folder flushed (its entries) →
 * the index folder flushed (the new folder's entry) → `CURRENT.tmp` written and flushed → renamed
 * over `CURRENT` → the index folder flushed (the rename itself). Without the last step the rename
 * may not survive; without the first ones `CURRENT` may survive pointing at unflushed data.
 */
import { open, rename } from 'node:fs/promises';

export interface DurableFs {
  /** Writes `data` (or its pieces in order, one write each, so the event loop runs between them) and flushes it (fsync). */
  writeFileSynced(file: string, data: string | Uint8Array | Iterable<string> | AsyncIterable<string | Uint8Array>): Promise<void>;
  /** Flushes a file another writer produced (hnswlib writes `vectors.hnsw` itself, without fsync). */
  syncFile(file: string): Promise<void>;
  /** Flushes a directory, so the entries created or renamed in it survive a power loss. */
  syncDirectory(directory: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

async function syncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The real file system. Directory fsync is not supported on Windows (EPERM/EISDIR there): skipped, as the OS offers no equivalent. */
export const NODE_DURABLE_FS: DurableFs = {
  async writeFileSynced(file, data) {
    const handle = await open(file, 'w');
    try {
      for await (const piece of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) await handle.writeFile(piece);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  syncFile: syncPath,
  async syncDirectory(directory) {
    if (process.platform === 'win32') return;
    await syncPath(directory);
  },
  rename,
};
