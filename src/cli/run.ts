/** Process entry for the command line: config → program; user-facing errors become a message and exit code 1. */
import { loadConfig } from '../config/config.ts';
import { isCitebotError } from '../core/errors.ts';
import { createPinoLogger } from '../logging/pino-logger.ts';
import { buildProgram } from './commands.ts';

try {
  const config = loadConfig();
  const logger = createPinoLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  await buildProgram({ config, logger, stdout: process.stdout }).parseAsync(process.argv);
} catch (error) {
  if (!isCitebotError(error)) throw error;
  process.stderr.write(`citebot: ${error.message}\n${error.hint}\n`);
  process.exitCode = 1;
}
