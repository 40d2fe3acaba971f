/**
 * What the embedding adapter needs to load and run a model. Defined here, next to its only user,
 * and produced by the configuration (src/config/config.ts): embedding/ knows nothing of config/.
 * Plain data, because it is handed to the embedding worker thread.
 */

/** ONNX weight variants transformers.js can load (`q8` is the int8 file shipped in models/). */
export const MODEL_DTYPES = ['q8', 'fp32', 'fp16', 'int8', 'uint8', 'q4'] as const;

export type ModelDtype = (typeof MODEL_DTYPES)[number];

/** Settings the embedding model needs; passed to the embedding worker as plain data. */
export interface ModelSettings {
  readonly modelId: string;
  readonly modelsDir: string;
  readonly dtype: ModelDtype;
  readonly allowRemoteModels: boolean;
  /** ONNX Runtime intra-op threads. */
  readonly threads: number;
  /** Passages per model call. */
  readonly batchSize: number;
}
