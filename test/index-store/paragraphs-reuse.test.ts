/**
 * An in-place save copies the unchanged pieces of paragraphs.json from the previous generation's
 * file instead of serialising them again: the file must still be exactly the JSON of the
 * paragraphs (the manifest checksum is taken over it, and loading parses it).
 */
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { INDEX_BACKENDS, runIngest } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { loadIndex } from '../../src/index-store/index-store.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

/** Enough files that paragraphs.json spans several pieces (a piece is 250 paragraphs). */
const FILES = 40;
const PARAGRAPHS_PER_FILE = 30;

let workspace: TestWorkspace;
let embedding: ReturnType<typeof createTestEmbedding>;

const fileText = (i: number, variant: string) =>
  Array.from({ length: PARAGRAPHS_PER_FILE }, (_, p) => `Note ${i} paragraph ${p} about topic${i}x${p} ${variant}.`).join('\n\n') + '\n';

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  for (let i = 0; i < FILES; i++) await writeFile(path.join(workspace.seedsDir, `note-${String(i).padStart(2, '0')}.txt`), fileText(i, 'first'));
  embedding = createTestEmbedding();
});
afterEach(async () => {
  await embedding.embedder.close();
  await workspace.cleanup();
});

async function savedParagraphsJson(): Promise<string> {
  const generation = (await readFile(path.join(workspace.config.indexDir, 'CURRENT'), 'utf8')).trim();
  return readFile(path.join(workspace.config.indexDir, generation, 'paragraphs.json'), 'utf8');
}

it('after in-place updates in one process, paragraphs.json is byte for byte the JSON of the paragraphs', async () => {
  let { index } = await runIngest(workspace.config, embedding.embedder, { logger: silentLogger, embedding });
  const edits = [
    () => writeFile(path.join(workspace.seedsDir, 'note-05.txt'), fileText(5, 'second')),
    () => appendFile(path.join(workspace.seedsDir, 'note-20.txt'), '\nOne more paragraph at the end.\n'),
    () => rm(path.join(workspace.seedsDir, 'note-33.txt')),
    () => writeFile(path.join(workspace.seedsDir, 'new.txt'), fileText(99, 'added')),
  ];
  for (const edit of edits) {
    await edit();
    const result = await runIngest(workspace.config, embedding.embedder, { logger: silentLogger, embedding, current: index });
    expect(result.report.update).toBe('in-place');
    index = result.index;
    const expected = JSON.stringify(index.paragraphs.map(({ file, startLine, endLine, text, headings, kind }) => ({ file, startLine, endLine, text, headings, kind })));
    expect(await savedParagraphsJson()).toBe(expected);
  }
  const loaded = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
  expect(loaded.paragraphs).toEqual(index.paragraphs);
  expect(loaded.paragraphs.length).toBeGreaterThan(FILES * PARAGRAPHS_PER_FILE);
});
