import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INDEX_BACKENDS, runIngest } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Embedder } from '../../src/embedding/embedder.ts';
import { loadIndex, type LoadedIndex } from '../../src/index-store/index-store.ts';
import { createEngine, DEFAULT_CANDIDATES, type EngineSettings } from '../../src/retrieval/engine.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

/**
 * The engine embeds the question in the worker and, meanwhile, runs BM25 and reads the best BM25
 * candidates' vectors (engine.ts `prefetchPassages`): the answer must be the one a sequential
 * search gives, and a failing embedder must still fail the search.
 */
describe('search overlaps BM25 with the question embedding', () => {
  const embedding = createTestEmbedding();
  let workspace: TestWorkspace;
  let index: LoadedIndex;
  const settings = (): EngineSettings => ({
    rootDir: workspace.root,
    defaultResults: 5,
    candidates: DEFAULT_CANDIDATES,
    relevance: embedding.relevance,
    backgroundRank: 20,
    showFusedAtLeast: 0,
    duplicateAbove: 0.95,
    maxQuestionLength: 500,
    retrievalContext: workspace.config.retrievalContext,
    documentsDir: workspace.config.seedsDir,
  });
  /** The test embedder, whose answers wait until `release()`; `pending` is true while one waits. */
  const gated = () => {
    let open: () => void = () => undefined;
    let gate = new Promise<void>((resolve) => (open = resolve));
    const state = { pending: false };
    const embedder: Embedder = {
      ...embedding.embedder,
      modelId: embedding.embedder.modelId,
      get dimension() {
        return embedding.embedder.dimension;
      },
      ready: () => embedding.embedder.ready(),
      close: async () => undefined,
      embed: async (texts, kind) => {
        state.pending = true;
        await gate;
        state.pending = false;
        return embedding.embedder.embed(texts, kind);
      },
    };
    const release = () => {
      open();
      gate = Promise.resolve();
    };
    return { embedder, state, release };
  };
  /** The index with its vector reads recorded: whether the embedding was still pending at each. */
  const watched = (state: { pending: boolean }) => {
    const reads: boolean[] = [];
    const vectors = index.vectors;
    const spy = Object.create(vectors, {
      vector: {
        value: (label: number) => {
          reads.push(state.pending);
          return vectors.vector(label);
        },
      },
      search: { value: (query: Float32Array, k: number) => vectors.search(query, k) },
    }) as LoadedIndex['vectors'];
    return { index: { ...index, vectors: spy }, reads };
  };

  beforeAll(async () => {
    workspace = await createWorkspace({ embedder: 'hashed' });
    await runIngest(workspace.config, embedding.embedder, { logger: silentLogger, embedding });
    index = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, workspace.config.hnswEf);
  });
  afterAll(async () => workspace?.cleanup());

  it('reads BM25 candidates while the question is embedded, and answers as a sequential search does', async () => {
    const question = 'Who led NATO when it decided to plan for a full pull-out from Afghanistan?';
    const { embedder, state, release } = gated();
    const watchedIndex = watched(state);
    const engine = createEngine(watchedIndex.index, embedder, settings());
    const searching = engine.search(question, { k: 5 });
    // Let the engine run up to its await on the embedding.
    await new Promise((resolve) => setImmediate(resolve));
    const readWhileEmbedding = watchedIndex.reads.filter(Boolean).length;
    release();
    const overlapped = await searching;
    expect(readWhileEmbedding).toBeGreaterThan(0);

    // The same question on an engine whose embedder answers at once (fresh caches, nothing read early).
    const sequential = await createEngine(index, embedding.embedder, settings()).search(question, { k: 5 });
    const { timings: _a, ...a } = overlapped;
    const { timings: _b, ...b } = sequential;
    expect(a).toEqual(b);
    expect(a.hits.length).toBeGreaterThan(0);
  });

  it('fails the search with the embedder\'s error, also when BM25 ran meanwhile', async () => {
    const failing: Embedder = { ...embedding.embedder, modelId: embedding.embedder.modelId, dimension: embedding.embedder.dimension, embed: async () => Promise.reject(new Error('worker died')) };
    const engine = createEngine(index, failing, settings());
    await expect(engine.search('Who is Rasmussen?')).rejects.toThrow('worker died');
  });
});
