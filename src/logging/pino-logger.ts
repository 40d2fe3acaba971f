/** The one adapter over pino: structured JSON logs on stderr, so stdout stays for answers. */
import { pino } from 'pino';
import type { Logger } from '../core/logger.ts';

export function createPinoLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: 'citebot' },
      // Defence in depth: the token is never passed to a log call, and would be redacted if it were.
      redact: { paths: ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'headers.authorization'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
