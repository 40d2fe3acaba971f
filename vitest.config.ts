import { defineConfig } from 'vitest/config';

/**
 * Two lanes. `npm test` runs both (CI); `npm run test:fast` only `fast`: everything whose subject
 * is not the model, on the hashed test embedder (test/support/test-embedder.ts). The `model`
 * lane (test/model/) loads the vendored ONNX model: vectors against a reference, retrieval
 * quality, the XQuAD guard, ranking sets, heartbeats during real embedding, `npm start` as shipped.
 */
export default defineConfig({
  test: {
    // Two files at a time keeps 2 cores busy without thrashing (the model lane runs ONNX in each).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: ['test/model/**'],
          // Test files share their worker's module cache instead of importing discord.js, hnswlib
          // and the app afresh each (that import was half the lane's CPU time). Every test builds
          // its own workspace, embedder and bot, so no test relies on module state.
          isolate: false,
          // Spawned entry processes take a few seconds each on a busy machine.
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'model',
          include: ['test/model/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
