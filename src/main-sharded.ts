/**
 * `npm run start:sharded`: the bot as several shard processes (discord.js ShardingManager). The
 * manager brings the index up to date once, before any shard starts, so the shards only ever read
 * it (each loads the same files; none writes).
 */
import { fileURLToPath } from 'node:url';
import { createEmbedder, runIngest } from './app.ts';
import { loadConfig } from './config/config.ts';
import { CitebotError, isCitebotError } from './core/errors.ts';
import { createShardedBot } from './discord/index.ts';
import { createPinoLogger } from './logging/pino-logger.ts';

try {
  const config = loadConfig();
  const discord = config.discord;
  if (discord === undefined) throw new CitebotError('CONFIG_INVALID', 'Sharded mode needs DISCORD_TOKEN.');
  const logger = createPinoLogger(config.logLevel);

  const embedder = createEmbedder(config);
  try {
    const { report } = await runIngest(config, embedder, { logger });
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
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'stopping all shards');
      bot.stop().catch((error: unknown) => {
        logger.error({ err: error }, 'stopping the shards failed');
        process.exitCode = 1;
      });
    });
  }
  await bot.start();
} catch (error) {
  if (!isCitebotError(error)) throw error;
  process.stderr.write(`citebot: ${error.message}\n${error.hint}\n`);
  process.exitCode = 1;
}
