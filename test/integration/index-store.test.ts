/**
 * Persistence, crash safety, corruption detection and incremental re-ingest. The subject is the
 * index store, not the model: the hashed test embedder stands in for it. Every test starts from
 * its own fresh workspace (and builds the index it needs), so tests run alone or in any order.
 */
import { createHash } from 'node:crypto';
import { appendFile, readFile, readdir, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_BACKENDS, runIngest } from '../../src/app.ts';
import type { Config } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { loadIndex, readManifest, saveIndex } from '../../src/index-store/index-store.ts';
import { SCHEMA_VERSION } from '../../src/index-store/manifest.ts';
import { buildLexicalIndex } from '../../src/lexical-index/bm25-index.ts';
import { createHnswIndex, DEFAULT_HNSW_SETTINGS } from '../../src/vector-index/hnsw-vector-index.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding, TEST_EMBEDDER_ID, type TestEmbedder } from '../support/test-embedder.ts';

let workspace: TestWorkspace;
let embedding: ReturnType<typeof createTestEmbedding>;
let embedder: TestEmbedder;
const ingestNow = (config: Config = workspace.config) => runIngest(config, embedder, { logger: silentLogger, embedding });

/** The single generation folder currently in `embeddings/`. */
async function currentFolder(): Promise<string> {
  const pointer = (await readFile(path.join(workspace.config.indexDir, 'CURRENT'), 'utf8')).trim();
  return path.join(workspace.config.indexDir, pointer);
}

/** The generation folders in `embeddings/`. */
async function generations(): Promise<string[]> {
  return (await readdir(workspace.config.indexDir)).filter((name) => name.startsWith('gen-'));
}

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  embedding = createTestEmbedding();
  embedder = embedding.embedder;
});
afterEach(async () => {
  await embedder.close();
  await workspace.cleanup();
});

describe('index persistence', () => {
  it('builds, saves and loads back the same paragraphs, vectors and manifest', async () => {
    const { report, index } = await ingestNow();
    expect(report).toMatchObject({ files: 3, upToDate: false, removed: [], changed: [] });
    expect(report.added).toHaveLength(3);
    expect(report.embedded).toBe(report.paragraphs);

    const loaded = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
    expect(loaded.paragraphs).toEqual(index.paragraphs);
    expect(loaded.manifest.model).toMatchObject({ id: TEST_EMBEDDER_ID, dimension: 384, pooling: 'cls' });
    expect(loaded.manifest.files.map((f) => f.file)).toEqual([
      'seeds/000_e4409a72bea0ec59.txt',
      'seeds/001_8140afa543bea040.txt',
      'seeds/002_b5b0d5d85ae90eb1.txt',
    ]);
    // The same vector comes back for a label, and searching with it finds itself first.
    const vector = loaded.vectors.vector(7);
    expect(loaded.vectors.search(vector, 1)[0]).toMatchObject({ label: 7 });
    expect(loaded.vectors.search(vector, 1)[0]?.similarity).toBeCloseTo(1, 4);
  });

  it('a second ingest with nothing changed embeds nothing', async () => {
    await ingestNow();
    const embeddedBefore = embedder.embedded.passage;
    const { report } = await ingestNow();
    expect(embedder.embedded.passage).toBe(embeddedBefore);
    expect(report).toMatchObject({ upToDate: true, embedded: 0, added: [], changed: [], removed: [] });
  });
});

describe('crash safety', () => {
  it('an ingest interrupted while writing leaves the previous index in service, and the next save removes its leftovers', async () => {
    await ingestNow();
    const before = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
    const vectors = createHnswIndex(384, 1, DEFAULT_HNSW_SETTINGS);
    vectors.add(new Float32Array(384).fill(0.05), 0);
    // A vector index whose save dies half-way, as a killed process would.
    const failing = Object.assign(Object.create(Object.getPrototypeOf(vectors)), vectors, {
      save: async (file: string) => {
        await writeFile(file, 'half a file');
        throw new Error('killed');
      },
    });
    await expect(
      saveIndex(workspace.config.indexDir, {
        manifest: { ...before.manifest, paragraphCount: 1 },
        paragraphs: [{ file: 'x', startLine: 1, endLine: 1, text: 'x', headings: [], kind: 'text' }],
        vectors: failing,
        lexical: buildLexicalIndex(['x']),
      }),
    ).rejects.toThrow('killed');

    const after = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
    expect(after.paragraphs).toEqual(before.paragraphs);
    // The half-written generation is still on disk next to the current one…
    const servedBefore = path.basename(await currentFolder());
    const halfWritten = (await generations()).filter((name) => name !== servedBefore);
    expect(halfWritten).toHaveLength(1);
    // …and an ingest with nothing to change does not save, so it stays; the next save removes it,
    // keeping the new generation and the one it replaced (a reader may still be loading that one).
    expect((await ingestNow()).report.upToDate).toBe(true);
    expect(await generations()).toHaveLength(2);
    await appendFile(path.join(workspace.seedsDir, '000_e4409a72bea0ec59.txt'), '\n\nA new paragraph forces a save.\n');
    expect((await ingestNow()).report.upToDate).toBe(false);
    expect((await generations()).sort()).toEqual([servedBefore, path.basename(await currentFolder())].sort());
  });
});

describe('corruption', () => {
  it('a truncated vector file is detected with a clear message and rebuilt by the next ingest', async () => {
    await ingestNow();
    const folder = await currentFolder();
    await truncate(path.join(folder, 'vectors.hnsw'), 1000);
    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
      message: expect.stringContaining('vectors.hnsw has 1000 bytes'),
    });
    const reasons: string[] = [];
    const { report } = await runIngest(workspace.config, embedder, {
      embedding,
      logger: { ...silentLogger, info: ((context: { reason?: string }) => reasons.push(String(context.reason))) as typeof silentLogger.info },
    });
    expect(report.upToDate).toBe(false);
    expect(report.rebuiltBecause).toContain('truncated');
    expect(reasons.join()).toContain('vectors.hnsw');
    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).resolves.toBeDefined();
  });

  it('a file altered in place (same size) fails its checksum, and the next ingest rebuilds it', async () => {
    await ingestNow();
    const folder = await currentFolder();
    const file = path.join(folder, 'paragraphs.json');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace('NATO', 'OTAN'));
    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringContaining('checksum') });
    const { report } = await ingestNow();
    expect(report.rebuiltBecause).toContain('checksum');
    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).resolves.toBeDefined();
  });

  it('a BM25 file that passes its checksum but is not a BM25 index of this format is detected and rebuilt', async () => {
    // As if another citebot had written a different bm25.bin and a manifest that vouches for it.
    await ingestNow();
    const folder = await currentFolder();
    const foreign = Buffer.from(JSON.stringify({ documentCount: 1, serializationVersion: 2, index: [] }));
    await writeFile(path.join(folder, 'bm25.bin'), foreign);
    const manifestFile = path.join(folder, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    manifest.artifacts.lexical = { bytes: foreign.length, sha256: createHash('sha256').update(foreign).digest('hex') };
    await writeFile(manifestFile, JSON.stringify(manifest));

    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).rejects.toMatchObject({
      code: 'INDEX_CORRUPT',
      message: expect.stringContaining('cannot load bm25.bin: not a usable BM25 index: the file does not start with "CITEBM25"'),
    });
    const { report } = await ingestNow();
    expect(report.rebuiltBecause).toContain('bm25.bin');
    expect((await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).lexical.search('NATO', 1)).toHaveLength(1);
  });

  it('an index written with another schema version (e.g. the MiniSearch bm25.json) is rebuilt in full', async () => {
    await ingestNow();
    const folder = await currentFolder();
    const manifestFile = path.join(folder, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, schemaVersion: 1 }));
    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).rejects.toMatchObject({ code: 'INDEX_STALE' });
    const { report } = await ingestNow();
    expect(report.rebuiltBecause).toContain('schema 1');
    expect(report.embedded).toBe(report.paragraphs);
    await expect(loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64)).resolves.toMatchObject({ manifest: { schemaVersion: SCHEMA_VERSION } });
  });

  it('an index built with other chunking settings is rebuilt, not reused', async () => {
    const { config } = workspace;
    await ingestNow();
    const { report } = await ingestNow({ ...config, chunkMaxTokens: 64 });
    expect(report.rebuiltBecause).toContain('chunking changed');
    expect(report.embedded).toBe(report.paragraphs);
    const { report: back } = await ingestNow(config);
    expect(back.rebuiltBecause).toContain('chunking changed');
  });
});

describe('incremental re-ingest', () => {
  it('embeds only the changed and added files, and drops removed files from results', async () => {
    await ingestNow();
    const seeds = workspace.seedsDir;
    const before = await readManifest(workspace.config.indexDir);
    const perFile = new Map(before!.files.map((f) => [f.file, f.paragraphs]));

    await appendFile(path.join(seeds, '000_e4409a72bea0ec59.txt'), '\n\nThe zebra convoy crossed the river at dawn.\n');
    await writeFile(path.join(seeds, 'extra.md'), '# Notes\n\nCitebot indexes Markdown files too.\n');
    await rm(path.join(seeds, '002_b5b0d5d85ae90eb1.txt'));

    const { report, index } = await ingestNow();
    expect(report.changed).toEqual(['seeds/000_e4409a72bea0ec59.txt']);
    expect(report.added).toEqual(['seeds/extra.md']);
    expect(report.removed).toEqual(['seeds/002_b5b0d5d85ae90eb1.txt']);
    expect(report.unchanged).toBe(1);
    // 000 gained one paragraph; extra.md has one passage (its "# Notes" heading is not a passage).
    expect(report.embedded).toBe(perFile.get('seeds/000_e4409a72bea0ec59.txt')! + 1 + 1);
    const embeddedBefore = embedder.embedded.passage - report.embedded;
    expect(embeddedBefore).toBe(before!.paragraphCount); // the first ingest embedded everything, this one only the report's count
    expect(index.paragraphs.some((p) => p.file === 'seeds/002_b5b0d5d85ae90eb1.txt')).toBe(false);
    expect(index.paragraphs.find((p) => p.text.includes('zebra'))).toMatchObject({ file: 'seeds/000_e4409a72bea0ec59.txt', startLine: 46, endLine: 46 });

    // The unchanged file's vectors were carried over: searching by one finds its own paragraph.
    const kept = index.paragraphs.find((p) => p.file === 'seeds/001_8140afa543bea040.txt')!;
    const [fresh] = await embedder.embed([kept.text], 'passage');
    expect(index.vectors.search(fresh!, 1)[0]?.label).toBe(kept.id);

    // The new generation and the one it replaced; nothing older.
    expect(await generations()).toHaveLength(2);
  });
});
