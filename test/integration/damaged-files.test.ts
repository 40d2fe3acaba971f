/**
 * Damaged index files (issue 10.5) rebuild with one clear line instead of crashing: `CURRENT`
 * replaced by a directory (was a raw EISDIR stack trace, exit 1), and a garbage `vectors.hnsw`
 * whose manifest checksum was rewritten to match (was SIGSEGV on the first search). Real indexes
 * on the hashed test embedder. What a user sees from the CLI (a child process) is in
 * damaged-files.e2e.test.ts.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_BACKENDS, runIngest } from '../../src/app.ts';
import { isCitebotError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { loadIndex } from '../../src/index-store/index-store.ts';
import { checkHnswFile } from '../../src/vector-index/hnsw-file-check.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding, type TestEmbedder } from '../support/test-embedder.ts';

let workspace: TestWorkspace;
let embedding: ReturnType<typeof createTestEmbedding>;
let embedder: TestEmbedder;
const rebuilds: string[] = [];
const ingestNow = () => runIngest(workspace.config, embedder, { logger: silentLogger, embedding });

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  embedding = createTestEmbedding();
  embedder = embedding.embedder;
  rebuilds.length = 0;
  await ingestNow();
});
afterEach(async () => {
  await embedder.close();
  await workspace.cleanup();
});

const indexDir = () => workspace.config.indexDir;
async function generationFolder(): Promise<string> {
  return path.join(indexDir(), (await readFile(path.join(indexDir(), 'CURRENT'), 'utf8')).trim());
}

/** Replaces vectors.hnsw by `damage(bytes)` and rewrites the manifest's size and checksum to match, as a careless repair would. */
async function damageVectors(damage: (bytes: Buffer) => Buffer): Promise<void> {
  const folder = await generationFolder();
  const file = path.join(folder, 'vectors.hnsw');
  const damaged = damage(await readFile(file));
  await writeFile(file, damaged);
  const manifestFile = path.join(folder, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as { artifacts: { vectors: { bytes: number; sha256: string } } };
  manifest.artifacts.vectors = { bytes: damaged.length, sha256: createHash('sha256').update(damaged).digest('hex') };
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
}

/** Deterministic garbage (a linear congruential generator), so a failure can be replayed. */
function garbage(length: number, seed: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

const HEADER_BYTES = 96;

describe('a garbage vectors.hnsw with a matching checksum is refused before hnswlib reads it, and rebuilt', () => {
  const cases: [string, (bytes: Buffer) => Buffer][] = [
    ['every byte random', (bytes) => garbage(bytes.length, 7)],
    ['a sound header, random records after it', (bytes) => Buffer.concat([bytes.subarray(0, HEADER_BYTES), garbage(bytes.length - HEADER_BYTES, 11)])],
    [
      'one neighbour id pointing past the last element',
      (bytes) => {
        const copy = Buffer.from(bytes);
        copy.writeUInt16LE(1, HEADER_BYTES); // element 0: one neighbour…
        copy.writeUInt32LE(0x7fffffff, HEADER_BYTES + 4); // …that does not exist
        return copy;
      },
    ],
    [
      'the element count in the header lowered by one',
      (bytes) => {
        const copy = Buffer.from(bytes);
        copy.writeBigUInt64LE(copy.readBigUInt64LE(16) - 1n, 16);
        return copy;
      },
    ],
    [
      'the entry point moved to a level-0 element',
      (bytes) => {
        const copy = Buffer.from(bytes);
        copy.writeInt32LE(copy.readInt32LE(48) + 1, 48); // the top level no longer matches the entry point's
        return copy;
      },
    ],
  ];

  it.each(cases)('%s', async (_name, damage) => {
    await damageVectors(damage);
    const error = await loadIndex(indexDir(), INDEX_BACKENDS, 64).catch((e: unknown) => e);
    expect(isCitebotError(error) && error.code).toBe('INDEX_CORRUPT');
    expect((error as Error).message).toMatch(/^The saved index is damaged: cannot load vectors\.hnsw \(vectors\.hnsw is not a valid HNSW index: .+\)\.$/);

    const { report, index } = await runIngest(workspace.config, embedder, { logger: silentLogger, embedding });
    expect(report.rebuiltBecause).toContain('vectors.hnsw is not a valid HNSW index');
    const [query] = await embedder.embed(['the river'], 'query');
    expect(index.vectors.search(query!, 3)).toHaveLength(3);
    const reloaded = await loadIndex(indexDir(), INDEX_BACKENDS, 64);
    expect(reloaded.vectors.size).toBe(reloaded.paragraphs.length);
  });

  it('a sound file passes, with live vectors counted and labels sampled', async () => {
    const index = await loadIndex(indexDir(), INDEX_BACKENDS, 64);
    const summary = await checkHnswFile(path.join(await generationFolder(), 'vectors.hnsw'), embedder.dimension, index.paragraphs.length);
    expect(summary.live).toBe(index.paragraphs.length);
    expect(summary.sampleLabels.length).toBeGreaterThan(0);
    expect(summary.sampleLabels.every((label) => label >= 0 && label < index.paragraphs.length)).toBe(true);
  });

  it('a file of another dimension is refused', async () => {
    const error = await checkHnswFile(path.join(await generationFolder(), 'vectors.hnsw'), embedder.dimension + 1).catch((e: unknown) => e);
    expect(String(error)).toContain('does not fit');
  });
});

describe('CURRENT replaced by a directory', () => {
  it('in-process: reported as a damaged pointer, rebuilt, and CURRENT is a file again', async () => {
    await rm(path.join(indexDir(), 'CURRENT'));
    await mkdir(path.join(indexDir(), 'CURRENT'));
    const error = await loadIndex(indexDir(), INDEX_BACKENDS, 64).catch((e: unknown) => e);
    expect(isCitebotError(error) && error.code).toBe('INDEX_CORRUPT');
    const { report } = await runIngest(workspace.config, embedder, { logger: silentLogger, embedding });
    expect(report.rebuiltBecause).toBe(`The index pointer ${path.join(indexDir(), 'CURRENT')} is not a readable file (EISDIR).`);
    expect((await loadIndex(indexDir(), INDEX_BACKENDS, 64)).paragraphs.length).toBe(report.paragraphs);
  });
});
