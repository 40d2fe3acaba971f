/**
 * The {@link Embedder} the rest of citebot uses: a client of the embedding worker thread, and
 * its supervisor. If the worker dies after it has loaded (a crash, an out-of-memory kill, an
 * uncaught error in ONNX), the requests it was working on fail at once with EMBEDDER_FAILED and
 * a "try again" hint, and a new worker is started with bounded exponential back-off; requests
 * that arrive meanwhile wait for it. After {@link WORKER_RESTART_DEFAULTS.maxAttempts} failed
 * restarts in a row the embedder gives up and says to restart citebot.
 */
import { Worker } from 'node:worker_threads';
import type { ModelSettings } from './model-settings.ts';
import { CitebotError, ERROR_CATALOGUE, type ErrorCode } from '../core/errors.ts';
import { silentLogger, type Logger } from '../core/logger.ts';
import type { Embedder, EmbeddingKind, EmbeddingProgress } from './embedder.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

/** How a dead worker is restarted. */
export interface WorkerRestartPolicy {
  /** Wait before the first restart; short, because a single crash is the common case. */
  readonly initialDelayMs: number;
  /** Upper bound of the doubling delay, so a crash loop costs little CPU but recovery stays quick. */
  readonly maxDelayMs: number;
  /** Consecutive failed restarts (the worker dies again before answering one request) before giving up. */
  readonly maxAttempts: number;
}

/** Defaults: 0.25 s, 0.5 s, 1 s, 2 s, 4 s, then give up (about 8 s of trying; the model loads in ~1 s). */
export const WORKER_RESTART_DEFAULTS = { initialDelayMs: 250, maxDelayMs: 4_000, maxAttempts: 5 } as const satisfies WorkerRestartPolicy;

/** What a user is told when the worker died under their request. */
export const WORKER_RESTARTING_HINT = 'citebot is restarting its embedding worker; try again in a few seconds.';

export interface WorkerEmbedderOptions {
  /** Where restarts (and give-ups) are logged. Default: nowhere. */
  readonly logger?: Logger;
  readonly restart?: Partial<WorkerRestartPolicy>;
  /** The worker script. Only tests change it (a tiny fake worker that can be told to crash). */
  readonly workerUrl?: URL;
}

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

/** The doubling back-off delay before restart number `attempt` (1-based), capped. Pure. */
export function restartDelayMs(attempt: number, policy: WorkerRestartPolicy): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

export class WorkerEmbedder implements Embedder {
  readonly modelId: string;
  #dimension = 0;
  #worker: Worker | undefined;
  /** The current (or next) worker's readiness; replaced on every restart. */
  #ready: Promise<void> | undefined;
  #nextId = 1;
  #pending = new Map<number, Pending>();
  readonly #settings: ModelSettings;
  readonly #logger: Logger;
  readonly #policy: WorkerRestartPolicy;
  readonly #workerUrl: URL;
  #closing = false;
  /** Restarts since the last request a worker answered. */
  #failedRestarts = 0;
  /** Cancels a scheduled restart (on close), failing whoever waits for it. */
  #cancelRestart: (() => void) | undefined;
  #gaveUp: CitebotError | undefined;
  #restarts = 0;

  constructor(settings: ModelSettings, options: WorkerEmbedderOptions = {}) {
    this.modelId = settings.modelId;
    this.#settings = settings;
    this.#logger = options.logger ?? silentLogger;
    this.#policy = { ...WORKER_RESTART_DEFAULTS, ...options.restart };
    this.#workerUrl = options.workerUrl ?? new URL('./worker-bootstrap.mjs', import.meta.url);
  }

  get dimension(): number {
    return this.#dimension;
  }

  /** How many times the worker has been restarted after dying (for logs and tests). */
  get restarts(): number {
    return this.#restarts;
  }

  ready(): Promise<void> {
    // The first load is not supervised: a model that does not load is a setup problem
    // (MODEL_MISSING etc.) that restarting cannot fix, and the caller reports it.
    this.#ready ??= this.#spawn();
    return this.#ready;
  }

  async embed(texts: readonly string[], kind: EmbeddingKind, onProgress?: (progress: EmbeddingProgress) => void): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    await this.ready();
    return (await this.#request((id) => ({ type: 'embed', id, texts, kind }), onProgress)) as Float32Array[];
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#cancelRestart?.();
    const worker = this.#worker;
    if (worker === undefined || this.#ready === undefined) return;
    // A worker whose model failed to load has no message handler: terminate it without asking.
    const loaded = await this.#ready.then(
      () => true,
      () => false,
    );
    if (loaded && this.#worker === worker) await this.#request((id) => ({ type: 'close', id }), undefined).catch(() => undefined);
    await worker.terminate();
  }

  /** Start a worker; resolves when its model is loaded. Once loaded, its death triggers {@link #onDied}. */
  #spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const worker = new Worker(this.#workerUrl, { workerData: { settings: this.#settings } satisfies WorkerData });
      this.#worker = worker;
      let loaded = false;
      let dead = false;
      const died = (reason: string, cause?: unknown): void => {
        if (dead) return;
        dead = true;
        if (this.#worker === worker) this.#worker = undefined;
        const error = new CitebotError('EMBEDDER_FAILED', `The embedding worker ${reason}.`, {
          ...(cause === undefined ? {} : { cause }),
          ...(loaded && !this.#closing ? { hint: WORKER_RESTARTING_HINT } : {}),
        });
        this.#failAll(error);
        if (!loaded) reject(error);
        else if (!this.#closing) this.#onDied(reason);
      };
      worker.on('message', (message: WorkerResponse) => {
        if (message.type === 'ready') {
          loaded = true;
          this.#dimension = message.dimension;
          resolve();
        } else if (message.type === 'failed' && message.id === null) {
          reject(toError(message));
        } else {
          this.#settle(message);
        }
      });
      worker.on('error', (cause) => died(`crashed: ${cause.message}`, cause));
      worker.on('exit', (code) => died(`exited (code ${code})`));
    });
  }

  /** A loaded worker died: schedule its replacement, or give up after too many failures in a row. */
  #onDied(reason: string): void {
    this.#failedRestarts += 1;
    if (this.#failedRestarts > this.#policy.maxAttempts) {
      this.#gaveUp = new CitebotError('EMBEDDER_FAILED', `The embedding worker keeps stopping (${this.#policy.maxAttempts} restarts failed; last: ${reason}).`);
      this.#ready = Promise.reject(this.#gaveUp);
      this.#ready.catch(() => undefined);
      this.#logger.error({ reason, restarts: this.#restarts }, 'the embedding worker keeps stopping; giving up until citebot is restarted');
      return;
    }
    const delayMs = restartDelayMs(this.#failedRestarts, this.#policy);
    this.#logger.warn({ reason, attempt: this.#failedRestarts, delayMs }, 'the embedding worker stopped; restarting it');
    // Requests arriving during the back-off wait on this promise instead of failing.
    const restarted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#cancelRestart = undefined;
        this.#restarts += 1;
        this.#spawn().then(
          () => {
            this.#logger.info({ attempt: this.#failedRestarts }, 'the embedding worker is running again');
            resolve();
          },
          (error: unknown) => {
            // A replacement that cannot even load counts as one more failure in a row.
            reject(error instanceof Error ? error : new Error(String(error)));
            this.#onDied(`could not start again: ${error instanceof Error ? error.message : String(error)}`);
          },
        );
      }, delayMs);
      this.#cancelRestart = () => {
        clearTimeout(timer);
        this.#cancelRestart = undefined;
        reject(new CitebotError('EMBEDDER_FAILED', 'The embedder was closed while its worker was restarting.'));
      };
    });
    restarted.catch(() => undefined);
    this.#ready = restarted;
  }

  #request(build: (id: number) => WorkerRequest, onProgress: Pending['onProgress']): Promise<Float32Array[] | void> {
    const worker = this.#worker;
    if (worker === undefined) return Promise.reject(this.#gaveUp ?? new CitebotError('EMBEDDER_FAILED', 'The embedding worker is not running.', { hint: WORKER_RESTARTING_HINT }));
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
        // A worker that answers is healthy: the next crash starts the back-off from the beginning.
        this.#failedRestarts = 0;
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
