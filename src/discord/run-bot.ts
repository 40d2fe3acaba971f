/**
 * `npm start` with DISCORD_TOKEN set: open the engine, connect the bot, and shut both down
 * gracefully on SIGINT/SIGTERM (in-flight replies finish first). Commands are not registered
 * here; that is a separate step (`registerCommands`).
 */
import { openCitebot } from '../app.ts';
import type { Config } from '../config/config.ts';
import { createDiscordBot } from './bot.ts';
import type { Logger } from './logger.ts';

export async function runBot(config: Config, logger: Logger): Promise<void> {
  const discord = config.discord;
  if (discord === undefined) throw new Error('runBot needs the Discord settings (DISCORD_TOKEN).');
  const { engine } = await openCitebot(config, { logger });
  logger.info({ documents: engine.summary().documents.length, paragraphs: engine.summary().paragraphs }, 'index ready');

  const bot = createDiscordBot({
    engine,
    logger,
    token: discord.token,
    ...(discord.apiUrl === undefined ? {} : { apiUrl: discord.apiUrl }),
    cooldownSeconds: discord.cooldownSeconds,
    maxQuestionLength: config.maxQuestionLength,
  });

  let stopping: Promise<void> | undefined;
  const shutdown = (signal: NodeJS.Signals): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down');
      try {
        await bot.stop();
      } finally {
        await engine.close();
      }
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      shutdown(signal).catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exitCode = 1;
      });
    });
  }

  try {
    await bot.start();
  } catch (error) {
    await engine.close();
    throw error;
  }
}
