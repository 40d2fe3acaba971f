/**
 * Durability (issue 10.8): saveIndex flushes in the order that lets a power loss at any moment
 * leave the old index or the whole new one. A recording file system (real writes, every call
 * logged) checks the order, including the fsync of vectors.hnsw that hnswlib writes itself.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { INDEX_BACKENDS } from '../../src/app.ts';
import { NODE_DURABLE_FS, type DurableFs } from '../../src/index-store/durable-fs.ts';
import { loadIndex, saveIndex } from '../../src/index-store/index-store.ts';
import { SCHEMA_VERSION } from '../../src/index-store/manifest.ts';
import { buildLexicalIndex } from '../../src/lexical-index/bm25-index.ts';
import { createHnswIndex, DEFAULT_HNSW_SETTINGS } from '../../src/vector-index/hnsw-vector-index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'citebot-durable-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The real file system, with every call recorded as `operation name` (names relative to the index folder). */
function recordingFs(calls: string[]): DurableFs {
  const name = (p: string) => path.relative(dir, p).replace(/gen-[^/]+/, 'GEN').replace(/\.tmp-\d+$/, '.tmp') || '.';
  return {
    writeFileSynced: async (file, data) => (calls.push(`write+fsync ${name(file)}`), NODE_DURABLE_FS.writeFileSynced(file, data)),
    syncFile: async (file) => (calls.push(`fsync ${name(file)}`), NODE_DURABLE_FS.syncFile(file)),
    syncDirectory: async (directory) => (calls.push(`fsync-dir ${name(directory)}`), NODE_DURABLE_FS.syncDirectory(directory)),
    rename: async (from, to) => (calls.push(`rename ${name(from)} -> ${name(to)}`), NODE_DURABLE_FS.rename(from, to)),
  };
}

it('files, then the generation folder, then the index folder, then CURRENT.tmp, rename, and the index folder again', async () => {
  const dimension = 4;
  const vectors = createHnswIndex(dimension, 2, DEFAULT_HNSW_SETTINGS);
  vectors.add(Float32Array.from([1, 0, 0, 0]), 0);
  vectors.add(Float32Array.from([0, 1, 0, 0]), 1);
  const calls: string[] = [];
  const indexDir = path.join(dir, 'embeddings');
  await saveIndex(
    indexDir,
    {
      manifest: {
        schemaVersion: SCHEMA_VERSION,
        builtAt: new Date().toISOString(),
        model: { id: 'test', dtype: 'fp32', dimension, pooling: 'mean', queryPrefix: '', passagePrefix: '' },
        chunking: { maxTokens: 100, headingMaxWords: 5, context: 'none', passageRules: 1, analyzer: 1 },
        hnsw: { m: DEFAULT_HNSW_SETTINGS.m, efConstruction: DEFAULT_HNSW_SETTINGS.efConstruction },
        files: [],
        paragraphCount: 2,
      },
      paragraphs: [
        { file: 'a.txt', startLine: 1, endLine: 1, text: 'one', headings: [], kind: 'text' },
        { file: 'a.txt', startLine: 2, endLine: 2, text: 'two', headings: [], kind: 'text' },
      ],
      vectors,
      lexical: buildLexicalIndex(['one', 'two']),
    },
    recordingFs(calls),
  );
  expect(calls).toEqual([
    'write+fsync embeddings/GEN/paragraphs.json',
    'fsync embeddings/GEN/vectors.hnsw',
    'write+fsync embeddings/GEN/bm25.bin',
    'write+fsync embeddings/GEN/manifest.json',
    'fsync-dir embeddings/GEN',
    'fsync-dir embeddings',
    'write+fsync embeddings/CURRENT.tmp',
    'rename embeddings/CURRENT.tmp -> embeddings/CURRENT',
    'fsync-dir embeddings',
  ]);
  expect((await loadIndex(indexDir, INDEX_BACKENDS, 16)).paragraphs).toHaveLength(2);
});
