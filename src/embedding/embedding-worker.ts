/**
 * The embedding worker thread. ONNX inference is synchronous CPU work measured in tens of
 * milliseconds per batch; running it here keeps the main thread's event loop free (Discord
 * heartbeats, the 3-second interaction deadline, progress bars).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isCitebotError } from '../core/errors.ts';
import { batchBySimilarLength, MAX_BATCH_COST } from './batching.ts';
import { loadModel } from './transformers-model.ts';
import type { WorkerData, WorkerRequest, WorkerResponse } from './worker-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('embedding-worker.ts must run as a worker thread');
const { settings } = workerData as WorkerData;

const send = (message: WorkerResponse, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const failure = (id: number | null, error: unknown): WorkerResponse => ({
  type: 'failed',
  id,
  code: isCitebotError(error) ? error.code : null,
  message: error instanceof Error ? error.message : String(error),
  stack: error instanceof Error ? error.stack : undefined,
});

try {
  const model = await loadModel(settings);
  // Requests are handled one at a time, in order: ONNX already uses every core we gave it.
  let queue = Promise.resolve();
  port.on('message', (request: WorkerRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'close') {
        await model.dispose();
        send({ type: 'closed', id: request.id });
        port.close();
        return;
      }
      try {
        const { texts, kind, id } = request;
        const data = new Float32Array(texts.length * model.dimension);
        let done = 0;
        for (const batch of batchBySimilarLength(texts.map((text) => model.countTokens(text, kind)), settings.batchSize, MAX_BATCH_COST)) {
          const vectors = await model.embedBatch(batch.map((index) => texts[index] as string), kind);
          batch.forEach((index, i) => data.set(vectors[i] as Float32Array, index * model.dimension));
          done += batch.length;
          if (texts.length > settings.batchSize) send({ type: 'progress', id, done, total: texts.length });
        }
        send({ type: 'vectors', id, dimension: model.dimension, data }, [data.buffer as ArrayBuffer]);
      } catch (error) {
        send(failure(request.id, error));
      }
    });
  });
  send({ type: 'ready', dimension: model.dimension });
} catch (error) {
  send(failure(null, error));
}
