/**
 * Live documents: with the watcher running, edits, additions, renames and deletions in the
 * documents folder reach the engine's answers without a restart, and the engine answers from the
 * previous index until the new one is switched in. The hashed test embedder stands in for the model.
 */
import { appendFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openCitebot, type Citebot } from '../../src/app.ts';
import { parseConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { IngestReport } from '../../src/index-store/ingest.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

/** Long enough for a debounced batch and an update on a loaded CI machine; the wait ends as soon as the answer follows. */
const FOLLOW_TIMEOUT_MS = 10_000;
const POLL_MS = 50;

let workspace: TestWorkspace;
let citebot: Citebot;
let updates: IngestReport[];
let errors: unknown[];

/** The files cited by the best hits for a question. */
async function citedFiles(question: string): Promise<string[]> {
  const result = await citebot.engine.search(question, { k: 3 });
  return result.abstained ? [] : result.hits.map((hit) => hit.file);
}

/** Waits until `check` passes (the index followed the folder), or fails with its last assertion. */
const eventually = (check: () => Promise<void>) => vi.waitFor(check, { timeout: FOLLOW_TIMEOUT_MS, interval: POLL_MS });

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  updates = [];
  errors = [];
  citebot = await openCitebot(workspace.config, {
    logger: silentLogger,
    embedding: createTestEmbedding(),
    follow: { onUpdate: (report) => updates.push(report), onError: (error) => errors.push(error) },
  });
});
afterEach(async () => {
  await citebot.engine.close();
  await workspace.cleanup();
});

describe('live documents', () => {
  it('follows additions, edits, renames and deletions while serving', async () => {
    expect(citebot.following).toBe('documents');
    expect(await citedFiles('zebra giraffe savanna migration')).toEqual([]);

    // Added.
    await writeFile(path.join(workspace.seedsDir, 'animals.md'), '# Animals\n\nThe zebra and the giraffe share the savanna during the migration.\n');
    await eventually(async () => expect(await citedFiles('zebra giraffe savanna migration')).toContain('seeds/animals.md'));

    // Edited: a new paragraph is found, with its line numbers.
    await appendFile(path.join(workspace.seedsDir, 'animals.md'), '\nThe okapi hides in the rainforest canopy shadows.\n');
    await eventually(async () => {
      const result = await citebot.engine.search('okapi rainforest canopy shadows', { k: 1 });
      expect(result.hits[0]).toMatchObject({ file: 'seeds/animals.md', startLine: 5, endLine: 5 });
    });

    // Renamed (an editor's write-and-rename or a `git mv`): the old name is no longer cited.
    await rename(path.join(workspace.seedsDir, 'animals.md'), path.join(workspace.seedsDir, 'wildlife.md'));
    await eventually(async () => {
      const files = await citedFiles('zebra giraffe savanna migration');
      expect(files).toContain('seeds/wildlife.md');
      expect(files).not.toContain('seeds/animals.md');
    });
    await expect(citebot.engine.source('seeds/animals.md', 1, 1)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });

    // Deleted.
    await rm(path.join(workspace.seedsDir, 'wildlife.md'));
    // (Answers leave a deleted file out at once, before the update: live-engine.ts. The index drops it with the update.)
    await eventually(async () => {
      expect(await citedFiles('zebra giraffe savanna migration')).toEqual([]);
      expect(citebot.engine.summary().documents.map((document) => document.file)).not.toContain('seeds/wildlife.md');
    });

    await citebot.idle();
    expect(errors).toEqual([]);
    // Each change was applied in place (no rebuild) once the three seed files were indexed.
    expect(updates.filter((report) => !report.upToDate).every((report) => report.update === 'in-place' || report.update === 'compaction')).toBe(true);
    expect(updates.some((report) => report.update === 'in-place')).toBe(true);
  });

  it('with CITEBOT_WATCH=false the index is not followed', async () => {
    await citebot.engine.close();
    const config = parseConfig({ ...workspace.env, CITEBOT_WATCH: 'false' }, workspace.root);
    expect(config.watch).toBe(false);
    citebot = await openCitebot(
      config,
      { logger: silentLogger, embedding: createTestEmbedding(), follow: { onUpdate: (report) => updates.push(report), onError: (error) => errors.push(error) } },
    );
    expect(citebot.following).toBe('off');
  });
});
