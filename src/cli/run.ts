/** Process entry for the command line (`npm run ingest | ask | search | source`): config → program, in the entry helper. */
import { loadConfig } from '../config/config.ts';
import { createPinoLogger } from '../logging/pino-logger.ts';
import { buildProgram, cliLogLevel } from './commands.ts';
import { runEntry } from './entry.ts';

await runEntry(async () => {
  const config = loadConfig();
  const logger = createPinoLogger(cliLogLevel(config.logLevel));
  await buildProgram({ config, logger, stdout: process.stdout, stderr: process.stderr }).parseAsync(process.argv);
});
