/** The SQLite adapter of the community-state port, on a real database file in a temporary folder. */
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GUILD_SETTINGS, type CommunityStore, type StoredAnswer } from '../../src/core/community-store.ts';
import { DATABASE_FILE, MIGRATIONS, openSqliteStore, switchToWal } from '../../src/state/sqlite-store.ts';

const GUILD = '100000000000000001';
const OTHER_GUILD = '100000000000000002';

function answer(id: string, fields: Partial<StoredAnswer> = {}): StoredAnswer {
  return {
    id,
    guildId: GUILD,
    channelId: '200000000000000001',
    userId: 'asker',
    question: `question ${id}`,
    citations: ['seeds/a.txt:L1-L2', 'seeds/b.txt:L5-L9'],
    abstained: false,
    public: true,
    createdAt: 1_000,
    ...fields,
  };
}

describe('openSqliteStore', () => {
  let dir: string;
  let store: CommunityStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'citebot-state-'));
    store = openSqliteStore({ dataDir: path.join(dir, 'data') });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the folder and one database file in WAL mode, migrated to the latest schema version', () => {
    const db = new Database(path.join(dir, 'data', DATABASE_FILE), { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    db.close();
  });

  it('stores an answer with its question, citations and abstention, and finds it by id after reopening', async () => {
    await store.recordAnswer(answer('a1', { abstained: true, citations: ['x.md:L3-L4'] }));
    await store.close();
    store = openSqliteStore({ dataDir: path.join(dir, 'data') });
    expect(await store.findAnswer('a1')).toEqual(answer('a1', { abstained: true, citations: ['x.md:L3-L4'] }));
    expect(await store.findAnswer('missing')).toBeUndefined();
  });

  it('keeps one vote per member per answer, which the member can change', async () => {
    await store.recordAnswer(answer('a1'));
    expect(await store.recordVote({ answerId: 'a1', userId: 'm1', helpful: true, votedAt: 2_000 })).toEqual({ change: 'new' });
    expect(await store.recordVote({ answerId: 'a1', userId: 'm1', helpful: true, votedAt: 2_100 })).toEqual({ change: 'same' });
    expect(await store.recordVote({ answerId: 'a1', userId: 'm1', helpful: false, votedAt: 2_200 })).toEqual({ change: 'changed' });
    await store.recordVote({ answerId: 'a1', userId: 'm2', helpful: true, votedAt: 2_300 });
    expect(await store.votesFor('a1')).toEqual([
      { answerId: 'a1', userId: 'm1', helpful: false, votedAt: 2_200 },
      { answerId: 'a1', userId: 'm2', helpful: true, votedAt: 2_300 },
    ]);
    const [row] = await store.answersSince(GUILD, 0);
    expect(row).toMatchObject({ id: 'a1', helpfulVotes: 1, unhelpfulVotes: 1 });
  });

  it('refuses a vote on an answer it does not have', async () => {
    await expect(store.recordVote({ answerId: 'nope', userId: 'm1', helpful: true, votedAt: 1 })).rejects.toThrow(/FOREIGN KEY/);
  });

  it('lists a server’s answers since a moment, and the servers it has', async () => {
    await store.recordAnswer(answer('old', { createdAt: 500 }));
    await store.recordAnswer(answer('new', { createdAt: 1_500 }));
    await store.recordAnswer(answer('elsewhere', { guildId: OTHER_GUILD, createdAt: 1_500 }));
    expect((await store.answersSince(GUILD, 1_000)).map((a) => a.id)).toEqual(['new']);
    expect(await store.guilds()).toEqual([GUILD, OTHER_GUILD]);
  });

  it('forgets a member in one server: their questions, the votes on them, and their votes; nothing else', async () => {
    await store.recordAnswer(answer('theirs', { userId: 'm1' }));
    await store.recordAnswer(answer('someone-elses', { userId: 'm2' }));
    await store.recordAnswer(answer('theirs-elsewhere', { userId: 'm1', guildId: OTHER_GUILD }));
    await store.recordVote({ answerId: 'someone-elses', userId: 'm1', helpful: true, votedAt: 1 });
    await store.recordVote({ answerId: 'someone-elses', userId: 'm3', helpful: true, votedAt: 1 });
    await store.recordVote({ answerId: 'theirs', userId: 'm3', helpful: false, votedAt: 1 });
    await store.recordVote({ answerId: 'theirs-elsewhere', userId: 'm1', helpful: true, votedAt: 1 });
    expect(await store.forgetMember(GUILD, 'm1')).toEqual({ questions: 1, votes: 1 });
    expect(await store.findAnswer('theirs')).toBeUndefined();
    expect((await store.votesFor('someone-elses')).map((v) => v.userId)).toEqual(['m3']);
    expect(await store.findAnswer('theirs-elsewhere')).toBeDefined();
    expect(await store.votesFor('theirs-elsewhere')).toHaveLength(1);
  });

  it('prunes answers and votes older than the cutoff', async () => {
    await store.recordAnswer(answer('old', { createdAt: 100 }));
    await store.recordAnswer(answer('new', { createdAt: 5_000 }));
    await store.recordVote({ answerId: 'old', userId: 'm1', helpful: true, votedAt: 6_000 });
    await store.recordVote({ answerId: 'new', userId: 'm1', helpful: true, votedAt: 200 });
    await store.recordVote({ answerId: 'new', userId: 'm2', helpful: true, votedAt: 6_000 });
    expect(await store.prune(1_000)).toEqual({ answers: 1, votes: 2 });
    expect(await store.findAnswer('old')).toBeUndefined();
    expect((await store.votesFor('new')).map((v) => v.userId)).toEqual(['m2']);
  });

  it('keeps per-server settings: defaults until changed, partial changes, kept across reopening', async () => {
    expect(await store.guildSettings(GUILD)).toEqual(DEFAULT_GUILD_SETTINGS);
    expect(await store.updateGuildSettings(GUILD, { answerInThread: true }, 1)).toEqual({ ...DEFAULT_GUILD_SETTINGS, answerInThread: true });
    await store.updateGuildSettings(GUILD, { mentionChannels: ['1', '2'] }, 2);
    await store.close();
    store = openSqliteStore({ dataDir: path.join(dir, 'data') });
    expect(await store.guildSettings(GUILD)).toEqual({ ...DEFAULT_GUILD_SETTINGS, answerInThread: true, mentionChannels: ['1', '2'] });
    expect(await store.guildSettings(OTHER_GUILD)).toEqual(DEFAULT_GUILD_SETTINGS);
  });

  it('migrates a version-1 database (before settings) without losing its answers', async () => {
    await store.close();
    const file = path.join(dir, 'v1', DATABASE_FILE);
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
    const db = new Database(file);
    db.exec(MIGRATIONS[0] ?? '');
    db.pragma('user_version = 1');
    db.prepare("INSERT INTO answers VALUES ('old', ?, 'c', 'u', 'q', '[]', 0, 1, 5)").run(GUILD);
    db.close();
    store = openSqliteStore({ dataDir: path.dirname(file) });
    expect(await store.findAnswer('old')).toMatchObject({ question: 'q' });
    expect(await store.guildSettings(GUILD)).toEqual(DEFAULT_GUILD_SETTINGS);
  });

  it('keeps auto-answer channels and the cooldown (null: the bot default), and migrates a version-2 database keeping its settings', async () => {
    const saved = await store.updateGuildSettings(GUILD, { autoAnswerChannels: ['7', '8'], cooldownSeconds: 30 }, 3);
    expect(saved).toEqual({ ...DEFAULT_GUILD_SETTINGS, autoAnswerChannels: ['7', '8'], cooldownSeconds: 30 });
    expect(await store.updateGuildSettings(GUILD, { cooldownSeconds: null }, 4)).toEqual({ ...saved, cooldownSeconds: null });

    await store.close();
    const file = path.join(dir, 'v2', DATABASE_FILE);
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(file), { recursive: true }));
    const db = new Database(file);
    db.exec(MIGRATIONS[0] ?? '');
    db.exec(MIGRATIONS[1] ?? '');
    db.pragma('user_version = 2');
    db.prepare("INSERT INTO guild_settings VALUES (?, 1, 0, '[\"5\"]', 1)").run(GUILD);
    db.close();
    store = openSqliteStore({ dataDir: path.dirname(file) });
    expect(await store.guildSettings(GUILD)).toEqual({ ...DEFAULT_GUILD_SETTINGS, answerInThread: true, mentionChannels: ['5'] });
  });

  it('refuses a database written by a newer schema, with a hint', async () => {
    await store.close();
    const db = new Database(path.join(dir, 'data', DATABASE_FILE));
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    db.close();
    expect(() => openSqliteStore({ dataDir: path.join(dir, 'data') })).toThrow(/schema version/);
    store = openSqliteStore({ dataDir: path.join(dir, 'other') });
  });

  it('opens read-only for the report without creating anything', async () => {
    expect(() => openSqliteStore({ dataDir: path.join(dir, 'absent'), readOnly: true })).toThrow(/There is no citebot database/);
    await store.recordAnswer(answer('a1'));
    const reader = openSqliteStore({ dataDir: path.join(dir, 'data'), readOnly: true });
    expect((await reader.answersSince(GUILD, 0)).map((a) => a.id)).toEqual(['a1']);
    await reader.close();
  });
});

describe('switching a new file to WAL while other processes do the same', () => {
  const busy = () => Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
  /** A connection whose WAL switch fails with `failures` (in order) before it succeeds. */
  const connection = (failures: Error[]) => {
    const calls: string[] = [];
    return {
      calls,
      pragma(source: string) {
        calls.push(source);
        const failure = failures.shift();
        if (failure !== undefined) throw failure;
        return 'wal';
      },
    };
  };

  afterEach(() => vi.restoreAllMocks());

  it('retries the lock race SQLite reports busy at once, pausing a little longer each time', () => {
    const db = connection([busy(), busy()]);
    const pauses: number[] = [];
    switchToWal(db, (ms) => pauses.push(ms));
    expect(db.calls).toEqual(['journal_mode = WAL', 'journal_mode = WAL', 'journal_mode = WAL']);
    expect(pauses).toEqual([5, 10]);
  });

  it('does not retry an error other than busy', () => {
    const db = connection([Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })]);
    expect(() => switchToWal(db, () => undefined)).toThrow('disk I/O error');
    expect(db.calls).toHaveLength(1);
  });

  it('gives up once the busy timeout has passed', () => {
    let now = 1_000_000;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const db = connection(Array.from({ length: 1000 }, busy));
    expect(() => switchToWal(db, (ms) => (now += ms * 100))).toThrow('database is locked');
    expect(db.calls.length).toBeGreaterThan(1);
    expect(db.calls.length).toBeLessThan(1000);
  });
});
