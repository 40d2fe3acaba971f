/**
 * Cold start: from spawning a new process to the first answer on stdout, through the real
 * command line (`node --import tsx src/cli/run.ts ask …`, as `npm run ask` runs it) on the seeds, with an up-to-date index in a
 * temporary folder (built by one untimed run first, which also warms tsx's compile cache and
 * the OS file cache, as on any machine that has run citebot before).
 */
import { spawn } from 'node:child_process';
import { spread, type Spread } from './stats.ts';

const QUESTION = 'What did NATO defence ministers say the alliance now has to start preparing for in Afghanistan?';

function timeToFirstAnswer(repoRoot: string, indexDir: string): Promise<{ firstOutputMs: number; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let firstOutputMs: number | undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'ask', QUESTION], {
      cwd: repoRoot,
      env: { ...process.env, CITEBOT_INDEX_DIR: indexDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stdout.on('data', () => (firstOutputMs ??= performance.now() - started));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0 || firstOutputMs === undefined) reject(new Error(`citebot ask exited with code ${code}: ${stderr.slice(-1000)}`));
      else resolve({ firstOutputMs, exitMs: performance.now() - started });
    });
  });
}

export interface ColdStart {
  /** Spawn → first answer on stdout (ms). */
  readonly firstAnswerMs: Spread;
  /** Spawn → process exit (ms), which adds closing the embedding worker. */
  readonly exitMs: Spread;
}

export async function measureColdStart(repoRoot: string, indexDir: string, runs: number): Promise<ColdStart> {
  await timeToFirstAnswer(repoRoot, indexDir); // builds the index, warms caches
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await timeToFirstAnswer(repoRoot, indexDir));
  return { firstAnswerMs: spread(samples.map((s) => s.firstOutputMs)), exitMs: spread(samples.map((s) => s.exitMs)) };
}
