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

/** How many passages a search may return (CITEBOT_RESULTS, `-k`). */
export const RESULTS_RANGE = { min: 1, max: 50 } as const;

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** Every setting, its environment variable, and its default. The README's table mirrors this object. */
const environmentSchema = z.object({
  CITEBOT_SEEDS_DIR: z.string().min(1).default('seeds'),
  CITEBOT_INDEX_DIR: z.string().min(1).default('embeddings'),
  CITEBOT_MODELS_DIR: z.string().min(1).default('models'),
  CITEBOT_MODEL: z.string().min(1).default('Xenova/bge-small-en-v1.5'),
  CITEBOT_MODEL_DTYPE: z.enum(MODEL_DTYPES).default('q8'),
  CITEBOT_ALLOW_REMOTE_MODELS: booleanFromEnv.default(false),
  CITEBOT_THREADS: positiveInt(Math.max(1, availableParallelism())),
  CITEBOT_BATCH_SIZE: positiveInt(32),
  CITEBOT_CHUNK_MAX_TOKENS: z.coerce.number().int().min(16).max(8192).optional(),
  CITEBOT_HEADING_MAX_WORDS: z.coerce.number().int().min(0).max(50).default(5),
  CITEBOT_HNSW_EF: positiveInt(DEFAULT_HNSW_SETTINGS.efSearch),
  CITEBOT_RESULTS: z.coerce.number().int().min(RESULTS_RANGE.min).max(RESULTS_RANGE.max).default(5),
  CITEBOT_ABSTAIN_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  CITEBOT_RETRIEVAL_CONTEXT: z.enum(RETRIEVAL_CONTEXTS).default('headings+previous'),
  CITEBOT_MAX_QUESTION_LENGTH: positiveInt(500),
  CITEBOT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_APPLICATION_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)').optional(),
  DISCORD_GUILD_ID: z.string().regex(/^\d{17,20}$/, 'must be a Discord snowflake (17-20 digits)').optional(),
  DISCORD_API_URL: z.url({ message: 'must be a URL such as http://localhost:8080/api' }).optional(),
  CITEBOT_COOLDOWN_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  CITEBOT_WATCH: booleanFromEnv.default(true),
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
}

export interface Config {
  /** Citations are relative to this folder (the project root). */
  readonly rootDir: string;
  readonly seedsDir: string;
  readonly indexDir: string;
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
          },
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
