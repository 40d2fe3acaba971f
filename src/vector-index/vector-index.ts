/** The vector-index port: approximate nearest neighbours over unit-length vectors, by label. */

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

export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  add(vector: Float32Array, label: number): void;
  search(query: Float32Array, k: number): VectorHit[];
  /** The stored vector of a label (used to carry unchanged paragraphs into a rebuilt index). */
  vector(label: number): Float32Array;
  save(file: string): Promise<void>;
}
