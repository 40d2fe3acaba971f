/** The command line as a user runs it: real processes, real model, a temporary project root. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, REPO_ROOT, type TestWorkspace } from '../support/engine.ts';

const run = promisify(execFile);
let workspace: TestWorkspace;

/** Runs `tsx src/cli/run.ts …` in the workspace; resolves with exit code and output whatever the code. */
async function citebot(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
  try {
    const { stdout, stderr } = await run(tsx, [path.join(REPO_ROOT, 'src/cli/run.ts'), ...args], {
      cwd: workspace.root,
      env: { ...process.env, CITEBOT_MODELS_DIR: path.join(REPO_ROOT, 'models'), CITEBOT_THREADS: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  workspace = await createWorkspace();
  const ingest = await citebot('ingest');
  expect(ingest.code).toBe(0);
});
afterAll(() => workspace.cleanup());

describe('npm run ingest', () => {
  it('says what it did: files, paragraphs, and nothing changed on a second run', async () => {
    const again = await citebot('ingest');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Index is up to date: 3 files, \d+ paragraphs \(model Xenova\/bge-small-en-v1\.5\)\./);
  });
});

describe('npm run search -- --json', () => {
  it('prints exactly the documented shape, best first, with correct citations', async () => {
    const { code, stdout } = await citebot('search', '--json', '-k', '5', 'How many personnel will the Iraq training mission have?');
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['query', 'abstained', 'results']);
    expect(parsed.query).toBe('How many personnel will the Iraq training mission have?');
    expect(parsed.abstained).toBe(false);
    const results = parsed.results as Record<string, unknown>[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    for (const result of results) {
      expect(Object.keys(result)).toEqual(['file', 'startLine', 'endLine', 'score', 'text', 'highlight', 'alsoIn']);
      expect(result.file).toMatch(/^seeds\/\d{3}_[0-9a-f]{16}\.txt$/);
      expect(typeof result.startLine).toBe('number');
      for (const also of result.alsoIn as Record<string, unknown>[]) expect(Object.keys(also)).toEqual(['file', 'startLine', 'endLine']);
    }
    const scores = results.map((r) => r.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(results[0]?.text).toContain('4,000');
  });

  it('abstains on a question the documents cannot answer', async () => {
    const { code, stdout } = await citebot('search', '--json', 'How long should I boil an egg?');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ abstained: true });
  });
});

describe('npm run ask', () => {
  it('answers with the highlight, the quoted passage and its citation', async () => {
    const { code, stdout } = await citebot('ask', 'Who', 'is', 'the', 'head', 'of', 'US', 'special', 'operations', 'command?');
    expect(code).toBe(0);
    expect(stdout).toContain('McRaven');
    expect(stdout).toMatch(/seeds\/000_e4409a72bea0ec59\.txt:L26-L26/);
    expect(stdout).toContain('  > The warning came from the head of special operations command');
  });
});

describe('npm run source', () => {
  it('prints the lines verbatim with line numbers', async () => {
    const { code, stdout } = await citebot('source', 'seeds/000_e4409a72bea0ec59.txt:21-22');
    expect(code).toBe(0);
    expect(stdout).toBe('21 | US exit from Afghanistan could bolster Qaeda: commander\n22 | Washington (AFP) Feb 27, 2014 –\n');
  });

  it.each([
    ['seeds/nope.txt:1-2', /seeds\/nope\.txt is not an indexed document/],
    ['seeds/000_e4409a72bea0ec59.txt:40-99', /has 44 lines/],
    ['seeds/000_e4409a72bea0ec59.txt:9-3', /is not a file and line range/],
    ['seeds/000_e4409a72bea0ec59.txt', /is not a file and line range/],
  ])('%s → a clear error and exit code 1', async (reference, message) => {
    const { code, stderr } = await citebot('source', reference);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});

describe('bad input', () => {
  it('an empty question is refused with a hint', async () => {
    const { code, stderr } = await citebot('search', '   ');
    expect(code).toBe(1);
    expect(stderr).toContain('The question is empty.');
  });

  it('a bad option value is refused by the parser with usage help', async () => {
    const { code, stderr } = await citebot('search', '-k', 'lots', 'question');
    expect(code).toBe(1);
    expect(stderr).toContain('must be a whole number from 1 to 50');
  });

  it('invalid configuration lists every problem', async () => {
    const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
    const failed = await run(tsx, [path.join(REPO_ROOT, 'src/cli/run.ts'), 'ingest'], {
      cwd: workspace.root,
      env: { ...process.env, CITEBOT_RESULTS: '0', CITEBOT_HNSW_EF: '-3' },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toMatch(/CITEBOT_RESULTS[\s\S]*CITEBOT_HNSW_EF|CITEBOT_HNSW_EF[\s\S]*CITEBOT_RESULTS/);
  });

  it('a missing documents folder names the folder', async () => {
    const tsx = path.join(REPO_ROOT, 'node_modules/.bin/tsx');
    const failed = await run(tsx, [path.join(REPO_ROOT, 'src/cli/run.ts'), 'ingest'], {
      cwd: workspace.root,
      env: { ...process.env, CITEBOT_MODELS_DIR: path.join(REPO_ROOT, 'models'), CITEBOT_SEEDS_DIR: 'no-such-folder' },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr).toContain(path.join(workspace.root, 'no-such-folder'));
  });

  it('--help documents each command', async () => {
    const { code, stdout } = await citebot('search', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('--json');
    expect(stdout).toContain('--results <n>');
  });
});
