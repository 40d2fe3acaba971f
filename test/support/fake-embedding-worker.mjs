// A tiny stand-in for src/embedding/embedding-worker.ts that speaks the same protocol
// (worker-protocol.ts) without loading a model, and can be told to die. Plain JavaScript so it
// starts instantly without the TypeScript loader.
//   text "!exit"  → the thread exits with code 3 (like an OOM kill or process.exit in a native addon)
//   text "!throw" → an uncaught error in the thread (like a crash in ONNX)
//   text "!hang"  → never answered (a request in flight when the thread dies)
//   env FAKE_EMBEDDING_WORKER_LOAD=fail at start → the model "does not load"
import { parentPort } from 'node:worker_threads';

const DIMENSION = 4;
const EXIT_CODE = 3;
const port = parentPort;

if (process.env.FAKE_EMBEDDING_WORKER_LOAD === 'fail') {
  port.postMessage({ type: 'failed', id: null, code: 'MODEL_MISSING', message: 'The fake model does not load.', stack: undefined });
} else {
  port.on('message', (request) => {
    if (request.type === 'close') {
      port.postMessage({ type: 'closed', id: request.id });
      port.close();
      return;
    }
    if (request.texts.includes('!exit')) process.exit(EXIT_CODE);
    if (request.texts.includes('!throw')) {
      setImmediate(() => {
        throw new Error('the fake worker crashed');
      });
      return;
    }
    if (request.texts.includes('!hang')) return;
    const data = new Float32Array(request.texts.length * DIMENSION);
    request.texts.forEach((text, i) => data.set([text.length, 1, 0, 0], i * DIMENSION));
    port.postMessage({ type: 'vectors', id: request.id, dimension: DIMENSION, data }, [data.buffer]);
  });
  port.postMessage({ type: 'ready', dimension: DIMENSION });
}
