/**
 * Configuration: read once from the environment (and `.env`), validated with zod, every problem
 * reported at once. This is the only module that reads `process.env`.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { RETRIEVAL_CONTEXTS, type RetrievalContext } from '../corpus/retrieval-context.ts';
import { CitebotError } from '../core/errors.ts';
import { MODEL_DTYPES, type ModelSettings } from '../embedding/model-settings.ts';
import { DEFAULT_HNSW_SETTINGS } from '../vector-index/vector-index.ts';

export type { ModelSettings } from '../embedding/model-settings.ts';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** An allowed range for a numeric setting, inclusive. */
export interface SettingRange {
  readonly min: number;
  readonly max: number;
  /** Whole numbers only (everything but fractions of a second and probabilities). */
  readonly integer: boolean;
}

/**
 * The allowed range of every numeric setting, each with its reason. A value outside is refused
 * at start-up with a message naming the variable, the value and the range, instead of failing
 * later (a batch of 100,000 texts runs the worker out of memory; ef 0 returns nothing).
 */
export const SETTING_RANGES = {
  /** ONNX intra-op threads: more than the biggest machines' cores only adds contention. */
  CITEBOT_THREADS: { min: 1, max: 256, integer: true },
  /** Texts per ONNX call: above 256 the padded batch tensor (256 × 512 tokens × 384) costs memory and gains nothing. */
  CITEBOT_BATCH_SIZE: { min: 1, max: 256, integer: true },
  /** The embedding model's context is 512 tokens; 16 keeps a passage a sentence at least. */
  CITEBOT_CHUNK_MAX_TOKENS: { min: 16, max: 8192, integer: true },
  CITEBOT_HEADING_MAX_WORDS: { min: 0, max: 50, integer: true },
  /**
   * HNSW search breadth: never fewer candidates than the most results a search may return
   * (RESULTS_RANGE.max), and beyond 4,096 the search costs about as much as an exact scan.
   */
  CITEBOT_HNSW_EF: { min: 50, max: 4096, integer: true },
  CITEBOT_RESULTS: { min: 1, max: 50, integer: true },
  /** A probability. */
  CITEBOT_ABSTAIN_THRESHOLD: { min: 0, max: 1, integer: false },
  /** Discord caps a message at 4,000 characters (with Nitro), so a longer question cannot arrive there anyway. */
  CITEBOT_MAX_QUESTION_LENGTH: { min: 1, max: 4000, integer: true },
  /** Up to an hour; 0 disables the cooldown. */
  CITEBOT_COOLDOWN_SECONDS: { min: 0, max: 3600, integer: false },
} as const satisfies Record<string, SettingRange>;

/** How many passages a search may return (CITEBOT_RESULTS, `-k`). */
export const RESULTS_RANGE = { min: SETTING_RANGES.CITEBOT_RESULTS.min, max: SETTING_RANGES.CITEBOT_RESULTS.max } as const;

/** Plain decimal notation only: `Number()` would also take `0x10`, `1e3` and `0b1`, which nobody means in a setting. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** The longest raw value quoted back in an error message (a pasted blob stays readable). */
const MAX_QUOTED_VALUE = 40;

/** Describes a range for messages: "a whole number from 1 to 256". Pure. */
export function describeRange(range: SettingRange): string {
  return `${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`;
}

/** A numeric setting from its environment string, refused outside `range` with the value and the range. */
function numberSetting(range: SettingRange) {
  return z.string().transform((raw, context) => {
    const trimmed = raw.trim();
    const value = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
    const fits = Number.isFinite(value) && (!range.integer || Number.isInteger(value)) && value >= range.min && value <= range.max;
    if (fits) return value;
    const quoted = raw.length > MAX_QUOTED_VALUE ? `${raw.slice(0, MAX_QUOTED_VALUE)}…` : raw;
    context.addIssue({ code: 'custom', message: `"${quoted}" is not allowed: must be ${describeRange(range)}` });
    return z.NEVER;
  });
}

/** Every setting, its environment variable, and its default. The README's table mirrors this object. */
const environmentSchema = z.object({
  CITEBOT_SEEDS_DIR: z.string().min(1).default('seeds'),
  CITEBOT_INDEX_DIR: z.string().min(1).default('embeddings'),
  CITEBOT_MODELS_DIR: z.string().min(1).default('models'),
  CITEBOT_MODEL: z.string().min(1).default('Xenova/bge-small-en-v1.5'),
  CITEBOT_MODEL_DTYPE: z.enum(MODEL_DTYPES).default('q8'),
  CITEBOT_ALLOW_REMOTE_MODELS: booleanFromEnv.default(false),
  CITEBOT_THREADS: numberSetting(SETTING_RANGES.CITEBOT_THREADS).default(Math.min(SETTING_RANGES.CITEBOT_THREADS.max, Math.max(1, availableParallelism()))),
  CITEBOT_BATCH_SIZE: numberSetting(SETTING_RANGES.CITEBOT_BATCH_SIZE).default(32),
  CITEBOT_CHUNK_MAX_TOKENS: numberSetting(SETTING_RANGES.CITEBOT_CHUNK_MAX_TOKENS).optional(),
  CITEBOT_HEADING_MAX_WORDS: numberSetting(SETTING_RANGES.CITEBOT_HEADING_MAX_WORDS).default(5),
  CITEBOT_HNSW_EF: numberSetting(SETTING_RANGES.CITEBOT_HNSW_EF).default(DEFAULT_HNSW_SETTINGS.efSearch),
  CITEBOT_RESULTS: numberSetting(SETTING_RANGES.CITEBOT_RESULTS).default(5),
  CITEBOT_ABSTAIN_THRESHOLD: numberSetting(SETTING_RANGES.CITEBOT_ABSTAIN_THRESHOLD).optional(),
  CITEBOT_RETRIEVAL_CONTEXT: z.enum(RETRIEVAL_CONTEXTS).default('headings+previous'),
  CITEBOT_MAX_QUESTION_LENGTH: numberSetting(SETTING_RANGES.CITEBOT_MAX_QUESTION_LENGTH).default(500),
  CITEBOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)').optional(),
  DISCORD_API_URL: z.url({ message: 'must be a URL such as http://localhost:8080/api' }).optional(),
  CITEBOT_COOLDOWN_SECONDS: numberSetting(SETTING_RANGES.CITEBOT_COOLDOWN_SECONDS).default(5),
  /** Shown before every cited path (`docs` → `docs/guide.md:L4`); paths are then relative to the documents folder. */
  CITEBOT_CITATION_PREFIX: z
    .string()
    .regex(/^[^\\:*?"<>|]+$/, 'must be a plain path prefix such as docs or handbook/v2 (no backslashes, colons or wildcards)')
    .refine((value) => !value.split('/').includes('..'), 'must not contain ..')
    .optional(),
  CITEBOT_DATA_DIR: z.string().min(1).default('data'),
  CITEBOT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  CITEBOT_WATCH: booleanFromEnv.default(true),
  /** The bot requests the privileged Message Content intent (enable it in the Developer Portal too): auto-answer channels, un-mentioned follow-ups. */
  CITEBOT_MESSAGE_CONTENT: booleanFromEnv.default(false),
  /** Set by discord.js's ShardingManager in every shard process it starts. */
  SHARDING_MANAGER: z.string().optional(),
});

export type Environment = z.infer<typeof environmentSchema>;

export interface DiscordSettings {
  readonly token: string;
  readonly applicationId: string | undefined;
  readonly guildId: string | undefined;
  readonly apiUrl: string | undefined;
  readonly cooldownSeconds: number;
  /** CITEBOT_MESSAGE_CONTENT: request the privileged Message Content intent. */
  readonly messageContent: boolean;
}

export interface Config {
  /** Citations are relative to this folder (the project root). */
  readonly rootDir: string;
  readonly seedsDir: string;
  readonly indexDir: string;
  /** CITEBOT_CITATION_PREFIX: cite documents as `prefix/<path in the documents folder>`. */
  readonly citationPrefix: string | undefined;
  readonly model: ModelSettings;
  /** Overrides the model profile's chunk size (tokens). */
  readonly chunkMaxTokens: number | undefined;
  /** Lone lines of at most this many words without sentence punctuation are headings, not passages (0 keeps them). */
  readonly headingMaxWords: number;
  readonly hnswEf: number;
  readonly defaultResults: number;
  /** Overrides the relevance model's calibrated abstention point (a probability, 0–1). */
  readonly abstainThreshold: number | undefined;
  /** What retrieval sees besides each passage's own lines. */
  readonly retrievalContext: RetrievalContext;
  readonly maxQuestionLength: number;
  readonly logLevel: Environment['CITEBOT_LOG_LEVEL'];
  /** Present when DISCORD_TOKEN is set: the bot runs instead of the console. */
  readonly discord: DiscordSettings | undefined;
  /** Community state (answers, votes): the SQLite database lives in this folder. */
  readonly dataDir: string;
  /** Stored questions and votes older than this many days are pruned. */
  readonly retentionDays: number;
  /** `npm start` follows the documents folder and updates the index while it serves (CITEBOT_WATCH). */
  readonly watch: boolean;
  /** This process is a shard started by `npm run start:sharded`: it reads the index the manager keeps up to date, never writes it. */
  readonly shardProcess: boolean;
}

/**
 * Parses the given environment into a {@link Config}. Throws one CONFIG_INVALID error that lists
 * every bad setting. `rootDir` is the folder relative paths are resolved against.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>, rootDir: string): Config {
  // Empty strings (e.g. `DISCORD_GUILD_ID=` left blank in .env) mean "not set".
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  - ${issue.path.join('.')}: ${issue.message}`);
    throw new CitebotError('CONFIG_INVALID', `Invalid configuration:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  const resolve = (p: string) => path.resolve(rootDir, p);
  return {
    rootDir: path.resolve(rootDir),
    seedsDir: resolve(e.CITEBOT_SEEDS_DIR),
    indexDir: resolve(e.CITEBOT_INDEX_DIR),
    citationPrefix: e.CITEBOT_CITATION_PREFIX,
    model: {
      modelId: e.CITEBOT_MODEL,
      modelsDir: resolve(e.CITEBOT_MODELS_DIR),
      dtype: e.CITEBOT_MODEL_DTYPE,
      allowRemoteModels: e.CITEBOT_ALLOW_REMOTE_MODELS,
      threads: e.CITEBOT_THREADS,
      batchSize: e.CITEBOT_BATCH_SIZE,
    },
    chunkMaxTokens: e.CITEBOT_CHUNK_MAX_TOKENS,
    headingMaxWords: e.CITEBOT_HEADING_MAX_WORDS,
    hnswEf: e.CITEBOT_HNSW_EF,
    defaultResults: e.CITEBOT_RESULTS,
    abstainThreshold: e.CITEBOT_ABSTAIN_THRESHOLD,
    retrievalContext: e.CITEBOT_RETRIEVAL_CONTEXT,
    maxQuestionLength: e.CITEBOT_MAX_QUESTION_LENGTH,
    logLevel: e.CITEBOT_LOG_LEVEL,
    discord:
      e.DISCORD_TOKEN === undefined
        ? undefined
        : {
            token: e.DISCORD_TOKEN,
            applicationId: e.DISCORD_APPLICATION_ID,
            guildId: e.DISCORD_GUILD_ID,
            apiUrl: e.DISCORD_API_URL,
            cooldownSeconds: e.CITEBOT_COOLDOWN_SECONDS,
            messageContent: e.CITEBOT_MESSAGE_CONTENT,
          },
    dataDir: resolve(e.CITEBOT_DATA_DIR),
    retentionDays: e.CITEBOT_RETENTION_DAYS,
    watch: e.CITEBOT_WATCH,
    shardProcess: e.SHARDING_MANAGER !== undefined,
  };
}

/** Reads `.env` from the project root (if present) into the environment, then parses it. Real environment variables win. */
export function loadConfig(rootDir: string = process.cwd()): Config {
  const dotenvPath = path.join(rootDir, '.env');
  if (existsSync(dotenvPath)) process.loadEnvFile(dotenvPath);
  return parseConfig(process.env, rootDir);
}
