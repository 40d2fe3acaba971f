import type { Logger } from '../../../src/discord/logger.ts';

export type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly level: Level;
  readonly fields: Record<string, unknown>;
  readonly message: string;
}

/** A Logger that keeps every entry, for assertions (and prints nothing). */
export function createRecordingLogger(): { logger: Logger; entries: LogEntry[]; find: (level: Level, message: string | RegExp) => LogEntry[] } {
  const entries: LogEntry[] = [];
  const make =
    (level: Level) =>
    (first: string | Record<string, unknown>, second?: string): void => {
      if (typeof first === 'string') entries.push({ level, fields: {}, message: first });
      else entries.push({ level, fields: first, message: second ?? '' });
    };
  const logger: Logger = { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
  const find = (level: Level, message: string | RegExp): LogEntry[] =>
    entries.filter((e) => e.level === level && (typeof message === 'string' ? e.message.includes(message) : message.test(e.message)));
  return { logger, entries, find };
}
