/** The {@link Embedder} the rest of citebot uses: a client of the embedding worker thread. */
import { Worker } from 'node:worker_threads';
import type { ModelSettings } from './model-settings.ts';
import { CitebotError, ERROR_CATALOGUE, type ErrorCode } from '../core/errors.ts';
import type { Embedder, EmbeddingKind, EmbeddingProgress } from './embedder.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

interface Pending {
  resolve(value: Float32Array[] | void): void;
  reject(error: Error): void;
  onProgress: ((progress: EmbeddingProgress) => void) | undefined;
}

function toError(response: Extract<WorkerResponse, { type: 'failed' }>): Error {
  const code = response.code !== null && response.code in ERROR_CATALOGUE ? (response.code as ErrorCode) : 'EMBEDDER_FAILED';
  const error = new CitebotError(code, response.message);
  if (response.stack !== undefined) error.stack = response.stack;
  return error;
}

export class WorkerEmbedder implements Embedder {
  readonly modelId: string;
  #dimension = 0;
  #worker: Worker | undefined;
  #ready: Promise<void> | undefined;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  #settings: ModelSettings;

  constructor(settings: ModelSettings) {
    this.modelId = settings.modelId;
    this.#settings = settings;
  }

  get dimension(): number {
    return this.#dimension;
  }

  ready(): Promise<void> {
    this.#ready ??= new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
        workerData: { settings: this.#settings } satisfies WorkerData,
      });
      this.#worker = worker;
      worker.on('message', (message: WorkerResponse) => {
        if (message.type === 'ready') {
          this.#dimension = message.dimension;
          resolve();
        } else if (message.type === 'failed' && message.id === null) {
          reject(toError(message));
        } else {
          this.#settle(message);
        }
      });
      worker.on('error', (cause) => {
        const error = new CitebotError('EMBEDDER_FAILED', `The embedding worker crashed: ${cause.message}`, { cause });
        reject(error);
        this.#failAll(error);
      });
      worker.on('exit', (code) => {
        this.#worker = undefined;
        if (this.#pending.size > 0) this.#failAll(new CitebotError('EMBEDDER_FAILED', `The embedding worker exited (code ${code}).`));
      });
    });
    return this.#ready;
  }

  async embed(texts: readonly string[], kind: EmbeddingKind, onProgress?: (progress: EmbeddingProgress) => void): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    await this.ready();
    return (await this.#request((id) => ({ type: 'embed', id, texts, kind }), onProgress)) as Float32Array[];
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined || this.#ready === undefined) return;
    // A worker whose model failed to load has no message handler: terminate it without asking.
    const loaded = await this.#ready.then(
      () => true,
      () => false,
    );
    if (loaded && this.#worker !== undefined) await this.#request((id) => ({ type: 'close', id }), undefined).catch(() => undefined);
    await worker.terminate();
  }

  #request(build: (id: number) => WorkerRequest, onProgress: Pending['onProgress']): Promise<Float32Array[] | void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.reject(new CitebotError('EMBEDDER_FAILED', 'The embedding worker is not running.'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress });
      worker.postMessage(build(id));
    });
  }

  #settle(message: Exclude<WorkerResponse, { type: 'ready' }>): void {
    if (message.id === null) return;
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    switch (message.type) {
      case 'progress':
        pending.onProgress?.({ done: message.done, total: message.total });
        return;
      case 'vectors': {
        const vectors: Float32Array[] = [];
        for (let offset = 0; offset < message.data.length; offset += message.dimension) {
          vectors.push(message.data.subarray(offset, offset + message.dimension));
        }
        pending.resolve(vectors);
        break;
      }
      case 'closed':
        pending.resolve();
        break;
      case 'failed':
        pending.reject(toError(message));
        break;
    }
    this.#pending.delete(message.id);
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
