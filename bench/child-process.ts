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
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`${script} exited with code ${code}:\n${stderr.slice(-2000)}`));
      else resolve(JSON.parse(last) as T);
    });
  });
}
