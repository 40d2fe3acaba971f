/**
 * `npm start`: with DISCORD_TOKEN set, the Discord bot; without it, the console Q&A over the
 * same engine. Either way the index is built or updated first when it is missing or stale.
 */
import { loadConfig } from './config/config.ts';
import { isCitebotError } from './core/errors.ts';
import { createPinoLogger } from './logging/pino-logger.ts';
import { buildProgram } from './cli/commands.ts';

try {
  const config = loadConfig();
  if (config.discord === undefined) {
    const logger = createPinoLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
    await buildProgram({ config, logger, stdout: process.stdout }).parseAsync(['node', 'citebot', 'console']);
  } else {
    const { runBot } = await import('./discord/run-bot.ts');
    await runBot(config, createPinoLogger(config.logLevel));
  }
} catch (error) {
  if (!isCitebotError(error)) throw error;
  process.stderr.write(`citebot: ${error.message}\n${error.hint}\n`);
  process.exitCode = 1;
}
