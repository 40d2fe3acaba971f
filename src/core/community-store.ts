/**
 * The community-state port: what the bot remembers about answers, votes and members, behind an
 * interface small enough that a server database (Postgres, …) can back it later without touching
 * the bot. The SQLite adapter is `state/sqlite-store.ts`; app.ts chooses it.
 *
 * Every method resolves only after its change is durable (committed), so a caller may tell the
 * user "recorded" as soon as the promise resolves: a crash afterwards loses nothing acknowledged.
 */

/** One answer citebot gave in a server, as stored for feedback and the report. */
export interface StoredAnswer {
  /** Opaque id, carried in the answer's button custom ids. */
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  /** The member who asked. */
  readonly userId: string;
  readonly question: string;
  /** The citations shown under the answer, as rendered (`seeds/a.txt:L3-L5`), best first. */
  readonly citations: readonly string[];
  /** True when citebot said the sources don't cover the question. */
  readonly abstained: boolean;
  /** False for answers only the asker saw (no buttons; still counted in the report). */
  readonly public: boolean;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
}

/** A member's vote on an answer: one per member per answer, changeable. */
export interface Vote {
  readonly answerId: string;
  readonly userId: string;
  readonly helpful: boolean;
  readonly votedAt: number;
}

/** What recording a vote did. */
export interface VoteOutcome {
  /** 'new' for a first vote, 'changed' when it replaced the opposite vote, 'same' when it repeated it. */
  readonly change: 'new' | 'changed' | 'same';
}

/** An answer with its votes, for the report. */
export interface AnswerWithVotes extends StoredAnswer {
  readonly helpfulVotes: number;
  readonly unhelpfulVotes: number;
}

/** What `forgetMember` deleted. */
export interface ForgetOutcome {
  readonly questions: number;
  readonly votes: number;
}

/** What `prune` deleted. */
export interface PruneOutcome {
  readonly answers: number;
  readonly votes: number;
}

/** A server's settings, changed with `/citebot config` (Manage Server). */
export interface GuildSettings {
  /** Public `/ask` answers open a thread on the answer message. */
  readonly answerInThread: boolean;
  /** `/ask` without `private:` answers privately. */
  readonly privateByDefault: boolean;
  /** Channels where citebot answers mentions; empty: every channel it can see. */
  readonly mentionChannels: readonly string[];
  /**
   * Text and forum channels where every new message (text) or new post (forum) is answered
   * without a mention, and nothing is said when the sources do not answer. Empty: none. Needs the
   * Message Content intent to read the messages.
   */
  readonly autoAnswerChannels: readonly string[];
  /** Whole seconds a member waits between questions in this server; null: the bot's default (CITEBOT_COOLDOWN_SECONDS). */
  readonly cooldownSeconds: number | null;
}

/** What a server has before anyone changes anything: today's behaviour. */
export const DEFAULT_GUILD_SETTINGS: GuildSettings = { answerInThread: false, privateByDefault: false, mentionChannels: [], autoAnswerChannels: [], cooldownSeconds: null };

export interface CommunityStore {
  /** A server's settings ({@link DEFAULT_GUILD_SETTINGS} until changed). */
  guildSettings(guildId: string): Promise<GuildSettings>;
  /** Changes some of a server's settings and returns them all, as committed. */
  updateGuildSettings(guildId: string, change: Partial<GuildSettings>, at: number): Promise<GuildSettings>;
  /** Stores an answer (its id must be new). */
  recordAnswer(answer: StoredAnswer): Promise<void>;
  /** The answer with this id, or undefined when it was never stored, pruned or forgotten. */
  findAnswer(id: string): Promise<StoredAnswer | undefined>;
  /** Records (or changes) a member's vote on a stored answer. */
  recordVote(vote: Vote): Promise<VoteOutcome>;
  /** The votes on one answer (for tests and the report). */
  votesFor(answerId: string): Promise<readonly Vote[]>;
  /** Every answer of a server given at or after `since` (ms), oldest first, with its vote counts. */
  answersSince(guildId: string, since: number): Promise<readonly AnswerWithVotes[]>;
  /** Servers that have stored answers (for the command-line report). */
  guilds(): Promise<readonly string[]>;
  /** Deletes a member's questions (their answers and every vote on them) and votes in one server. */
  forgetMember(guildId: string, userId: string): Promise<ForgetOutcome>;
  /** Deletes answers (with their votes) and votes older than `before` (ms). */
  prune(before: number): Promise<PruneOutcome>;
  close(): Promise<void>;
}
