/**
 * The real embedding worker must not starve the gateway: while citebot embeds a long batch of
 * passages (as an ingest inside the bot process does), heartbeats keep their rhythm and a
 * question asked meanwhile is still deferred at once.
 */
import { InteractionResponseType } from 'discord.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { splitParagraphs } from '../../src/corpus/split-paragraphs.ts';
import { WorkerEmbedder } from '../../src/embedding/worker-embedder.ts';
import { REPO_ROOT } from '../support/engine.ts';
import { createCannedEngine, hit, searchResult } from '../discord/support/canned-engine.ts';
import { startHarness, type Harness } from '../discord/support/harness.ts';

const HEARTBEAT_MS = 250;

/** 300 real paragraphs (the seeds, repeated) — a few seconds of ONNX work on one thread. */
function passages(): string[] {
  const file = 'seeds/002_b5b0d5d85ae90eb1.txt';
  const texts = splitParagraphs(file, readFileSync(path.join(REPO_ROOT, file), 'utf8')).map((p) => p.text);
  return Array.from({ length: 300 }, (_, i) => `${texts[i % texts.length]} (${i})`);
}

describe('heartbeats during a long embedding batch (real worker thread)', () => {
  let harness: Harness;
  let embedder: WorkerEmbedder;

  beforeAll(async () => {
    embedder = new WorkerEmbedder(parseConfig({ CITEBOT_THREADS: '1' }, REPO_ROOT).model);
    await embedder.ready();
    harness = await startHarness({
      engine: createCannedEngine({ search: async (query) => searchResult(query, [hit({ text: 'Around 4,000.' })]) }),
      emulator: { heartbeatIntervalMs: HEARTBEAT_MS },
    });
  });
  afterAll(async () => {
    await harness?.stop();
    await embedder?.close();
  });

  it('keeps sending heartbeats on time and still defers a question at once', async () => {
    const started = Date.now();
    const batch = embedder.embed(passages(), 'passage');
    const handle = harness.emulator.slash('ask', { question: 'asked while embedding' });
    const ack = await handle.acknowledgement();
    const vectors = await batch;
    const finished = Date.now();

    expect(vectors).toHaveLength(300);
    expect(ack.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(ack.at).toBeLessThan(finished); // answered during the embedding, not after it
    const during = harness.emulator.heartbeats.filter((h) => h.at >= started && h.at <= finished);
    expect(during.length).toBeGreaterThanOrEqual(Math.floor((finished - started) / HEARTBEAT_MS) - 2);
    const gaps = during.slice(1).map((h, i) => h.at - during[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(HEARTBEAT_MS * 2);
  });
});
