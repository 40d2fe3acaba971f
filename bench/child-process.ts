/** A benchmark child that did not finish; `message` says how it ended. */
export class ChildFailed extends Error {
  readonly stderr: string;
  constructor(message: string, stderr: string) {
    super(message);
    this.stderr = stderr;
  }
}

/** Runs a TypeScript file of the benchmark in a fresh Node process (through tsx) and returns its last JSON line. */
import { spawn } from 'node:child_process';

export function runChild<T>(script: string, args: readonly string[], options: { cwd: string; nodeFlags?: readonly string[] }): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', script, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      const how = signal === 'SIGKILL' ? 'was killed (SIGKILL: out of memory?)' : signal !== null ? `was ended by ${signal}` : `exited with code ${code}`;
      if (code !== 0 || !last.startsWith('{')) reject(new ChildFailed(`${script} ${how}`, stderr.slice(-2000)));
      else resolve(JSON.parse(last) as T);
    });
  });
}
