/**
 * Several processes writing one community database at once (the shards of `npm run
 * start:sharded` share CITEBOT_DATA_DIR): a fresh file is migrated once, and every write of every
 * process lands, none failing with "database is locked" (busy timeout + IMMEDIATE transactions).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { MIGRATIONS, openSqliteStore } from '../../src/state/sqlite-store.ts';
import { REPO_ROOT } from '../support/engine.ts';
import { spawnEntry, waitUntil, type Spawned } from '../support/spawn.ts';

const WRITERS = 3;
const ROUNDS = 150;
/** Generous: each process compiles the store with tsx on a shared machine. */
const START_TIMEOUT_MS = 60_000;
const GUILD = '100000000000000001';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'citebot-multi-process-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('one SQLite file, several writing processes', () => {
  it('migrates a new file once and keeps every write of every process', { timeout: 3 * START_TIMEOUT_MS }, async () => {
    const dataDir = path.join(dir, 'data');
    const goFile = path.join(dir, 'go');
    const writers: Spawned[] = Array.from({ length: WRITERS }, (_, i) =>
      spawnEntry('test/community/fixtures/store-writer.ts', [dataDir, `w${i}`, String(ROUNDS), goFile], { cwd: REPO_ROOT, env: {} }),
    );
    await waitUntil(
      () => writers.every((w) => w.stdout().includes('ready') || w.child.exitCode !== null),
      START_TIMEOUT_MS,
      () => writers.map((w) => w.stderr().slice(-500)).join('\n'),
    );
    expect(writers.map((w) => w.child.exitCode), writers.map((w) => w.stderr().slice(-800)).join('\n---\n')).toEqual(writers.map(() => null));
    await writeFile(goFile, '');
    expect(await Promise.all(writers.map((w) => w.exited))).toEqual(writers.map(() => 0));
    const summaries = writers.map((w) => JSON.parse(w.stdout().trim().split('\n').at(-1) ?? '{}') as { errors: number; firstError: string });
    expect(summaries.map((s) => [s.errors, s.firstError])).toEqual(writers.map(() => [0, '']));

    const store = openSqliteStore({ dataDir, readOnly: true });
    const answers = await store.answersSince(GUILD, 0);
    const voted = answers.filter((a) => a.helpfulVotes === 0 && a.unhelpfulVotes === 1).length;
    const settings = await store.guildSettings(GUILD);
    await store.close();
    for (let w = 0; w < WRITERS; w += 1) for (let i = 0; i < ROUNDS; i += 1) expect(answers.some((a) => a.id === `w${w}-${i}`)).toBe(true);
    expect(answers).toHaveLength(WRITERS * ROUNDS);
    // Each answer's vote was recorded and then changed: one vote, Not helpful.
    expect(voted).toBe(WRITERS * ROUNDS);
    expect(settings.cooldownSeconds).toBe((ROUNDS - 1) % 60);
    const db = new Database(path.join(dataDir, 'citebot.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });
});
