/** The one adapter over hnswlib-node: an HNSW graph in cosine space. */
import hnswlib from 'hnswlib-node';
import { checkHnswFile, HnswFileError } from './hnsw-file-check.ts';
import type { VectorHit, VectorIndex, VectorIndexFactory, VectorIndexSettings } from './vector-index.ts';

export { DEFAULT_HNSW_SETTINGS } from './vector-index.ts';

const { HierarchicalNSW } = hnswlib;

/** Fixed seed: the same paragraphs give the same graph on every machine, so results are reproducible. */
const RANDOM_SEED = 100;

class HnswVectorIndex implements VectorIndex {
  readonly dimension: number;
  readonly #graph: InstanceType<typeof HierarchicalNSW>;

  constructor(graph: InstanceType<typeof HierarchicalNSW>, dimension: number, efSearch: number) {
    this.#graph = graph;
    this.dimension = dimension;
    // hnswlib's default ef is 10 and readIndex resets it: too small for good recall at k=50.
    graph.setEf(efSearch);
  }

  get size(): number {
    return this.#graph.getCurrentCount();
  }

  add(vector: Float32Array, label: number): void {
    this.#graph.addPoint(Array.from(vector), label);
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const count = Math.min(k, this.size);
    if (count === 0) return [];
    const { neighbors, distances } = this.#graph.searchKnn(Array.from(query), count);
    // hnswlib's cosine "distance" is 1 - cosine similarity.
    return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
  }

  vector(label: number): Float32Array {
    return Float32Array.from(this.#graph.getPoint(label));
  }

  async save(file: string): Promise<void> {
    await this.#graph.writeIndex(file);
  }
}

/** An empty index with room for `capacity` vectors. */
export function createHnswIndex(dimension: number, capacity: number, settings: VectorIndexSettings): VectorIndex {
  const graph = new HierarchicalNSW('cosine', dimension);
  graph.initIndex({ maxElements: Math.max(1, capacity), m: settings.m, efConstruction: settings.efConstruction, randomSeed: RANDOM_SEED });
  return new HnswVectorIndex(graph, dimension, settings.efSearch);
}

/** Neighbours asked for in the post-load check: the element itself must be among them. */
const SAMPLE_SEARCH_K = 10;
/** Cosine distance under which a found vector is the stored one (float rounding of a normalised vector). */
const SELF_DISTANCE_TOLERANCE = 1e-4;

/**
 * Loads a saved index. Throws when the file is not a sound hnswlib index: its structure is checked
 * before hnswlib reads it (hnsw-file-check.ts; hnswlib itself would crash the process on garbage),
 * and afterwards a few stored vectors must find themselves by search.
 */
export async function loadHnswIndex(file: string, dimension: number, efSearch: number, expectedSize?: number): Promise<VectorIndex> {
  const { sampleLabels } = await checkHnswFile(file, dimension, expectedSize);
  const graph = new HierarchicalNSW('cosine', dimension);
  await graph.readIndex(file);
  const index = new HnswVectorIndex(graph, dimension, efSearch);
  for (const label of sampleLabels) {
    const stored = graph.getPoint(label);
    const { distances } = graph.searchKnn(stored, Math.min(SAMPLE_SEARCH_K, index.size));
    if (!((distances[0] ?? Infinity) <= SELF_DISTANCE_TOLERANCE)) {
      throw new HnswFileError(`vectors.hnsw is not a valid HNSW index: a search for stored vector ${label} does not find it`);
    }
  }
  return index;
}

/** HNSW behind the {@link VectorIndexFactory} port, as app.ts hands it to the index store. */
export const hnswIndexFactory: VectorIndexFactory = { create: createHnswIndex, load: loadHnswIndex };
