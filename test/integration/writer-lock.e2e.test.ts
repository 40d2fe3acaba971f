/**
 * One writer at a time (issue 9.4), as processes: two real ingests of the same folder at the same
 * moment, 20 times after an edit, on the hashed test embedder. The lock's own rules are tested
 * in-process in writer-lock.test.ts.
 */
import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_BACKENDS } from '../../src/app.ts';
import { loadIndex } from '../../src/index-store/index-store.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry } from '../support/spawn.ts';

const ROUNDS = 20;

let workspace: TestWorkspace;
beforeAll(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
});
afterAll(() => workspace.cleanup());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('two ingests at the same moment', () => {
  it(`${ROUNDS} rounds: both exit 0, exactly one embeds, the index loads and matches the folder`, { timeout: ROUNDS * 20_000 }, async () => {
    const file = path.join(workspace.seedsDir, '000_e4409a72bea0ec59.txt');
    for (let round = 1; round <= ROUNDS; round++) {
      await appendFile(file, `\n\nRound ${round} added this paragraph so that both ingests have work to do.\n`);
      const runs = [0, 1].map(() => spawnEntry('test/support/fixtures/run-hashed.ts', ['ingest'], { cwd: workspace.root, env: workspace.env }));
      const codes = await Promise.all(runs.map((run) => run.exited));
      const outputs = runs.map((run) => `${run.stdout()}${run.stderr()}`);
      expect(codes, outputs.join('\n---\n')).toEqual([0, 0]);
      const wrote = runs.filter((run) => run.stdout().startsWith('Indexed '));
      const upToDate = runs.filter((run) => run.stdout().startsWith('Index is up to date'));
      expect([wrote.length, upToDate.length], outputs.join('\n---\n')).toEqual([1, 1]);

      const index = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
      for (const entry of index.manifest.files) {
        expect(entry.sha256).toBe(sha256(await readFile(path.join(workspace.root, entry.file))));
      }
      expect(index.paragraphs.some((paragraph) => paragraph.text.startsWith(`Round ${round} added`))).toBe(true);
      expect(index.vectors.size).toBe(index.paragraphs.length);
    }
  });
});
