/**
 * `npm run start:sharded`: the bot as several shard processes (discord.js ShardingManager). The
 * manager brings the index up to date before any shard starts and then (CITEBOT_WATCH, default
 * on) keeps it up to date as the documents change, saving each update as a new generation; the
 * shards only read it, and switch to each new generation they see (none writes). Each shard
 * process runs src/main.ts, so every shard opens the same community database
 * (CITEBOT_DATA_DIR/citebot.sqlite, shared safely: see state/sqlite-store.ts) and reads the same
 * per-server settings.
 */
import { fileURLToPath } from 'node:url';
import { createEmbedder, followDocumentsFolder, runIngest } from './app.ts';
import { liveUpdateHandlers } from './cli/live-updates.ts';
import { parseEntryArguments } from './cli/entry-arguments.ts';
import { runEntry } from './cli/entry.ts';
import { loadConfig } from './config/config.ts';
import { CitebotError } from './core/errors.ts';
import { createShardedBot } from './discord/index.ts';
import { createPinoLogger } from './logging/pino-logger.ts';

await runEntry(async (lifecycle) => {
  parseEntryArguments(
    process.argv,
    {
      usage: 'npm run start:sharded',
      description: 'Run the Discord bot as several shard processes (for bots in more than ~2,500 servers). Needs DISCORD_TOKEN.',
    },
    { stdout: process.stdout, stderr: process.stderr },
  );
  const config = loadConfig();
  const discord = config.discord;
  if (discord === undefined) throw new CitebotError('CONFIG_INVALID', 'Sharded mode needs DISCORD_TOKEN.');
  const logger = createPinoLogger(config.logLevel);

  const embedder = createEmbedder(config, logger);
  let follower: Awaited<ReturnType<typeof followDocumentsFolder>> | undefined;
  try {
    const { report, index } = await runIngest(config, embedder, { logger });
    for (const skipped of report.skipped) logger.warn({ ...skipped }, `skipped ${skipped.file}: ${skipped.reason}`);
    logger.info({ files: report.files, paragraphs: report.paragraphs, upToDate: report.upToDate }, 'index ready for the shards');
    if (config.watch) {
      follower = await followDocumentsFolder(config, embedder, index, { logger, follow: liveUpdateHandlers(logger) });
      logger.info(`watching ${config.seedsDir} for changes; the shards follow each saved update`);
    }
  } finally {
    if (follower === undefined) await embedder.close();
  }
  const stopFollowing = async () => {
    await follower?.close();
    if (follower !== undefined) await embedder.close();
  };

  const bot = createShardedBot({
    shardScript: fileURLToPath(new URL('./main.ts', import.meta.url)),
    token: discord.token,
    logger,
    ...(discord.apiUrl === undefined ? {} : { apiUrl: discord.apiUrl }),
  });
  lifecycle.onStop(async () => {
    logger.info('stopping all shards');
    try {
      await bot.stop();
    } finally {
      await stopFollowing();
    }
  });
  await bot.start();
});
