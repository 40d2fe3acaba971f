/**
 * The one adapter over pino: structured logs on stderr, so stdout stays for answers. On a
 * terminal the lines are human-readable (pino-pretty, in this thread: no worker, nothing lost at
 * exit); anywhere else (a pipe, a file, a log collector) they are JSON, one object per line.
 */
import { pino, type DestinationStream } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Logger } from '../core/logger.ts';

export interface PinoLoggerOptions {
  /** Where lines go. Default: stderr. */
  readonly destination?: NodeJS.WritableStream;
  /** Human-readable lines instead of JSON. Default: when stderr is a terminal. */
  readonly pretty?: boolean;
}

/** Fields every JSON line carries but a person at a terminal does not need to read. */
const PRETTY_IGNORED_FIELDS = 'pid,hostname,app';

export function createPinoLogger(level: string, options: PinoLoggerOptions = {}): Logger {
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const destination: DestinationStream = pretty
    ? pinoPretty({ destination: options.destination ?? process.stderr, sync: true, colorize: process.stderr.isTTY === true, ignore: PRETTY_IGNORED_FIELDS, translateTime: 'SYS:HH:MM:ss' })
    : (options.destination ?? pino.destination({ dest: 2, sync: true }));
  return pino(
    {
      level,
      base: { app: 'citebot' },
      // Defence in depth: the token is never passed to a log call, and would be redacted if it were.
      redact: { paths: ['token', '*.token', 'DISCORD_TOKEN', '*.DISCORD_TOKEN', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
