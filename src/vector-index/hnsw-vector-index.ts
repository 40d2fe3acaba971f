/** The one adapter over hnswlib-node: an HNSW graph in cosine space. */
import hnswlib from 'hnswlib-node';
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

/** Loads a saved index. Throws when the file is not a readable hnswlib index. */
export async function loadHnswIndex(file: string, dimension: number, efSearch: number): Promise<VectorIndex> {
  const graph = new HierarchicalNSW('cosine', dimension);
  await graph.readIndex(file);
  return new HnswVectorIndex(graph, dimension, efSearch);
}

/** HNSW behind the {@link VectorIndexFactory} port, as app.ts hands it to the index store. */
export const hnswIndexFactory: VectorIndexFactory = { create: createHnswIndex, load: loadHnswIndex };
