/**
 * The SQLite adapter of the community-state port (core/community-store.ts), on better-sqlite3:
 * the only file that imports it. One database file, WAL journal, versioned migrations applied
 * when it opens.
 *
 * Durability: `synchronous = FULL` makes every commit fsync the WAL before the statement returns,
 * so a resolved promise means the change survives a crash of the process (kill -9) and of the
 * machine. Votes and settings are a handful of writes a minute; the fsync (~1 ms on SSD) is
 * cheaper than explaining a lost vote. better-sqlite3 is synchronous: each call finishes its
 * transaction before returning, so no acknowledgement can overtake its commit.
 *
 * Several processes (the shards of `npm run start:sharded`, the command-line report) share the
 * file. WAL lets readers run beside the one writer; a writer waits up to {@link BUSY_TIMEOUT_MS}
 * for another's lock. Every read-then-write transaction is IMMEDIATE (takes the write lock at
 * BEGIN): a deferred one that reads and then tries to write after another process committed gets
 * SQLITE_BUSY at once, without waiting, because SQLite cannot upgrade a stale read snapshot.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CitebotError } from '../core/errors.ts';
import {
  DEFAULT_GUILD_SETTINGS,
  type AnswerWithVotes,
  type CommunityStore,
  type ForgetOutcome,
  type GuildSettings,
  type PruneOutcome,
  type StoredAnswer,
  type Vote,
  type VoteOutcome,
} from '../core/community-store.ts';

/** The database file's name inside the data folder. */
export const DATABASE_FILE = 'citebot.sqlite';

/**
 * How long a writer waits for another connection's lock before failing (the CLI report may read
 * while the bot writes; WAL lets readers through, this covers a concurrent writer).
 */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The schema, one step per version: `PRAGMA user_version` says how many have been applied. Never
 * edit a released step; add a new one (a server-database adapter would carry the same history).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE answers (
     id          TEXT PRIMARY KEY,
     guild_id    TEXT NOT NULL,
     channel_id  TEXT NOT NULL,
     user_id     TEXT NOT NULL,
     question    TEXT NOT NULL,
     citations   TEXT NOT NULL,          -- JSON array of the citations shown
     abstained   INTEGER NOT NULL CHECK (abstained IN (0, 1)),
     public      INTEGER NOT NULL CHECK (public IN (0, 1)),
     created_at  INTEGER NOT NULL        -- ms since the epoch
   ) STRICT;
   CREATE INDEX answers_by_guild_time ON answers (guild_id, created_at);
   CREATE INDEX answers_by_member ON answers (guild_id, user_id);
   CREATE INDEX answers_by_time ON answers (created_at);
   CREATE TABLE votes (
     answer_id   TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
     user_id     TEXT NOT NULL,
     helpful     INTEGER NOT NULL CHECK (helpful IN (0, 1)),
     voted_at    INTEGER NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   ) STRICT;
   CREATE INDEX votes_by_member ON votes (user_id);
   CREATE INDEX votes_by_time ON votes (voted_at);`,
  `CREATE TABLE guild_settings (
     guild_id            TEXT PRIMARY KEY,
     answer_in_thread    INTEGER NOT NULL CHECK (answer_in_thread IN (0, 1)),
     private_by_default  INTEGER NOT NULL CHECK (private_by_default IN (0, 1)),
     mention_channels    TEXT NOT NULL,   -- JSON array of channel ids; [] = every channel
     updated_at          INTEGER NOT NULL
   ) STRICT;`,
  `ALTER TABLE guild_settings ADD COLUMN auto_answer_channels TEXT NOT NULL DEFAULT '[]';  -- JSON array of channel ids
   ALTER TABLE guild_settings ADD COLUMN cooldown_seconds INTEGER;                          -- whole seconds; NULL = the bot's default`,
];

interface AnswerRow {
  id: string;
  guild_id: string;
  channel_id: string;
  user_id: string;
  question: string;
  citations: string;
  abstained: number;
  public: number;
  created_at: number;
}

export interface SqliteStoreOptions {
  /** The data folder (created if missing); the database is {@link DATABASE_FILE} inside it. */
  readonly dataDir: string;
  /** Open without writing (the command-line report): no migrations, no folder creation. */
  readonly readOnly?: boolean;
}

/** Opens (creating and migrating as needed) the community database in `dataDir`. */
export function openSqliteStore(options: SqliteStoreOptions): CommunityStore {
  const file = path.join(options.dataDir, DATABASE_FILE);
  if (options.readOnly === true && !existsSync(file)) {
    throw new CitebotError('STATE_UNAVAILABLE', `There is no citebot database in ${options.dataDir} yet.`, {
      hint: 'It is created when the bot first runs (npm start with DISCORD_TOKEN); point CITEBOT_DATA_DIR at the folder the bot uses.',
    });
  }
  let db: Database.Database;
  try {
    if (options.readOnly !== true) mkdirSync(options.dataDir, { recursive: true });
    db = new Database(file, { readonly: options.readOnly === true, fileMustExist: options.readOnly === true, timeout: BUSY_TIMEOUT_MS });
    if (options.readOnly !== true) {
      switchToWal(db);
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (options.readOnly !== true) migrate(db, file);
    else checkVersion(db, file);
  } catch (error) {
    if (error instanceof CitebotError) throw error;
    throw new CitebotError('STATE_UNAVAILABLE', `Could not open the database ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return new SqliteStore(db);
}

/** SQLite's busy codes (`SQLITE_BUSY`, `SQLITE_BUSY_SNAPSHOT`, …): another connection holds a lock this one needs. */
function isBusyError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** Blocks the thread for `ms` (better-sqlite3 is synchronous; this is the open path, not a request). */
const pauseSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * Puts the file in WAL mode, retrying while another process holds the lock for the same switch.
 * On a new file every shard switches at once, and SQLite answers the loser of that lock race
 * SQLITE_BUSY at once instead of waiting the busy timeout (waiting would deadlock): 2 of 25 starts
 * of 8 processes on one new file failed "database is locked" at this pragma (2026-12-02), and a
 * CI run lost a test writer to it. Retried with a growing pause until {@link BUSY_TIMEOUT_MS}.
 */
export function switchToWal(db: Pick<Database.Database, 'pragma'>, pause: (ms: number) => void = pauseSync): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!isBusyError(error) || Date.now() >= deadline) throw error;
      pause(Math.min(5 * attempt, 50));
    }
  }
}

/**
 * Applies the migrations the file has not seen yet, all in one IMMEDIATE transaction that re-reads
 * the version inside it: shard processes (`npm run start:sharded`) open a new file at the same
 * moment, and the first one migrates while the others wait for its lock (busy timeout) and then
 * find nothing left to do, instead of running the same `CREATE TABLE` twice.
 */
function migrate(db: Database.Database, file: string): void {
  db.transaction(() => {
    const version = checkVersion(db, file);
    for (let step = version; step < MIGRATIONS.length; step += 1) {
      db.exec(MIGRATIONS[step] ?? '');
      db.pragma(`user_version = ${step + 1}`);
    }
  }).immediate();
}

function checkVersion(db: Database.Database, file: string): number {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > MIGRATIONS.length) {
    throw new CitebotError('STATE_UNAVAILABLE', `The database ${file} has schema version ${version}; this citebot knows up to ${MIGRATIONS.length}.`, {
      hint: 'Run the citebot version that wrote it (or newer), or point CITEBOT_DATA_DIR at another folder.',
    });
  }
  return version;
}

function toAnswer(row: AnswerRow): StoredAnswer {
  return {
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    userId: row.user_id,
    question: row.question,
    citations: JSON.parse(row.citations) as string[],
    abstained: row.abstained === 1,
    public: row.public === 1,
    createdAt: row.created_at,
  };
}

class SqliteStore implements CommunityStore {
  readonly #db: Database.Database;

  constructor(db: Database.Database) {
    this.#db = db;
  }

  async guildSettings(guildId: string): Promise<GuildSettings> {
    return this.#guildSettingsSync(guildId);
  }

  async updateGuildSettings(guildId: string, change: Partial<GuildSettings>, at: number): Promise<GuildSettings> {
    return this.#db.transaction((): GuildSettings => {
      const current = this.#guildSettingsSync(guildId);
      const next: GuildSettings = { ...current, ...change };
      this.#db
        .prepare(
          `INSERT INTO guild_settings (guild_id, answer_in_thread, private_by_default, mention_channels, auto_answer_channels, cooldown_seconds, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (guild_id) DO UPDATE SET answer_in_thread = excluded.answer_in_thread, private_by_default = excluded.private_by_default,
             mention_channels = excluded.mention_channels, auto_answer_channels = excluded.auto_answer_channels,
             cooldown_seconds = excluded.cooldown_seconds, updated_at = excluded.updated_at`,
        )
        .run(
          guildId,
          next.answerInThread ? 1 : 0,
          next.privateByDefault ? 1 : 0,
          JSON.stringify(next.mentionChannels),
          JSON.stringify(next.autoAnswerChannels),
          next.cooldownSeconds,
          at,
        );
      return next;
    }).immediate();
  }

  #guildSettingsSync(guildId: string): GuildSettings {
    const row = this.#db.prepare('SELECT * FROM guild_settings WHERE guild_id = ?').get(guildId) as
      | { answer_in_thread: number; private_by_default: number; mention_channels: string; auto_answer_channels: string; cooldown_seconds: number | null }
      | undefined;
    if (row === undefined) return DEFAULT_GUILD_SETTINGS;
    return {
      answerInThread: row.answer_in_thread === 1,
      privateByDefault: row.private_by_default === 1,
      mentionChannels: JSON.parse(row.mention_channels) as string[],
      autoAnswerChannels: JSON.parse(row.auto_answer_channels) as string[],
      cooldownSeconds: row.cooldown_seconds,
    };
  }

  async recordAnswer(answer: StoredAnswer): Promise<void> {
    this.#db
      .prepare(
        `INSERT INTO answers (id, guild_id, channel_id, user_id, question, citations, abstained, public, created_at)
         VALUES (@id, @guildId, @channelId, @userId, @question, @citations, @abstained, @public, @createdAt)`,
      )
      .run({ ...answer, citations: JSON.stringify(answer.citations), abstained: answer.abstained ? 1 : 0, public: answer.public ? 1 : 0 });
  }

  async findAnswer(id: string): Promise<StoredAnswer | undefined> {
    const row = this.#db.prepare('SELECT * FROM answers WHERE id = ?').get(id) as AnswerRow | undefined;
    return row === undefined ? undefined : toAnswer(row);
  }

  async recordVote(vote: Vote): Promise<VoteOutcome> {
    return this.#db.transaction((): VoteOutcome => {
      const before = this.#db.prepare('SELECT helpful FROM votes WHERE answer_id = ? AND user_id = ?').get(vote.answerId, vote.userId) as
        | { helpful: number }
        | undefined;
      this.#db
        .prepare(
          `INSERT INTO votes (answer_id, user_id, helpful, voted_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (answer_id, user_id) DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at`,
        )
        .run(vote.answerId, vote.userId, vote.helpful ? 1 : 0, vote.votedAt);
      if (before === undefined) return { change: 'new' };
      return { change: (before.helpful === 1) === vote.helpful ? 'same' : 'changed' };
    }).immediate();
  }

  async votesFor(answerId: string): Promise<readonly Vote[]> {
    const rows = this.#db.prepare('SELECT * FROM votes WHERE answer_id = ? ORDER BY voted_at').all(answerId) as {
      answer_id: string;
      user_id: string;
      helpful: number;
      voted_at: number;
    }[];
    return rows.map((row) => ({ answerId: row.answer_id, userId: row.user_id, helpful: row.helpful === 1, votedAt: row.voted_at }));
  }

  async answersSince(guildId: string, since: number): Promise<readonly AnswerWithVotes[]> {
    const rows = this.#db
      .prepare(
        `SELECT a.*,
                COALESCE(SUM(v.helpful = 1), 0) AS helpful_votes,
                COALESCE(SUM(v.helpful = 0), 0) AS unhelpful_votes
         FROM answers a LEFT JOIN votes v ON v.answer_id = a.id
         WHERE a.guild_id = ? AND a.created_at >= ?
         GROUP BY a.id ORDER BY a.created_at, a.id`,
      )
      .all(guildId, since) as (AnswerRow & { helpful_votes: number; unhelpful_votes: number })[];
    return rows.map((row) => ({ ...toAnswer(row), helpfulVotes: row.helpful_votes, unhelpfulVotes: row.unhelpful_votes }));
  }

  async guilds(): Promise<readonly string[]> {
    return (this.#db.prepare('SELECT DISTINCT guild_id FROM answers ORDER BY guild_id').all() as { guild_id: string }[]).map((row) => row.guild_id);
  }

  async forgetMember(guildId: string, userId: string): Promise<ForgetOutcome> {
    return this.#db.transaction((): ForgetOutcome => {
      const votes = this.#db
        .prepare('DELETE FROM votes WHERE user_id = ? AND answer_id IN (SELECT id FROM answers WHERE guild_id = ?)')
        .run(userId, guildId).changes;
      // Votes others cast on the member's answers go with them (ON DELETE CASCADE): they are about the member's question.
      const questions = this.#db.prepare('DELETE FROM answers WHERE guild_id = ? AND user_id = ?').run(guildId, userId).changes;
      return { questions, votes };
    }).immediate();
  }

  async prune(before: number): Promise<PruneOutcome> {
    return this.#db.transaction((): PruneOutcome => {
      const cascaded = (this.#db.prepare('SELECT COUNT(*) AS n FROM votes WHERE answer_id IN (SELECT id FROM answers WHERE created_at < ?)').get(before) as { n: number }).n;
      const answers = this.#db.prepare('DELETE FROM answers WHERE created_at < ?').run(before).changes;
      const votes = this.#db.prepare('DELETE FROM votes WHERE voted_at < ?').run(before).changes;
      return { answers, votes: votes + cascaded };
    }).immediate();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
