/**
 * The vector-index port: approximate nearest neighbours over unit-length vectors, by label, and
 * how an implementation is made and read back. The index store receives a
 * {@link VectorIndexFactory} from the composition root (app.ts), so another implementation (a
 * database-backed one, say) can be added without touching ingest or retrieval. Today's: HNSW
 * (hnsw-vector-index.ts).
 */

export interface VectorHit {
  readonly label: number;
  /** Cosine similarity, higher is better (not a distance). */
  readonly similarity: number;
}

export interface VectorIndexSettings {
  /** Graph degree (hnswlib's M). */
  readonly m: number;
  readonly efConstruction: number;
  /** Candidate list size at query time (hnswlib's ef); set after every load because hnswlib resets it. */
  readonly efSearch: number;
}

/**
 * The defaults, defined once (config's CITEBOT_HNSW_EF default reads efSearch from here). M and
 * efConstruction are the graph the README's benchmarks were measured with; efSearch 128 gave
 * ANN recall@10 0.992 against exact search at 100k passages, where hnswlib's own default (10)
 * is far too small for k up to 50.
 */
export const DEFAULT_HNSW_SETTINGS = { m: 16, efConstruction: 200, efSearch: 128 } as const satisfies Required<VectorIndexSettings>;

/** A per-passage change to a vector index: labels to delete and new labelled vectors to add. */
export interface VectorChanges {
  readonly remove: readonly number[];
  /** New labels, each at or above the index's current {@link VectorIndex.size}. */
  readonly add: readonly { readonly label: number; readonly vector: Float32Array }[];
}

export interface VectorIndex {
  readonly dimension: number;
  /** Labels in use, deleted ones included (labels are 0 … size − 1). */
  readonly size: number;
  /** Labels deleted and not yet compacted away: they are never returned by {@link search}. */
  readonly deleted: number;
  add(vector: Float32Array, label: number): void;
  /**
   * A new index with `changes` applied, in work proportional to the change (no rebuild). This
   * index keeps answering exactly as before while the new one is prepared and afterwards
   * (readers of the previous generation are not disturbed), so callers can switch atomically.
   * Inserts are done in slices that yield to the event loop.
   */
  update(changes: VectorChanges): Promise<VectorIndex>;
  search(query: Float32Array, k: number): VectorHit[];
  /** The stored vector of a label (used to carry unchanged paragraphs into a rebuilt index). */
  vector(label: number): Float32Array;
  save(file: string): Promise<void>;
}

/** How the index store makes and restores vector indexes. */
export interface VectorIndexFactory {
  /** An empty index with room for `capacity` vectors of `dimension`. */
  create(dimension: number, capacity: number, settings: VectorIndexSettings): VectorIndex;
  /**
   * Reads a saved index (efSearch is applied after loading); `deleted` are labels of passages
   * removed by in-place updates, which searches never return. Throws when the file is not a sound
   * index, or (given `expectedCount`) does not hold that many vectors, deleted ones included.
   */
  load(file: string, dimension: number, efSearch: number, deleted?: readonly number[], expectedCount?: number): Promise<VectorIndex>;
}
