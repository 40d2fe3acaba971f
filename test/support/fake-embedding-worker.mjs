// A stand-in for src/embedding/embedding-worker.ts that speaks the same protocol
// (worker-protocol.ts) without loading a model, and can be told to die. Plain JavaScript, so the
// default variant starts instantly without the TypeScript loader.
// Vectors: for the model id of the hashed test embedder (test/support/test-embedder.ts), that
// embedder's vectors (so a real engine can search with it); for any other id, 4-dimensional
// [length, 1, 0, 0].
// A request any of whose texts contains one of these markers does not get vectors:
//   "!exit"  → the thread exits with code 3 (like an OOM kill or process.exit in a native addon)
//   "!throw" → an uncaught error in the thread (like a crash in ONNX)
//   "!hang"  → never answered (a request in flight when the thread dies)
// Environment FAKE_EMBEDDING_WORKER_LOAD=fail when the thread starts → the model "does not load".
import { parentPort, workerData } from 'node:worker_threads';

const HASHED_MODEL_ID = 'citebot-test/hashed-bag-of-words';
const EXIT_CODE = 3;
const port = parentPort;

async function vectorizer() {
  if (workerData.settings.modelId !== HASHED_MODEL_ID) {
    return { dimension: 4, vector: (text) => [text.length, 1, 0, 0] };
  }
  const { register } = await import('tsx/esm/api');
  register();
  const { hashedVector, TEST_EMBEDDER_DIMENSION } = await import('./test-embedder.ts');
  return { dimension: TEST_EMBEDDER_DIMENSION, vector: (text) => hashedVector(text) };
}

if (process.env.FAKE_EMBEDDING_WORKER_LOAD === 'fail') {
  port.postMessage({ type: 'failed', id: null, code: 'MODEL_MISSING', message: 'The fake model does not load.', stack: undefined });
} else {
  const { dimension, vector } = await vectorizer();
  const marked = (texts, marker) => texts.some((text) => text.includes(marker));
  port.on('message', (request) => {
    if (request.type === 'close') {
      port.postMessage({ type: 'closed', id: request.id });
      port.close();
      return;
    }
    if (marked(request.texts, '!exit')) process.exit(EXIT_CODE);
    if (marked(request.texts, '!throw')) {
      setImmediate(() => {
        throw new Error('the fake worker crashed');
      });
      return;
    }
    if (marked(request.texts, '!hang')) return;
    const data = new Float32Array(request.texts.length * dimension);
    request.texts.forEach((text, i) => data.set(vector(text), i * dimension));
    port.postMessage({ type: 'vectors', id: request.id, dimension, data }, [data.buffer]);
  });
  port.postMessage({ type: 'ready', dimension });
}
