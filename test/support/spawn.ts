/** Spawning citebot's entry files as `npm run …` does (node --import tsx), from a workspace folder. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './engine.ts';

/** tsx by file URL: the cwd is a workspace without node_modules. */
const TSX_LOADER = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

export interface Spawned {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/** Starts `entry` (a path relative to the repository) with `args` in `cwd`, with `env` added to this process's environment. */
export function spawnEntry(entry: string, args: readonly string[], options: { cwd: string; env: Record<string, string | undefined>; stdin?: 'pipe' | 'ignore' }): Spawned {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, path.join(REPO_ROOT, entry), ...args], {
    cwd: options.cwd,
    // SHARDING_MANAGER is set on this process by discord.js when a test ran a ShardingManager in it;
    // inherited, it would make every bot started later think it is a shard.
    env: { ...process.env, SHARDING_MANAGER: undefined, ...options.env },
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `condition()` holds; rejects after `timeoutMs` with what `describe()` says. */
export async function waitUntil(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
