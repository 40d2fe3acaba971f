/**
 * Supervision of the embedding worker (issue 10, point 7), with a tiny fake worker that speaks
 * the real protocol and can be told to exit or crash (test/support/fake-embedding-worker.mjs):
 * in-flight requests fail at once with EMBEDDER_FAILED and a "try again" hint, the worker is
 * restarted with back-off, later requests work again, and a crash loop is given up on.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CitebotError } from '../../src/core/errors.ts';
import type { ModelSettings } from '../../src/embedding/model-settings.ts';
import { restartDelayMs, WORKER_RESTART_DEFAULTS, WORKER_RESTARTING_HINT, WorkerEmbedder } from '../../src/embedding/worker-embedder.ts';
import { createRecordingLogger } from '../discord/support/recording-logger.ts';

const FAKE_WORKER = new URL('../support/fake-embedding-worker.mjs', import.meta.url);
const SETTINGS: ModelSettings = { modelId: 'fake/model', modelsDir: 'models', dtype: 'q8', allowRemoteModels: false, threads: 1, batchSize: 8 };
/** Short delays so the tests are quick; the policy under test is the same. */
const FAST_RESTART = { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3 };

function embedderWithLogs(restart = FAST_RESTART) {
  const logs = createRecordingLogger();
  const embedder = new WorkerEmbedder(SETTINGS, { logger: logs.logger, restart, workerUrl: FAKE_WORKER });
  return { embedder, logs };
}

async function failure(promise: Promise<unknown>): Promise<CitebotError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CitebotError);
  return error as CitebotError;
}

describe('restartDelayMs', () => {
  it.each([
    [1, 250],
    [2, 500],
    [3, 1_000],
    [5, 4_000],
    [6, 4_000],
    [40, 4_000],
  ])('restart %i waits %i ms with the defaults (doubling, capped)', (attempt, expected) => {
    expect(restartDelayMs(attempt, WORKER_RESTART_DEFAULTS)).toBe(expected);
  });
});

describe('WorkerEmbedder supervision (fake worker)', () => {
  const embedders: WorkerEmbedder[] = [];
  const make = (restart = FAST_RESTART) => {
    const made = embedderWithLogs(restart);
    embedders.push(made.embedder);
    return made;
  };

  afterEach(async () => {
    delete process.env.FAKE_EMBEDDING_WORKER_LOAD;
    await Promise.all(embedders.splice(0).map((e) => e.close()));
  });

  it('answers through the worker', async () => {
    const { embedder } = make();
    const [vector] = await embedder.embed(['hello'], 'query');
    expect(Array.from(vector ?? [])).toEqual([5, 1, 0, 0]);
    expect(embedder.dimension).toBe(4);
  });

  it.each([
    ['exits', '!exit', /exited \(code 3\)/],
    ['throws an uncaught error', '!throw', /crashed: the fake worker crashed/],
  ])('when the worker %s, every request in flight fails at once with EMBEDDER_FAILED and "try again", and the next one is answered', async (_how, trigger, reason) => {
    const { embedder, logs } = make();
    await embedder.ready();
    const waiting = embedder.embed(['!hang'], 'query');
    const killer = embedder.embed([trigger], 'query');
    for (const error of [await failure(waiting), await failure(killer)]) {
      expect(error.code).toBe('EMBEDDER_FAILED');
      expect(error.message).toMatch(reason);
      expect(error.hint).toBe(WORKER_RESTARTING_HINT);
    }
    // Asked during the back-off: waits for the new worker instead of failing.
    const [vector] = await embedder.embed(['again'], 'query');
    expect(Array.from(vector ?? [])).toEqual([5, 1, 0, 0]);
    expect(embedder.restarts).toBe(1);
    const warned = logs.find('warn', 'the embedding worker stopped; restarting it');
    expect(warned).toHaveLength(1);
    expect(warned[0]?.fields).toMatchObject({ attempt: 1, delayMs: FAST_RESTART.initialDelayMs });
    expect(warned[0]?.fields.reason).toMatch(reason);
    expect(logs.find('info', 'the embedding worker is running again')).toHaveLength(1);
  });

  it('starts the back-off from the beginning once a restarted worker has answered', async () => {
    const { embedder, logs } = make();
    for (let crash = 0; crash < FAST_RESTART.maxAttempts + 2; crash += 1) {
      await failure(embedder.embed(['!exit'], 'query'));
      expect((await embedder.embed(['ok'], 'query')).length).toBe(1);
    }
    expect(embedder.restarts).toBe(FAST_RESTART.maxAttempts + 2);
    expect(logs.find('warn', 'restarting it').map((e) => e.fields.attempt)).toEqual(Array(FAST_RESTART.maxAttempts + 2).fill(1));
  });

  it('doubles the delay while restarts keep failing, then gives up with a clear error, and logs it', async () => {
    const { embedder, logs } = make();
    await embedder.ready();
    // From now on every new worker fails to load (e.g. the model file was deleted).
    process.env.FAKE_EMBEDDING_WORKER_LOAD = 'fail';
    await failure(embedder.embed(['!exit'], 'query'));
    await vi.waitFor(() => expect(logs.find('error', 'giving up')).toHaveLength(1), { timeout: 10_000, interval: 10 });
    expect(logs.find('warn', 'restarting it').map((e) => e.fields.delayMs)).toEqual([5, 10, 20]);
    expect(embedder.restarts).toBe(FAST_RESTART.maxAttempts);
    const error = await failure(embedder.embed(['later'], 'query'));
    expect(error.code).toBe('EMBEDDER_FAILED');
    expect(error.message).toMatch(/keeps stopping \(3 restarts failed/);
    expect(error.hint).toMatch(/restart citebot/);
  });

  it('does not supervise the first load: a model that does not load is reported as such, once', async () => {
    process.env.FAKE_EMBEDDING_WORKER_LOAD = 'fail';
    const { embedder, logs } = make();
    const error = await failure(embedder.ready());
    expect(error.code).toBe('MODEL_MISSING');
    expect(embedder.restarts).toBe(0);
    expect(logs.entries).toEqual([]);
  });

  it('does not restart a worker that was closed, and close during a back-off settles waiting requests', async () => {
    const { embedder, logs } = make({ initialDelayMs: 60_000, maxDelayMs: 60_000, maxAttempts: 3 });
    await failure(embedder.embed(['!exit'], 'query'));
    const waiting = embedder.embed(['during the back-off'], 'query');
    await embedder.close();
    expect((await failure(waiting)).message).toMatch(/closed while its worker was restarting/);
    expect(embedder.restarts).toBe(0);
    expect(logs.find('warn', 'restarting it')).toHaveLength(1);

    const closedCleanly = make().embedder;
    await closedCleanly.embed(['x'], 'query');
    await closedCleanly.close();
    expect(closedCleanly.restarts).toBe(0);
  });
});
