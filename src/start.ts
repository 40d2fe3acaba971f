/**
 * `npm start`: with DISCORD_TOKEN set, the Discord bot; without it, the console Q&A over the
 * same engine. Either way the index is built or updated first when it is missing or stale.
 * src/main.ts runs this in the entry helper; tests run it with a deterministic embedder.
 */
import { openCitebot, openCommunityStore, type EmbeddingOverride } from './app.ts';
import { startRetention } from './community/retention.ts';
import { buildProgram, cliLogLevel } from './cli/commands.ts';
import { parseEntryArguments } from './cli/entry-arguments.ts';
import type { Lifecycle } from './cli/entry.ts';
import { liveUpdateHandlers } from './cli/live-updates.ts';
import { createPromptGuard } from './cli/prompt-guard.ts';
import { loadConfig, type Config, type DiscordSettings } from './config/config.ts';
import type { Logger } from './core/logger.ts';
import { createPinoLogger } from './logging/pino-logger.ts';

export interface StartOptions {
  readonly lifecycle: Lifecycle;
  /** process.argv. */
  readonly argv: readonly string[];
  /** Replaces the model's embedder and its relevance model (the tests' deterministic one). */
  readonly createEmbedding?: (config: Config) => EmbeddingOverride;
}

const START_HELP = {
  usage: 'npm start',
  description:
    'Run citebot: the Discord bot when DISCORD_TOKEN is set (in the environment or .env), otherwise an interactive console ' +
    'over the same index. The index of the documents folder (CITEBOT_SEEDS_DIR, default seeds/) is built or updated first.',
  details: [
    'Settings are environment variables (or .env); see the README, "Configuration".',
    'Other commands: npm run ingest | ask | search | source | register | start:sharded | calibrate | eval (add -- --help to any).',
  ].join('\n'),
} as const;

/** The bot: open the engine, connect, and stop both gracefully when the process is asked to stop. */
async function runBotProcess(config: Config, discord: DiscordSettings, options: StartOptions): Promise<void> {
  const logger = createPinoLogger(config.logLevel);
  // Opened first: a data folder that cannot be written fails the start before minutes of indexing.
  const community = openCommunityStore(config);
  const retention = await startRetention(community, { retentionDays: config.retentionDays, logger });
  const closeCommunity = async (): Promise<void> => {
    retention.stop();
    await community.close();
  };
  let opened;
  try {
    opened = await openCitebot(config, { logger, ...embeddingOption(config, options), follow: liveUpdateHandlers(logger) });
  } catch (error) {
    await closeCommunity();
    throw error;
  }
  const { engine, ingestReport, following } = opened;
  logIndexReady(logger, engine.summary(), ingestReport.skipped);
  if (following !== 'off') logger.info({ following }, following === 'documents' ? `watching ${config.seedsDir} for changes` : 'following the index the manager updates');
  // Loaded only for the bot: the console never needs discord.js.
  const { createDiscordBot } = await import('./discord/index.ts');
  const bot = createDiscordBot({
    engine,
    logger,
    token: discord.token,
    ...(discord.apiUrl === undefined ? {} : { apiUrl: discord.apiUrl }),
    cooldownSeconds: discord.cooldownSeconds,
    messageContent: discord.messageContent,
    maxQuestionLength: config.maxQuestionLength,
    community,
  });
  options.lifecycle.onStop(async () => {
    logger.info('shutting down');
    try {
      await bot.stop();
    } finally {
      await engine.close();
      // Last: votes still in flight while the bot drains need the database.
      await closeCommunity();
    }
  });
  try {
    await bot.start();
  } catch (error) {
    await engine.close();
    await closeCommunity();
    throw error;
  }
}

function logIndexReady(logger: Logger, summary: { documents: readonly unknown[]; paragraphs: number }, skipped: readonly { file: string; reason: string }[]): void {
  for (const file of skipped) logger.warn({ ...file }, `skipped ${file.file}: ${file.reason}`);
  logger.info({ documents: summary.documents.length, paragraphs: summary.paragraphs }, 'index ready');
}

function embeddingOption(config: Config, options: StartOptions): { embedding?: EmbeddingOverride } {
  return options.createEmbedding === undefined ? {} : { embedding: options.createEmbedding(config) };
}

export async function start(options: StartOptions): Promise<void> {
  parseEntryArguments(options.argv, START_HELP, { stdout: process.stdout, stderr: process.stderr });
  const config = loadConfig();
  if (config.discord !== undefined) return runBotProcess(config, config.discord, options);
  const promptGuard = createPromptGuard(process.stderr, process.stdout);
  const logger = createPinoLogger(cliLogLevel(config.logLevel), { destination: promptGuard.stream });
  await buildProgram({
    config,
    logger,
    stdout: process.stdout,
    stderr: process.stderr,
    promptGuard,
    ...(options.createEmbedding === undefined ? {} : { createEmbedding: options.createEmbedding }),
  }).parseAsync(['node', 'citebot', 'console']);
}
