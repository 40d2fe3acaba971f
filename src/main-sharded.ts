/**
 * `npm run start:sharded`: the bot as several shard processes (discord.js ShardingManager). The
 * manager brings the index up to date once, before any shard starts, so the shards only ever read
 * it (each loads the same files; none writes). Each shard process runs src/main.ts.
 */
import { fileURLToPath } from 'node:url';
import { createEmbedder, runIngest } from './app.ts';
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
  try {
    const { report } = await runIngest(config, embedder, { logger });
    for (const skipped of report.skipped) logger.warn({ ...skipped }, `skipped ${skipped.file}: ${skipped.reason}`);
    logger.info({ files: report.files, paragraphs: report.paragraphs, upToDate: report.upToDate }, 'index ready for the shards');
  } finally {
    await embedder.close();
  }

  const bot = createShardedBot({
    shardScript: fileURLToPath(new URL('./main.ts', import.meta.url)),
    token: discord.token,
    logger,
    ...(discord.apiUrl === undefined ? {} : { apiUrl: discord.apiUrl }),
  });
  lifecycle.onStop(async () => {
    logger.info('stopping all shards');
    await bot.stop();
  });
  await bot.start();
});
