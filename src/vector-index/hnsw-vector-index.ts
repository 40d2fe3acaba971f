/**
 * The one adapter over hnswlib-node: an HNSW graph in cosine space.
 *
 * In-place updates: one hnswlib graph is shared by successive *views* (one per index
 * generation). A view sees the labels below its `limit` minus its `hidden` set. An update adds
 * the new points to the shared graph (labels above every view's limit, so older views never see
 * them) and returns a new view that also hides the removed labels; the older view keeps
 * answering unchanged until its readers drop it. Removed points are not `markDelete`d while the
 * process runs — a reader of the previous generation may still read their vectors — but they are
 * marked deleted in the graph when a saved generation is loaded (no readers yet), and a
 * compaction (a full rebuild, decided by the index store) drops them for good.
 */
import hnswlib from 'hnswlib-node';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { checkHnswFile, HnswFileError } from './hnsw-file-check.ts';
import type { VectorChanges, VectorHit, VectorIndex, VectorIndexFactory, VectorIndexSettings } from './vector-index.ts';

export { DEFAULT_HNSW_SETTINGS } from './vector-index.ts';

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

/** Fixed seed: the same paragraphs give the same graph on every machine, so results are reproducible. */
const RANDOM_SEED = 100;

/**
 * HNSW inserts between two yields to the event loop. An insert into a graph of 10k+ points costs
 * ~1–4 ms (efConstruction 200), several times that on the shared 2-core machine: 10 a slice
 * measured 45–60 ms stalls there, 4 keeps well under the 50 ms a bot can spare.
 */
const INSERTS_PER_TURN = 4;

/** Growth factor when an update needs more room than the graph has: amortises resizeIndex's copy over many updates. */
const GROWTH_FACTOR = 1.5;

class HnswVectorIndex implements VectorIndex {
  readonly dimension: number;
  readonly #graph: Graph;
  readonly #efSearch: number;
  /** Labels at or above it belong to later generations (grows with {@link add} while building). */
  #limit: number;
  /** Labels removed by in-place updates since the graph was loaded or built. */
  readonly #hidden: ReadonlySet<number>;
  /** Labels hnswlib itself holds as deleted (marked on load). */
  readonly #markedDeleted: number;
  readonly #allowed: (label: number) => boolean;

  constructor(graph: Graph, dimension: number, efSearch: number, limit: number, hidden: ReadonlySet<number>, markedDeleted: number) {
    this.#graph = graph;
    this.dimension = dimension;
    this.#efSearch = efSearch;
    this.#limit = limit;
    this.#hidden = hidden;
    this.#markedDeleted = markedDeleted;
    this.#allowed = (label) => label < this.#limit && !hidden.has(label);
    // hnswlib's default ef is 10 and readIndex resets it: too small for good recall at k=50.
    graph.setEf(efSearch);
  }

  get size(): number {
    return this.#limit;
  }

  get deleted(): number {
    return this.#hidden.size + this.#markedDeleted;
  }

  add(vector: Float32Array, label: number): void {
    this.#graph.addPoint(Array.from(vector), label);
    this.#limit = Math.max(this.#limit, label + 1);
  }

  search(query: Float32Array, k: number): VectorHit[] {
    const count = Math.min(k, this.size - this.deleted);
    if (count <= 0) return [];
    // A filter only when there is something to filter: hnswlib calls it for every candidate it visits.
    const filtered = this.#hidden.size > 0 || this.#limit < this.#graph.getCurrentCount();
    const { neighbors, distances } = this.#graph.searchKnn(Array.from(query), count, filtered ? this.#allowed : undefined);
    // hnswlib's cosine "distance" is 1 - cosine similarity.
    return neighbors.map((label, i) => ({ label, similarity: 1 - (distances[i] ?? 1) }));
  }

  vector(label: number): Float32Array {
    return Float32Array.from(this.#graph.getPoint(label));
  }

  async update(changes: VectorChanges): Promise<VectorIndex> {
    const size = this.size;
    const graph = this.#graph;
    if (graph.getCurrentCount() !== size) throw new Error('Only the newest generation of a vector index can be updated.');
    const needed = size + changes.add.length;
    if (needed > graph.getMaxElements()) graph.resizeIndex(Math.ceil(needed * GROWTH_FACTOR));
    let limit = size;
    for (let start = 0; start < changes.add.length; start += INSERTS_PER_TURN) {
      for (const { label, vector } of changes.add.slice(start, start + INSERTS_PER_TURN)) {
        if (label < size) throw new Error(`Label ${label} is in use; new vectors take labels from ${size} on.`);
        graph.addPoint(Array.from(vector), label);
        limit = Math.max(limit, label + 1);
      }
      await yieldToEventLoop();
    }
    const hidden = new Set(this.#hidden);
    for (const label of changes.remove) hidden.add(label);
    return new HnswVectorIndex(graph, this.dimension, this.#efSearch, limit, hidden, this.#markedDeleted);
  }

  async save(file: string): Promise<void> {
    await this.#graph.writeIndex(file);
  }
}

/**
 * Room a built graph gets beyond the vectors it is built with, as a share of them. resizeIndex
 * copies the whole graph synchronously (~170 MB at 100k passages: a stall of hundreds of ms in
 * the first in-place update after every build or compaction); the room costs address space only
 * (hnswlib mallocs it and never touches it until used, and saves only the elements in use). A
 * quarter: tombstones are compacted at a quarter (ingest.ts), so labels rarely outgrow it.
 */
const BUILD_HEADROOM = 0.25;

/** An empty index with room for `capacity` vectors (and {@link BUILD_HEADROOM} more for later in-place additions). */
export function createHnswIndex(dimension: number, capacity: number, settings: VectorIndexSettings): VectorIndex {
  const graph = new HierarchicalNSW('cosine', dimension);
  graph.initIndex({ maxElements: Math.max(1, Math.ceil(capacity * (1 + BUILD_HEADROOM))), m: settings.m, efConstruction: settings.efConstruction, randomSeed: RANDOM_SEED });
  return new HnswVectorIndex(graph, dimension, settings.efSearch, 0, new Set(), 0);
}

/** Neighbours asked for in the post-load check: the element itself must be among them. */
const SAMPLE_SEARCH_K = 10;
/**
 * ef of the second, wider search for a sampled vector that the first did not find: HNSW search
 * is approximate, so one miss at query-time ef is not damage; a garbage graph misses at any ef.
 */
const SAMPLE_RETRY_EF = 1000;
/** Cosine distance under which a found vector is the stored one (float rounding of a normalised vector). */
const SELF_DISTANCE_TOLERANCE = 1e-4;

/**
 * Loads a saved index, marking `deleted` labels deleted in the graph. Throws when the file is not
 * a sound hnswlib index: its structure is checked before hnswlib reads it (hnsw-file-check.ts;
 * hnswlib itself would crash the process on garbage), and afterwards a few stored vectors must
 * find themselves by search.
 */
export async function loadHnswIndex(file: string, dimension: number, efSearch: number, deleted: readonly number[] = [], expectedCount?: number): Promise<VectorIndex> {
  const { sampleLabels } = await checkHnswFile(file, dimension, expectedCount);
  const graph = new HierarchicalNSW('cosine', dimension);
  await graph.readIndex(file);
  // Before any delete mark: a sampled element must still be findable. readIndex resets ef to
  // hnswlib's default of 10, with which a sound 10k graph missed a stored vector (and the whole
  // index was declared damaged and rebuilt): search as queries do, then wider before giving up.
  const findsItself = (stored: number[], ef: number) => {
    graph.setEf(ef);
    const { distances } = graph.searchKnn(stored, Math.min(SAMPLE_SEARCH_K, graph.getCurrentCount()));
    return (distances[0] ?? Infinity) <= SELF_DISTANCE_TOLERANCE;
  };
  for (const label of sampleLabels) {
    const stored = graph.getPoint(label);
    if (!findsItself(stored, Math.max(efSearch, SAMPLE_SEARCH_K)) && !findsItself(stored, SAMPLE_RETRY_EF)) {
      throw new HnswFileError(`vectors.hnsw is not a valid HNSW index: a search for stored vector ${label} does not find it`);
    }
  }
  // Nobody reads this graph yet, so removed passages can be deleted for real (hnswlib then skips them in results).
  let marked = 0;
  for (const label of deleted) {
    try {
      graph.markDelete(label);
      marked++;
    } catch {
      // Already marked in the saved file (a generation saved after a load): counted below.
      marked++;
    }
  }
  return new HnswVectorIndex(graph, dimension, efSearch, graph.getCurrentCount(), new Set(), marked);
}

/** HNSW behind the {@link VectorIndexFactory} port, as app.ts hands it to the index store. */
export const hnswIndexFactory: VectorIndexFactory = { create: createHnswIndex, load: loadHnswIndex };
