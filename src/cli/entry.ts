/**
 * The one way a citebot process runs. Every entry file (`npm start`, `npm run ingest|ask|search|
 * source|register|eval|calibrate`, the sharded bot) is `await runEntry(main)`:
 * - a failure the user can act on (a CitebotError, a missing or unreadable file, a malformed JSON
 *   or schema-invalid file, an unreachable server) is printed as `citebot: message` and a hint,
 *   with exit code 1 and no stack trace; anything else is a bug and keeps its stack trace;
 * - SIGINT (Ctrl-C) and SIGTERM run the stop callbacks `main` registered (the bot finishes its
 *   in-flight replies), then exit: 130 after Ctrl-C (the shell's 128 + SIGINT, "interrupted"),
 *   0 after SIGTERM (a service manager's normal stop). A second signal exits at once.
 * These are the only process signal handlers in citebot.
 */
import { CommanderError } from 'commander';
import { isCitebotError } from '../core/errors.ts';

/** Exit codes of a citebot process. */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  /** 128 + SIGINT (2): what shells report for a program stopped with Ctrl-C. */
  interrupted: 130,
} as const;

/** What `main` can ask of the process it runs in. */
export interface Lifecycle {
  /** Register work to finish before the process exits on SIGINT / SIGTERM (run once, in registration order). */
  onStop(stop: () => Promise<void>): void;
}

/** A failure as the user sees it: what went wrong and how to fix it. */
export interface Failure {
  readonly message: string;
  readonly hint: string;
}

/** Node's system error fields (fs and net errors carry a subset). */
interface SystemError {
  readonly code: string;
  readonly path?: unknown;
  readonly hostname?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
}

/** How deep to follow `cause` / AggregateError chains (fetch wraps a socket error two levels down). */
const MAX_CAUSE_DEPTH = 5;

const NETWORK_HINT = 'Check your network connection and the server address.';

/** Node's system error codes all look like this (ENOENT, ECONNREFUSED, EAI_AGAIN). */
const SYSTEM_ERROR_CODE = /^E[A-Z_]+$/;

function isSystemError(value: unknown): value is SystemError {
  if (!(value instanceof Error)) return false;
  const code: unknown = (value as { code?: unknown }).code;
  return typeof code === 'string' && SYSTEM_ERROR_CODE.test(code);
}

/** The first system error (ENOENT, ECONNREFUSED, …) in an error's cause chain, if any. */
function findSystemError(error: unknown, depth = 0): SystemError | undefined {
  if (depth > MAX_CAUSE_DEPTH || !(error instanceof Error)) return undefined;
  if (isSystemError(error)) return error;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findSystemError(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return findSystemError(error.cause, depth + 1);
}

function describeSystemError(error: SystemError): Failure | undefined {
  const target = typeof error.path === 'string' ? error.path : undefined;
  const host = typeof error.hostname === 'string' ? error.hostname : undefined;
  const endpoint = typeof error.address === 'string' ? `${error.address}${typeof error.port === 'number' ? `:${error.port}` : ''}` : host;
  switch (error.code) {
    case 'ENOENT':
      return { message: `${target ?? 'a file'} does not exist.`, hint: 'Check the path (a relative path starts from the folder you run citebot in).' };
    case 'EACCES':
    case 'EPERM':
      return { message: `${target ?? 'a file'} cannot be read: permission denied.`, hint: "Check the file's permissions." };
    case 'EISDIR':
      return { message: `${target ?? 'the path'} is a folder, not a file.`, hint: 'Give the path of a file.' };
    case 'ENOTDIR':
      return { message: `${target ?? 'the path'} goes through something that is not a folder.`, hint: 'Check the path.' };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { message: `Cannot resolve the server name${host === undefined ? '' : ` ${host}`} (${error.code}): no network, or a mistyped address.`, hint: NETWORK_HINT };
    case 'ECONNREFUSED':
      return { message: `Nothing accepts connections at ${endpoint ?? 'the server'} (connection refused).`, hint: 'Check that the server is running and the address is right.' };
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { message: `The connection to ${endpoint ?? 'the server'} failed (${error.code}).`, hint: NETWORK_HINT };
    default:
      return undefined;
  }
}

interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** zod's error, recognised by shape so that this file needs no schema library. */
function schemaIssues(error: unknown): readonly SchemaIssue[] | undefined {
  if (!(error instanceof Error) || error.name !== 'ZodError') return undefined;
  const issues = (error as { issues?: unknown }).issues;
  return Array.isArray(issues) ? (issues as SchemaIssue[]) : undefined;
}

/**
 * What to tell the user about `error`, or undefined when it is not something the user can fix
 * (a bug: the caller lets it surface with its stack trace). Pure.
 */
export function describeFailure(error: unknown): Failure | undefined {
  if (isCitebotError(error)) return { message: error.message, hint: error.hint };
  const issues = schemaIssues(error);
  if (issues !== undefined) {
    const lines = issues.map((issue) => `  - ${issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.')}: ${issue.message}`);
    return { message: `The data does not have the expected shape:\n${lines.join('\n')}`, hint: 'Fix the listed fields.' };
  }
  if (error instanceof SyntaxError && /JSON/.test(error.message)) {
    return { message: `Invalid JSON: ${error.message}`, hint: 'Fix the syntax of the file (a trailing comma, a missing quote or bracket?).' };
  }
  const system = findSystemError(error);
  return system === undefined ? undefined : describeSystemError(system);
}

/** The text printed for a failure (stderr). */
export function formatFailure(failure: Failure): string {
  return `citebot: ${failure.message}\n${failure.hint}\n`;
}

/**
 * Reports a failure of `main` on `stderr` and returns the exit code; rethrows what is not the
 * user's to fix (a bug keeps its stack trace). commander has already printed its own errors and
 * help, so a CommanderError only contributes its exit code.
 */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream): number {
  if (error instanceof CommanderError) return error.exitCode;
  const failure = describeFailure(error);
  if (failure === undefined) throw error;
  stderr.write(formatFailure(failure));
  return EXIT_CODES.failure;
}

export interface EntryIo {
  readonly stderr: NodeJS.WritableStream;
  readonly exit: (code: number) => void;
}

const processIo: EntryIo = { stderr: process.stderr, exit: (code) => process.exit(code) };

/** Runs a process entry: see the module comment. */
export async function runEntry(main: (lifecycle: Lifecycle) => Promise<void>, io: EntryIo = processIo): Promise<void> {
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? EXIT_CODES.interrupted : EXIT_CODES.ok;
    if (stopping) return io.exit(code);
    stopping = true;
    void (async () => {
      for (const stop of stops) {
        try {
          await stop();
        } catch (error) {
          io.stderr.write(formatFailure(describeFailure(error) ?? { message: `stopping failed: ${String(error)}`, hint: 'The process exits anyway.' }));
          return io.exit(EXIT_CODES.failure);
        }
      }
      io.exit(code);
    })();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await main({ onStop: (stop) => stops.push(stop) });
  } catch (error) {
    process.exitCode = reportFailure(error, io.stderr);
  }
}
