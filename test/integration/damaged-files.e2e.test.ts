/**
 * A damaged index pointer (issue 10.5) as a user sees it: `CURRENT` replaced by a directory (was a
 * raw EISDIR stack trace, exit 1) and `npm run ingest` as a child process, on the hashed test
 * embedder. The in-process cases are in damaged-files.test.ts.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runIngest } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry, STACK_LINE } from '../support/spawn.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

let workspace: TestWorkspace;

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  const embedding = createTestEmbedding();
  await runIngest(workspace.config, embedding.embedder, { logger: silentLogger, embedding });
  await embedding.embedder.close();
});
afterEach(() => workspace.cleanup());

const indexDir = () => workspace.config.indexDir;

describe('CURRENT replaced by a directory', () => {
  it('the CLI: exit 0, one "rebuilt because" line, no stack trace; the next run finds it up to date', async () => {
    await rm(path.join(indexDir(), 'CURRENT'));
    await mkdir(path.join(indexDir(), 'CURRENT'));
    const run = spawnEntry('test/support/fixtures/run-hashed.ts', ['ingest'], { cwd: workspace.root, env: workspace.env });
    expect(await run.exited).toBe(0);
    const output = `${run.stdout()}${run.stderr()}`;
    expect(output).not.toMatch(STACK_LINE);
    expect(output).not.toContain('EISDIR: ');
    expect(output.match(/rebuilt because: The index pointer .+CURRENT is not a readable file \(EISDIR\)\./g)).toHaveLength(1);
    const again = spawnEntry('test/support/fixtures/run-hashed.ts', ['ingest'], { cwd: workspace.root, env: workspace.env });
    expect(await again.exited).toBe(0);
    expect(again.stdout()).toMatch(/^Index is up to date/);
  });
});
