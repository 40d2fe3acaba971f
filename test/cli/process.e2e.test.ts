/**
 * citebot's processes as a user runs them: exit codes, messages without stack traces, --help,
 * and Ctrl-C. Real entry files in child processes; where an engine is needed, `npm start` runs
 * through test/support/fixtures/start-hashed.ts (the hashed test embedder, not the model).
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/app.ts';
import { EXIT_CODES } from '../../src/cli/entry.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry, STACK_LINE, waitUntil } from '../support/spawn.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

/** A workspace whose index is already built (as the hashed embedder builds it), so the processes start at once. */
let workspace: TestWorkspace;

beforeAll(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  const embedding = createTestEmbedding();
  await runIngest(workspace.config, embedding.embedder, { logger: silentLogger, embedding });
});
afterAll(() => workspace.cleanup());

async function run(entry: string, args: string[], env: Record<string, string | undefined> = {}, on: TestWorkspace = workspace) {
  const spawned = spawnEntry(entry, args, { cwd: on.root, env: { ...on.env, ...env } });
  const code = await spawned.exited;
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}

// Independent child processes: run side by side.
describe.concurrent('errors a user can fix: a message and a hint, exit 1, no stack trace', () => {
  it('an empty question is refused before the model or the index is touched', async () => {
    const fresh = await createWorkspace({ embedder: 'hashed' });
    try {
      const { code, stderr } = await run('src/cli/run.ts', ['search', '   '], {}, fresh);
      expect(code).toBe(EXIT_CODES.failure);
      expect(stderr).toBe('citebot: The question is empty.\nAsk a question with some words in it.\n');
      expect(existsSync(fresh.config.indexDir)).toBe(false); // no ingest ran
    } finally {
      await fresh.cleanup();
    }
  });

  it('invalid configuration lists every problem', async () => {
    const { code, stderr } = await run('src/cli/run.ts', ['ingest'], { CITEBOT_RESULTS: '0', CITEBOT_HNSW_EF: '-3' });
    expect(code).toBe(EXIT_CODES.failure);
    expect(stderr).toMatch(/^citebot: Invalid configuration:\n {2}- CITEBOT_HNSW_EF: .+\n {2}- CITEBOT_RESULTS: .+\n/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('npm start with a Discord API that refuses connections (DISCORD_API_URL=http://127.0.0.1:9/api)', async () => {
    const { code, stderr } = await run('test/support/fixtures/start-hashed.ts', [], { DISCORD_TOKEN: 'abc', DISCORD_API_URL: 'http://127.0.0.1:9/api' });
    expect(code).toBe(EXIT_CODES.failure);
    expect(stderr).toContain('citebot: Cannot reach Discord at http://127.0.0.1:9/api (ECONNREFUSED).\nCheck the network connection');
    expect(stderr).not.toMatch(STACK_LINE);
  });
});

describe.concurrent('help', () => {
  it('npm start -- --help explains both modes and exits 0 without loading anything', async () => {
    const { code, stdout } = await run('src/main.ts', ['--help']);
    expect(code).toBe(EXIT_CODES.ok);
    expect(stdout).toMatch(/^Usage: npm start \[-- --help\]/);
    expect(stdout).toContain('the Discord bot when DISCORD_TOKEN is set');
    expect(stdout).toContain('otherwise an interactive console');
  });

  it('npm start with an unknown argument is refused with a pointer to --help', async () => {
    const { code, stderr } = await run('src/main.ts', ['--bogus']);
    expect(code).toBe(EXIT_CODES.failure);
    expect(stderr).toContain("error: unknown option '--bogus'\n(add -- --help for usage)");
  });
});

describe('Ctrl-C', () => {
  it('stops the console with exit code 130', async () => {
    const consoleProcess = spawnEntry('test/support/fixtures/start-hashed.ts', [], { cwd: workspace.root, env: workspace.env, stdin: 'pipe' });
    try {
      await waitUntil(() => consoleProcess.stdout().includes('citebot> '), 60_000, () => consoleProcess.stderr());
      consoleProcess.child.stdin?.write('/help\n');
      await waitUntil(() => consoleProcess.stdout().includes('/source FILE:LINES'), 10_000, () => consoleProcess.stdout());
      consoleProcess.child.kill('SIGINT');
      expect(await consoleProcess.exited).toBe(EXIT_CODES.interrupted);
      expect(consoleProcess.stderr()).not.toMatch(STACK_LINE);
    } finally {
      consoleProcess.child.kill('SIGKILL');
    }
  });
});
