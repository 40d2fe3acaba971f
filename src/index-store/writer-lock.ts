/**
 * One writer at a time on an `embeddings/` folder: a lock file (`LOCK`) created exclusively
 * (`O_CREAT | O_EXCL`, atomic on local file systems) holding its owner's pid, the process's start
 * time and host. A second writer waits (saying whom it waits for) and gives up with INDEX_LOCKED
 * naming the holder. A lock whose owner is gone — the pid is not running, or it is running with
 * another start time (the pid was reused after a crash) — is stale and taken over.
 *
 * Readers never take the lock: they load a complete generation through `CURRENT`, which a writer
 * only ever switches by an atomic rename (see index-store.ts for why garbage collection cannot
 * delete a generation a reader is loading).
 */
import { readFileSync } from 'node:fs';
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CitebotError } from '../core/errors.ts';

export const LOCK_FILE = 'LOCK';
/** Held for the few microseconds it takes to remove a stale lock, so two processes never both take one over. */
const BREAK_FILE = 'LOCK.break';

/** How often a waiting writer looks again: often enough to start soon after the holder ends, rarely enough to cost nothing. */
const POLL_MS = 100;
/**
 * A lock file without a readable owner is being written (create and write are two steps); only when
 * it stays so this long did its writer die between them, and it is stale.
 */
const UNREADABLE_STALE_MS = 5_000;
/** Default wait for another writer: long enough for a 100k-passage re-ingest on a slow machine. */
export const DEFAULT_LOCK_WAIT_MS = 15 * 60_000;

/** Who holds the lock. */
export interface LockOwner {
  readonly pid: number;
  /** The process's start time as the OS records it (Linux: /proc/<pid>/stat field 22); undefined where unknown. */
  readonly startTime: string | undefined;
  readonly host: string;
  /** When the lock was taken (ISO time). */
  readonly since: string;
}

/** The OS's start time of a process (Linux), to tell a live owner from a reused pid. Undefined elsewhere. */
export function processStartTime(pid: number | 'self'): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the owner of a lock is still the process that took it. Another host's lock is assumed live (it cannot be checked from here). */
export function ownerIsAlive(owner: LockOwner, probe: { host: string; running: (pid: number) => boolean; startTime: (pid: number) => string | undefined } = { host: hostname(), running: isRunning, startTime: processStartTime }): boolean {
  if (owner.host !== probe.host) return true;
  if (!probe.running(owner.pid)) return false;
  const now = probe.startTime(owner.pid);
  return owner.startTime === undefined || now === undefined || now === owner.startTime;
}

/** "pid 1234 on host, since 2026-12-02T01:02:03Z": the holder, as messages name it. Pure. */
export function describeOwner(owner: LockOwner): string {
  return `pid ${owner.pid} on ${owner.host}, since ${owner.since}`;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid !== 'number' || typeof value.host !== 'string' || typeof value.since !== 'string') return undefined;
    return { pid: value.pid, host: value.host, since: value.since, startTime: typeof value.startTime === 'string' ? value.startTime : undefined };
  } catch {
    return undefined;
  }
}

/** Creates `file` exclusively with `content`, flushed; false when it already exists. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/** The lock as found on disk: its text (to remove exactly that lock) and owner, or undefined when there is none. */
async function readLock(file: string): Promise<{ text: string; owner: LockOwner | undefined; ageMs: number } | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    return { text, owner: parseOwner(text), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes the stale lock whose text is `staleText`, unless someone replaced it meanwhile. The
 * check and the removal happen under the break file, so of two processes that both saw the same
 * stale lock only one removes it and the other cannot remove the new lock the first then takes.
 */
async function breakStaleLock(indexDir: string, staleText: string): Promise<void> {
  const breakFile = path.join(indexDir, BREAK_FILE);
  const me = JSON.stringify(currentOwner());
  if (!(await createExclusive(breakFile, me))) {
    // Someone else is breaking it; a break file left by a process that died in those microseconds is removed.
    const other = await readLock(breakFile);
    if (other !== undefined && (other.owner === undefined ? other.ageMs > UNREADABLE_STALE_MS : !ownerIsAlive(other.owner))) await rm(breakFile, { force: true });
    return;
  }
  try {
    const now = await readLock(path.join(indexDir, LOCK_FILE));
    if (now?.text === staleText) await rm(path.join(indexDir, LOCK_FILE), { force: true });
  } finally {
    await rm(breakFile, { force: true });
  }
}

function currentOwner(): LockOwner {
  return { pid: process.pid, startTime: processStartTime('self'), host: hostname(), since: new Date().toISOString() };
}

export interface WriterLock {
  readonly owner: LockOwner;
  /** Removes the lock (only if it is still this one). */
  release(): Promise<void>;
}

export interface AcquireOptions {
  /** How long to wait for another writer before giving up with INDEX_LOCKED. Default {@link DEFAULT_LOCK_WAIT_MS}. */
  readonly waitMs?: number;
  /** Called once when the lock is held by another live writer and this one starts waiting. */
  readonly onWait?: (owner: LockOwner) => void;
  /** Called when a stale lock (its owner gone) is taken over. */
  readonly onStale?: (owner: LockOwner | undefined) => void;
}

/** Takes the writer lock of `indexDir` (creating the folder), waiting for a live holder. Throws INDEX_LOCKED after `waitMs`. */
export async function acquireWriterLock(indexDir: string, options: AcquireOptions = {}): Promise<WriterLock> {
  await mkdir(indexDir, { recursive: true });
  const file = path.join(indexDir, LOCK_FILE);
  const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
  const started = Date.now();
  let waited = false;
  for (;;) {
    const owner = currentOwner();
    const text = JSON.stringify(owner);
    if (await createExclusive(file, text)) {
      return {
        owner,
        release: async () => {
          const now = await readLock(file);
          if (now?.text === text) await rm(file, { force: true });
        },
      };
    }
    const held = await readLock(file);
    if (held === undefined) continue; // released between our two calls: try again at once
    const stale = held.owner === undefined ? held.ageMs > UNREADABLE_STALE_MS : !ownerIsAlive(held.owner);
    if (stale) {
      options.onStale?.(held.owner);
      await breakStaleLock(indexDir, held.text);
      continue;
    }
    if (Date.now() - started >= waitMs) {
      const who = held.owner === undefined ? 'another process' : `another ingest (${describeOwner(held.owner)})`;
      throw new CitebotError('INDEX_LOCKED', `The index in ${indexDir} is being written by ${who}; gave up waiting after ${Math.round(waitMs / 1000)} s.`, {
        hint: `Wait for it to finish (or stop it), then run this again. If no such process runs, delete ${file}.`,
      });
    }
    if (!waited && held.owner !== undefined) options.onWait?.(held.owner);
    waited = true;
    await sleep(POLL_MS);
  }
}

/** Runs `work` holding the writer lock of `indexDir`, and releases it however `work` ends. */
export async function withWriterLock<T>(indexDir: string, work: () => Promise<T>, options: AcquireOptions = {}): Promise<T> {
  const lock = await acquireWriterLock(indexDir, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}
