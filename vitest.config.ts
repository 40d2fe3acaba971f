import { defineConfig } from 'vitest/config';

/**
 * Three lanes, chosen by file name alone. `npm test` runs all three (CI).
 * - `fast` (`npm run test:fast`): every other `*.test.ts`: unit and in-process integration tests
 *   on the hashed test embedder (test/support/test-embedder.ts). No entry file run as a child
 *   process, no model.
 * - `e2e` (`npm run test:e2e`): `*.e2e.test.ts` outside test/model/: the bot against the Discord
 *   emulator, entry files run as child processes (`npm start`, the CLI), two-process stress.
 * - `model` (`npm run test:model`): test/model/, the vendored ONNX model: vectors against a
 *   reference, retrieval quality, the XQuAD guard, ranking sets, `npm start` as shipped.
 */
const E2E = '**/*.e2e.test.ts';
const MODEL = 'test/model/**';

export default defineConfig({
  test: {
    // Two files at a time keeps 2 cores busy without thrashing (the model lane runs ONNX in each).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'fast',
          include: ['test/**/*.test.ts'],
          exclude: [MODEL, E2E],
          // Test files share their worker's module cache instead of importing discord.js, hnswlib
          // and the app afresh each (that import was half the lane's CPU time). Every test builds
          // its own workspace, embedder and bot, so no test relies on module state.
          isolate: false,
          // No test here is slow by design, but the 2 cores are shared: a property test that takes
          // 3 s alone took 11 s at a load average of 12, and a timeout is not what these test.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: [`test/${E2E}`],
          exclude: [MODEL],
          // As in `fast`: each test starts its own bot, emulator and child processes.
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
