/**
 * One writer at a time (issue 9.4): the lock's own rules in-process (a live holder makes the next
 * writer wait and then give up naming it; a dead or reused-pid holder is taken over). Two real
 * processes ingesting the same folder at the same moment are in writer-lock.e2e.test.ts.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCitebotError } from '../../src/core/errors.ts';
import { acquireWriterLock, LOCK_FILE, ownerIsAlive, processStartTime, type LockOwner } from '../../src/index-store/writer-lock.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';

let workspace: TestWorkspace;
beforeAll(async () => {
  workspace = await createWorkspace({ embedder: 'hashed', copySeeds: false });
});
afterAll(() => workspace.cleanup());

/** The pid of a process that has exited (so no process has it, for now). */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  const pid = child.pid as number;
  await new Promise((resolve) => child.once('exit', resolve));
  return pid;
}

describe('the writer lock', () => {
  it('a second writer waits for a live holder, then gives up naming it (pid and host)', async () => {
    const dir = path.join(workspace.root, 'lock-live');
    const held = await acquireWriterLock(dir);
    const waitedFor: LockOwner[] = [];
    const error = await acquireWriterLock(dir, { waitMs: 300, onWait: (owner) => waitedFor.push(owner) }).catch((e: unknown) => e);
    expect(isCitebotError(error) && error.code).toBe('INDEX_LOCKED');
    expect((error as Error).message).toContain(`another ingest (pid ${process.pid} on ${hostname()}, since ${held.owner.since})`);
    expect(waitedFor).toEqual([held.owner]);
    await held.release();
    const next = await acquireWriterLock(dir, { waitMs: 0 });
    await next.release();
  });

  it('a lock whose process is gone is taken over; so is one whose pid was reused by another process', async () => {
    const dir = path.join(workspace.root, 'lock-stale');
    const first = await acquireWriterLock(dir);
    await first.release();
    const stale: (LockOwner | undefined)[] = [];
    const dead: LockOwner = { pid: await deadPid(), startTime: '1', host: hostname(), since: new Date().toISOString() };
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(dead));
    const afterDead = await acquireWriterLock(dir, { waitMs: 0, onStale: (owner) => stale.push(owner) });
    await afterDead.release();
    // Our own pid, but recorded with another start time: the process that took the lock is not this one.
    const reused: LockOwner = { pid: process.pid, startTime: 'not-this-process', host: hostname(), since: new Date().toISOString() };
    await writeFile(path.join(dir, LOCK_FILE), JSON.stringify(reused));
    const startTimeKnown = processStartTime('self') !== undefined;
    const result = await acquireWriterLock(dir, { waitMs: 0, onStale: (owner) => stale.push(owner) }).catch((e: unknown) => e);
    if (startTimeKnown) {
      expect(stale).toEqual([dead, reused]);
      await (result as { release(): Promise<void> }).release();
    } else {
      expect(isCitebotError(result) && result.code).toBe('INDEX_LOCKED');
    }
  });

  it('ownerIsAlive: another host is assumed live; a stopped pid or another start time is not', () => {
    const owner: LockOwner = { pid: 42, startTime: '100', host: 'here', since: '' };
    const probe = (running: boolean, startTime: string | undefined) => ({ host: 'here', running: () => running, startTime: () => startTime });
    expect(ownerIsAlive({ ...owner, host: 'elsewhere' }, probe(false, undefined))).toBe(true);
    expect(ownerIsAlive(owner, probe(false, '100'))).toBe(false);
    expect(ownerIsAlive(owner, probe(true, '101'))).toBe(false);
    expect(ownerIsAlive(owner, probe(true, '100'))).toBe(true);
    expect(ownerIsAlive(owner, probe(true, undefined))).toBe(true);
  });
});
