/**
 * The command line's behaviour, in process: the real program (src/cli/commands.ts) and the real
 * indexes over a temporary copy of the seeds, with the hashed test embedder (the model is not
 * the subject; test/model/ covers it). Exit codes and messages are the entry helper's
 * (`reportFailure`), exactly as `npm run …` prints them. Process-level behaviour (exit codes of
 * a real process, no stack traces, Ctrl-C) is in process.e2e.test.ts.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/commands.ts';
import { reportFailure } from '../../src/cli/entry.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding, TEST_EMBEDDER_ID } from '../support/test-embedder.ts';

let workspace: TestWorkspace;

function capture(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** How many embedders the command created: 0 means it refused before loading anything. */
  readonly embedders: number;
}

/** Runs `citebot …args` in `on` (default: the shared, already ingested workspace). */
async function citebot(args: string[], on: TestWorkspace = workspace): Promise<Run> {
  const stdout = capture();
  const stderr = capture();
  let embedders = 0;
  const program = buildProgram({
    config: on.config,
    logger: silentLogger,
    stdout,
    stderr,
    createEmbedding: () => {
      embedders += 1;
      return createTestEmbedding();
    },
  });
  let code = 0;
  try {
    await program.parseAsync(['node', 'citebot', ...args]);
  } catch (error) {
    code = reportFailure(error, stderr);
  }
  return { code, stdout: stdout.text(), stderr: stderr.text(), embedders };
}

const SEED = 'seeds/000_e4409a72bea0ec59.txt'; // 44 lines

beforeAll(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  const ingest = await citebot(['ingest']);
  expect(ingest.code).toBe(0);
});
afterAll(() => workspace.cleanup());

describe('ingest', () => {
  it('says what it did, in the right number, and that nothing changed on a second run', async () => {
    const fresh = await createWorkspace({ embedder: 'hashed' });
    try {
      const first = await citebot(['ingest'], fresh);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(new RegExp(`^Indexed 3 files, \\d+ paragraphs in \\d+\\.\\d s \\(model ${TEST_EMBEDDER_ID}\\)\\.`));
      expect(first.stdout).toContain('  unchanged: 0 files · embedded: ');
      const again = await citebot(['ingest'], fresh);
      expect(again.stdout).toMatch(/^Index is up to date: 3 files, \d+ paragraphs \(model citebot-test\/hashed-bag-of-words\)\./);
    } finally {
      await fresh.cleanup();
    }
  });

  it('says "1 file" and "1 paragraph"', async () => {
    const single = await createWorkspace({ embedder: 'hashed', copySeeds: false });
    try {
      const { mkdir, writeFile } = await import('node:fs/promises');
      await mkdir(single.seedsDir);
      await writeFile(`${single.seedsDir}/only.txt`, 'One paragraph about the NATO mission in Iraq.\n');
      const { stdout } = await citebot(['ingest'], single);
      expect(stdout).toMatch(/^Indexed 1 file, 1 paragraph in /);
      expect(stdout).toContain('embedded: 1 paragraph\n');
    } finally {
      await single.cleanup();
    }
  });

  it('a missing documents folder is named, with a hint, exit 1', async () => {
    const empty = await createWorkspace({ embedder: 'hashed', copySeeds: false });
    try {
      const { code, stderr } = await citebot(['ingest'], empty);
      expect(code).toBe(1);
      expect(stderr).toContain(`citebot: The documents folder ${empty.seedsDir} does not exist or is not a folder.\nCreate the folder`);
    } finally {
      await empty.cleanup();
    }
  });
});

describe('search --json', () => {
  it('prints exactly the documented shape, best first, with citations of real files', async () => {
    const { code, stdout } = await citebot(['search', '--json', '-k', '5', 'How many personnel will the Iraq training mission have?']);
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['query', 'abstained', 'unknownNames', 'results']);
    expect(parsed.query).toBe('How many personnel will the Iraq training mission have?');
    expect(parsed.abstained).toBe(false);
    const results = parsed.results as Record<string, unknown>[];
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(5);
    for (const result of results) {
      expect(result.file).toMatch(/^seeds\/\d{3}_[0-9a-f]{16}\.txt$/);
      expect(typeof result.startLine).toBe('number');
      expect(typeof result.text).toBe('string');
    }
    const scores = results.map((r) => r.score as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // The passage with every query word (personnel, Iraq, training, mission) comes first on both signals.
    expect(results[0]?.text).toContain('4,000');
  });

  it('abstains on a question the documents cannot answer', async () => {
    const { code, stdout } = await citebot(['search', '--json', 'How long should I boil an egg?']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ abstained: true });
  });

  it('-k is the number of results, and its default is CITEBOT_RESULTS', async () => {
    const two = JSON.parse((await citebot(['search', '--json', '-k', '2', 'NATO troops in Afghanistan'])).stdout) as { results: unknown[] };
    expect(two.results.length).toBeLessThanOrEqual(2);
    const { stdout } = await citebot(['search', '--help']);
    expect(stdout).toMatch(/-k, --results <n>\s+number of passages, 1-50 \(CITEBOT_RESULTS sets the default\)\s+\(default: 5\)/);
  });
});

describe('ask', () => {
  it('answers with the quoted passage and its citation', async () => {
    const { code, stdout } = await citebot(['ask', 'What', 'did', 'McRaven', 'tell', 'the', 'House', 'Armed', 'Services', 'Committee?']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/seeds\/000_e4409a72bea0ec59\.txt:L28-L28/);
    expect(stdout).toContain('McRaven told the House Armed Services Committee.');
  });

  it('takes a question that starts with a dash (npm run ask -- -…) as a question', async () => {
    const { code, stdout } = await citebot(['ask', '-5 degrees', 'and', 'McRaven', 'House', 'Armed', 'Services', 'Committee']);
    expect(code).toBe(0);
    expect(stdout).toContain('McRaven');
  });
});

describe('source', () => {
  it('prints the lines verbatim with line numbers', async () => {
    const { code, stdout } = await citebot(['source', `${SEED}:21-22`]);
    expect(code).toBe(0);
    expect(stdout).toBe('21 | US exit from Afghanistan could bolster Qaeda: commander\n22 | Washington (AFP) Feb 27, 2014 –\n');
  });

  it.each([
    ['seeds/nope.txt:1-2', 'seeds/nope.txt is not an indexed document.'],
    [`${SEED}:40-99`, `${SEED} has 44 lines, so the range 40-99 runs past its last line, 44 (ask for 40-44).`],
    [`${SEED}:44-45`, `${SEED} has 44 lines, so the range 44-45 runs past its last line, 44 (ask for 44).`],
    [`${SEED}:45`, `${SEED} has 44 lines: line 45 is past its last line, 44.`],
  ])('%s → names the problem and the real last line, exit 1', async (reference, message) => {
    const { code, stderr } = await citebot(['source', reference]);
    expect(code).toBe(1);
    expect(stderr).toBe(`citebot: ${message}\n${stderr.split('\n')[1]}\n`);
    expect(stderr.split('\n')[1]).not.toBe('');
  });

  it.each([
    [`${SEED}:9-3`, ' (the range ends before it starts)'],
    [`${SEED}:0`, ' (lines are numbered from 1, so there is no line 0)'],
    [`${SEED}:0-3`, ' (lines are numbered from 1, so there is no line 0)'],
    [`${SEED}:12345678901234`, ' (that line number is larger than any document has)'],
    [SEED, ''],
  ])('%s → refused before anything is loaded', async (reference, why) => {
    const { code, stderr, embedders } = await citebot(['source', reference]);
    expect(code).toBe(1);
    expect(stderr).toBe(`citebot: "${reference}" is not a file and line range${why}.\nWrite it as seeds/000_e4409a72bea0ec59.txt:24-26 (or :24 for one line).\n`);
    expect(embedders).toBe(0);
  });
});

describe('bad input is refused before anything is loaded', () => {
  it.each([
    [['search', '   '], 'citebot: The question is empty.\nAsk a question with some words in it.\n'],
    [['ask', 'x'.repeat(501)], 'citebot: The question is 501 characters long; the limit is 500.\nShorten the question.\n'],
  ])('%j', async (args, message) => {
    const { code, stderr, embedders } = await citebot(args);
    expect(code).toBe(1);
    expect(stderr).toBe(message);
    expect(embedders).toBe(0);
  });

  it('a bad option value is refused by the parser with usage help', async () => {
    const { code, stderr, embedders } = await citebot(['search', '-k', 'lots', 'question']);
    expect(code).toBe(1);
    expect(stderr).toContain('must be a whole number from 1 to 50');
    expect(stderr).toContain('(add --help for usage)');
    expect(embedders).toBe(0);
  });

  it('a mistyped long option is refused, not searched for', async () => {
    const { code, stderr, embedders } = await citebot(['search', '--jsno', 'question']);
    expect(code).toBe(1);
    expect(stderr).toContain("unknown option '--jsno'");
    expect(embedders).toBe(0);
  });

  it('--help documents each command and exits 0', async () => {
    const { code, stdout } = await citebot(['search', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--json');
    expect(stdout).toContain('--results <n>');
  });
});
