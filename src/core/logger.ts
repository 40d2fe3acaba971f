/**
 * The logging port. Library code receives a Logger; it never imports a logging library or writes
 * to the console. The shape is pino's, so the pino adapter passes straight through.
 */
export interface LogFn {
  (message: string): void;
  (context: Record<string, unknown>, message?: string): void;
}

export interface Logger {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}

const ignore: LogFn = () => undefined;

/** A logger that drops everything (tests, and `--json` output that must stay clean). */
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
