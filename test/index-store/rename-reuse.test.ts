/**
 * A renamed or copied file is not embedded again: its passages take over the vectors stored
 * under the old path (issue 9). The counting test embedder shows what was embedded.
 */
import { copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_BACKENDS, runIngest } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { loadIndex } from '../../src/index-store/index-store.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding, type TestEmbedder } from '../support/test-embedder.ts';

const NOTE = ['# Glacier notes', 'The crevasse opens where the glacier bends.', 'A moraine is rock the ice left behind.', 'The icefall is the steep broken part.'].join('\n\n') + '\n';

let workspace: TestWorkspace;
let embedding: ReturnType<typeof createTestEmbedding>;
let embedder: TestEmbedder;
const ingestNow = () => runIngest(workspace.config, embedder, { logger: silentLogger, embedding });
const notes = () => path.join(workspace.seedsDir, 'notes');

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  await mkdir(notes());
  await writeFile(path.join(notes(), 'glacier.md'), NOTE);
  embedding = createTestEmbedding();
  embedder = embedding.embedder;
});
afterEach(async () => {
  await embedder.close();
  await workspace.cleanup();
});

describe('renames and copies reuse stored vectors', () => {
  it('a renamed file is indexed under its new path without embedding anything', async () => {
    await ingestNow();
    const before = embedder.embedded.passage;
    await rename(path.join(notes(), 'glacier.md'), path.join(notes(), 'ice.md'));
    const { report, index } = await ingestNow();
    expect(report).toMatchObject({ update: 'in-place', added: ['seeds/notes/ice.md'], removed: ['seeds/notes/glacier.md'], embedded: 0 });
    expect(report.reusedVectors).toBeGreaterThan(0);
    expect(embedder.embedded.passage).toBe(before);

    // The saved index holds the passages under the new path, each with the vector of its own text.
    const loaded = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
    const moved = loaded.paragraphs.filter((paragraph) => paragraph.file === 'seeds/notes/ice.md');
    expect(moved).toHaveLength(report.reusedVectors);
    expect(loaded.paragraphs.some((paragraph) => paragraph.file === 'seeds/notes/glacier.md')).toBe(false);
    const crevasse = moved.find((paragraph) => paragraph.text.includes('crevasse'));
    expect(crevasse).toBeDefined();
    const hits = loaded.vectors.search(loaded.vectors.vector(crevasse!.id), 1);
    expect(hits[0]?.label).toBe(crevasse!.id);
    expect(index.paragraphs.length).toBe(loaded.paragraphs.length);
  });

  it('a copy reuses the original’s vectors; a file with new content is embedded', async () => {
    await ingestNow();
    const before = embedder.embedded.passage;
    await copyFile(path.join(notes(), 'glacier.md'), path.join(notes(), 'copy.md'));
    await writeFile(path.join(notes(), 'violin.md'), 'The violin bow needs rosin.\n');
    const { report } = await ingestNow();
    expect(report.added).toEqual(['seeds/notes/copy.md', 'seeds/notes/violin.md']);
    expect(report.embedded).toBe(1);
    expect(embedder.embedded.passage - before).toBe(1);
    expect(report.reusedVectors).toBe(report.vectorsInserted - 1);
    // The reused vectors are those the embedder gives the copy's texts (what a rebuild would store).
    const loaded = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
    const copied = loaded.paragraphs.filter((paragraph) => paragraph.file === 'seeds/notes/copy.md');
    const original = loaded.paragraphs.filter((paragraph) => paragraph.file === 'seeds/notes/glacier.md');
    expect(copied.map((paragraph) => paragraph.text)).toEqual(original.map((paragraph) => paragraph.text));
    // Equal up to the last float bit: hnswlib (cosine space) normalises every vector it is given,
    // and a vector read back from the graph and added again is normalised a second time.
    copied.forEach((paragraph, i) => {
      const copy = loaded.vectors.vector(paragraph.id);
      const source = loaded.vectors.vector(original[i]!.id);
      copy.forEach((value, d) => expect(value).toBeCloseTo(source[d]!, 6));
    });
  });
});
