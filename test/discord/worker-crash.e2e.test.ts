/**
 * The embedding worker dies under a question (issue 10, point 7), end to end: a real engine over
 * the seeds whose embedder is citebot's WorkerEmbedder, running the fake worker of
 * test/support/fake-embedding-worker.mjs (the hashed test embedder's vectors in a worker thread,
 * exiting when a text holds "!exit"), behind the real bot and the Discord emulator. The member
 * whose question was in flight is told privately to try again; the worker is restarted (logged),
 * and the next question is answered with citations as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCitebot } from '../../src/app.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Engine } from '../../src/core/types.ts';
import { WORKER_RESTARTING_HINT, WorkerEmbedder } from '../../src/embedding/worker-embedder.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding, TEST_EMBEDDER_ID } from '../support/test-embedder.ts';
import { passageAndCitation, citedText } from './support/citations.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { createRecordingLogger } from './support/recording-logger.ts';

const FAKE_WORKER = new URL('../support/fake-embedding-worker.mjs', import.meta.url);
/** How long a reply may take on a busy machine: a restart loads tsx and the test embedder in the new thread (a wait, not an assertion). */
const REPLY_WAIT_MS = 25_000;
const ON_TOPIC = 'How many personnel will the NATO training mission in Iraq grow to?';

let workspace: TestWorkspace;
let engine: Engine;
let harness: Harness;
let embedder: WorkerEmbedder;
const workerLogs = createRecordingLogger();

beforeAll(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  embedder = new WorkerEmbedder(
    { ...workspace.config.model, modelId: TEST_EMBEDDER_ID },
    { workerUrl: FAKE_WORKER, logger: workerLogs.logger, restart: { initialDelayMs: 20 } },
  );
  ({ engine } = await openCitebot(workspace.config, { logger: silentLogger, embedding: { ...createTestEmbedding(), embedder } }));
  harness = await startHarness({ engine });
}, 60_000);

afterAll(async () => {
  await harness?.stop();
  await engine?.close();
  await workspace?.cleanup();
});

describe('the embedding worker dies under a question', () => {
  it('answers before the crash, through the worker thread', async () => {
    const reply = await harness.emulator.slash('ask', { question: ON_TOPIC }).reply(REPLY_WAIT_MS);
    expect(reply.ephemeral).toBe(false);
    expect(reply.embeds?.[0]?.fields?.length).toBeGreaterThan(0);
  });

  it('tells the member privately that the worker stopped and to try again, with no stack trace', async () => {
    const reply = await harness.emulator.slash('ask', { question: 'What happens when the worker hits !exit now?' }).reply(REPLY_WAIT_MS);
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain('The embedding worker exited (code 3).');
    expect(reply.content).toContain(WORKER_RESTARTING_HINT);
    expect(reply.content).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('restarts the worker (logged) and answers the next question with verifiable citations', async () => {
    const reply = await harness.emulator.slash('ask', { question: ON_TOPIC }).reply(REPLY_WAIT_MS);
    expect(reply.ephemeral).toBe(false);
    const fields = reply.embeds?.[0]?.fields ?? [];
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) {
      const { passage, citation } = passageAndCitation(field);
      expect(citedText(citation, workspace.root)).toContain(passage);
    }
    expect(embedder.restarts).toBe(1);
    expect(workerLogs.find('warn', 'the embedding worker stopped; restarting it')).toHaveLength(1);
    expect(workerLogs.find('info', 'the embedding worker is running again')).toHaveLength(1);
  });

  it('a mention whose question kills the worker gets one public "try again" reply, and the bot keeps answering mentions', async () => {
    const crashed = await harness.emulator.message('and now !exit again', { mentionBot: true }).reply(REPLY_WAIT_MS);
    expect(crashed.body.content).toContain(WORKER_RESTARTING_HINT);
    const answered = await harness.emulator.message(ON_TOPIC, { mentionBot: true }).reply(REPLY_WAIT_MS);
    expect(answered.body.embeds?.[0]?.fields?.length).toBeGreaterThan(0);
    expect(embedder.restarts).toBe(2);
  });
});
