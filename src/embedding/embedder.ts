/** The embedding port: what the rest of citebot needs from a sentence-embedding model. */

export type EmbeddingKind = 'query' | 'passage';

export interface EmbeddingProgress {
  readonly done: number;
  readonly total: number;
}

export interface Embedder {
  readonly modelId: string;
  /** Vector length; known after {@link Embedder.ready}. */
  readonly dimension: number;
  /** Loads the model; call once before anything else. */
  ready(): Promise<void>;
  /**
   * Unit-length vectors for `texts`, in input order. The model's query/passage conventions
   * (prefixes) are applied here, so callers pass raw text.
   */
  embed(texts: readonly string[], kind: EmbeddingKind, onProgress?: (progress: EmbeddingProgress) => void): Promise<Float32Array[]>;
  close(): Promise<void>;
}
