/** Messages between the main thread and the embedding worker. Plain data only (structured clone). */
import type { ModelSettings } from './model-settings.ts';
import type { EmbeddingKind } from './embedder.ts';

export type WorkerRequest =
  | { readonly type: 'embed'; readonly id: number; readonly texts: readonly string[]; readonly kind: EmbeddingKind }
  | { readonly type: 'close'; readonly id: number };

export type WorkerResponse =
  | { readonly type: 'ready'; readonly dimension: number }
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'vectors'; readonly id: number; readonly dimension: number; readonly data: Float32Array }
  | { readonly type: 'closed'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number | null; readonly code: string | null; readonly message: string; readonly stack: string | undefined };

export interface WorkerData {
  readonly settings: ModelSettings;
}
