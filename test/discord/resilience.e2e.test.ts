/**
 * How citebot behaves when things go wrong, end to end against the emulator: a failing or slow
 * engine, a dropped gateway connection, a rate limit, an expired interaction, an oversized
 * answer, a cooldown, and a shutdown with a reply in flight. These use canned engines: the
 * behaviour under test is the bot's, not retrieval's. Every test starts its own emulator and
 * bot, so none depends on what another did before it.
 */
import { InteractionResponseType } from 'discord.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CitebotError } from '../../src/core/errors.ts';
import type { SearchResult } from '../../src/core/types.ts';
import { limitViolations } from '../../src/discord/render/limits.ts';
import { createCannedEngine, hit, searchResult } from './support/canned-engine.ts';
import { passageAndCitation } from './support/citations.ts';
import { createDiscordBot } from '../../src/discord/bot.ts';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';
import { startHarness, type Harness } from './support/harness.ts';
import { createRecordingLogger } from './support/recording-logger.ts';

const NO_MENTIONS = { parse: [], replied_user: false };
const HEARTBEAT_MS = 250;

/** A search that can be told to fail or to take a while, per call. */
function scriptedEngine() {
  const plan: ((query: string) => Promise<SearchResult>)[] = [];
  const engine = createCannedEngine({
    search: (query) => {
      const next = plan.shift();
      return next !== undefined ? next(query) : Promise.resolve(searchResult(query, [hit({ text: 'The mission grows to around 4,000.' })]));
    },
  });
  return { engine, plan };
}

describe('resilience (canned engine)', () => {
  let harness: Harness;
  let plan: ((query: string) => Promise<SearchResult>)[];

  beforeEach(async () => {
    const scripted = scriptedEngine();
    plan = scripted.plan;
    harness = await startHarness({ engine: scripted.engine, emulator: { heartbeatIntervalMs: HEARTBEAT_MS } });
  });

  afterEach(async () => {
    await harness?.stop();
  });

  it('turns an engine failure into a private apology with an error id that is logged with the cause, and keeps working', async () => {
    plan.push(async () => {
      throw new Error('the embedding worker exploded');
    });
    const handle = harness.emulator.slash('ask', { question: 'anything' });
    const apology = await handle.waitFor((e) => e.kind === 'follow-up');
    expect(apology.ephemeral).toBe(true);
    expect(apology.body.allowed_mentions).toEqual(NO_MENTIONS);
    const errorId = /error id: `([0-9a-f]{8})`/.exec(apology.body.content ?? '')?.[1];
    expect(errorId).toBeDefined();
    // The public "thinking…" placeholder was removed first, so nobody else sees a dangling reply.
    expect(handle.events.map((e) => e.kind)).toEqual(['callback', 'delete-original', 'follow-up']);

    const [logged] = harness.logs.find('error', 'command failed');
    expect(logged?.fields).toMatchObject({ errorId, command: 'ask' });
    expect(String(logged?.fields.err)).toMatch(/the embedding worker exploded/);

    const next = await harness.emulator.slash('ask', { question: 'again' }).reply();
    expect(next.embeds?.[0]?.description).toMatch(/4,000/);
  });

  it('shows a CitebotError from the engine privately with its hint (no error id)', async () => {
    plan.push(async () => {
      throw new CitebotError('EMBEDDER_FAILED', 'The embedding worker stopped.');
    });
    const handle = harness.emulator.slash('ask', { question: 'anything' });
    const notice = await handle.waitFor((e) => e.kind === 'follow-up');
    expect(notice.ephemeral).toBe(true);
    expect(notice.body.content).toContain('The embedding worker stopped.');
    expect(notice.body.content).toContain('restart citebot');
    expect(notice.body.content).not.toMatch(/error id/);
  });

  it('shows a SOURCE_* error the engine raises after the defer privately, removing the public placeholder', async () => {
    const engine = createCannedEngine({
      source: async (file) => {
        throw new CitebotError('SOURCE_BAD_RANGE', `${file} changed on disk.`);
      },
    });
    const own = await startHarness({ engine });
    try {
      const handle = own.emulator.slash('source', { file: 'seeds/001_8140afa543bea040.txt', lines: '1-2' });
      const notice = await handle.waitFor((e) => e.kind === 'follow-up');
      expect(handle.events.map((e) => e.kind)).toEqual(['callback', 'delete-original', 'follow-up']);
      expect(notice.ephemeral).toBe(true);
      expect(notice.body.content).toMatch(/changed on disk\.\nGive a line range like 12-15/);
    } finally {
      await own.stop();
    }
  });

  it('when the interaction expired before the defer (10062), logs it and carries on', async () => {
    const handle = harness.emulator.slash('ask', { question: 'too late' }, { expired: true });
    await expect.poll(() => harness.logs.find('warn', 'interaction expired').length).toBe(1);
    expect(harness.logs.find('warn', 'interaction expired')[0]?.fields).toMatchObject({ code: 10062, command: 'ask' });
    expect(handle.events).toEqual([]);
    expect(harness.logs.find('error', 'command failed')).toEqual([]);
    await harness.emulator.slash('ask', { question: 'still there?' }).reply();
  });

  it('resumes after the gateway closes with 4000 mid-session, and still answers (including a command sent during the outage)', async () => {
    const identifies = harness.emulator.identifies.length;
    const resumes = harness.emulator.resumes.length;
    harness.emulator.closeGateway(4000);
    const duringOutage = harness.emulator.slash('ask', { question: 'asked while disconnected' });
    await harness.emulator.waitForSession();
    // Replayed on RESUME, still inside the 3-second window.
    expect((await duringOutage.reply()).embeds?.[0]?.description).toMatch(/4,000/);
    expect(harness.emulator.resumes.slice(resumes)).toMatchObject([{ accepted: true }]);
    expect(harness.emulator.identifies).toHaveLength(identifies);
    expect(harness.logs.find('warn', 'reconnecting').length).toBeGreaterThan(0);
    await expect.poll(() => harness.logs.find('info', 'gateway session resumed').length).toBeGreaterThan(0);

    const after = await harness.emulator.slash('ask', { question: 'after the resume' }).reply();
    expect(after.embeds?.[0]?.description).toMatch(/4,000/);
  });

  it('retries once after a 429 with retry_after, and the reply still arrives', async () => {
    harness.emulator.rateLimitNext({ method: 'PATCH', path: /^\/webhooks\/\d+\/[^/]+\/messages\/@original$/ }, 0.3);
    const handle = harness.emulator.slash('ask', { question: 'rate limited' });
    const reply = await handle.reply();
    expect(reply.embeds?.[0]?.description).toMatch(/4,000/);
    const edits = harness.emulator.requestsTo(/^\/webhooks\/\d+\/[^/]+\/messages\/@original$/, 'PATCH').slice(-2);
    expect(edits.map((r) => r.status)).toEqual([429, 200]);
    expect((edits[1]?.at ?? 0) - (edits[0]?.at ?? 0)).toBeGreaterThanOrEqual(300);
    expect(harness.logs.find('warn', 'rate limited').length).toBeGreaterThan(0);
  });

  it('keeps heartbeating while the engine is busy, having deferred first', async () => {
    const busyMs = 1500;
    plan.push(async (query) => {
      await sleep(busyMs);
      return searchResult(query, [hit({ text: 'Slow but sure: around 4,000.' })]);
    });
    const connections = harness.emulator.connections.length;
    const handle = harness.emulator.slash('ask', { question: 'slow one' });
    const ack = await handle.acknowledgement();
    expect(ack.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const reply = await handle.reply();
    expect(reply.at - ack.at).toBeGreaterThanOrEqual(busyMs - 50); // acknowledged before the engine finished
    const during = harness.emulator.heartbeats.filter((h) => h.at > ack.at && h.at < reply.at);
    expect(during.length).toBeGreaterThanOrEqual(Math.floor(busyMs / HEARTBEAT_MS) - 2);
    const gaps = during.slice(1).map((h, i) => h.at - (during[i]?.at ?? h.at));
    expect(Math.max(...gaps)).toBeLessThan(HEARTBEAT_MS * 2);
    expect(harness.emulator.connections).toHaveLength(connections); // no zombie reconnect
  });

  it('trims an oversized answer to fit Discord, keeping every citation', async () => {
    const long = (n: number) => `Passage ${n}: ${'The alliance weighed its options at length. '.repeat(150)}`;
    const also = [
      { file: 'seeds/000_e4409a72bea0ec59.txt', startLine: 3, endLine: 3 },
      { file: 'seeds/002_b5b0d5d85ae90eb1.txt', startLine: 5, endLine: 7 },
    ];
    plan.push(async (query) =>
      searchResult(query, [
        hit({ text: long(1), startLine: 8, endLine: 8, alsoIn: also, highlight: 'The alliance weighed its options at length.' }),
        hit({ text: long(2), file: 'seeds/002_b5b0d5d85ae90eb1.txt', startLine: 5, endLine: 5 }),
        hit({ text: long(3), file: 'seeds/000_e4409a72bea0ec59.txt', startLine: 17, endLine: 17, alsoIn: also }),
      ]),
    );
    const reply = await harness.emulator.slash('ask', { question: 'tell me everything' }).reply();
    expect(reply.via).toBe('edit-original'); // the emulator accepted it: within every Discord limit
    expect(limitViolations({ embeds: reply.embeds ?? [] })).toEqual([]);
    const fields = reply.embeds?.[0]?.fields ?? [];
    expect(fields.map((f) => passageAndCitation(f).citation)).toEqual([
      { file: 'seeds/001_8140afa543bea040.txt', startLine: 8, endLine: 8 },
      { file: 'seeds/002_b5b0d5d85ae90eb1.txt', startLine: 5, endLine: 5 },
      { file: 'seeds/000_e4409a72bea0ec59.txt', startLine: 17, endLine: 17 },
    ]);
    expect(passageAndCitation(fields[0] ?? { name: '', value: '' }).alsoIn).toEqual(also);
    expect(passageAndCitation(fields[2] ?? { name: '', value: '' }).alsoIn).toEqual(also);
    fields.forEach((field, i) => {
      const { passage, trimmed } = passageAndCitation(field);
      const original = long(i + 1);
      expect(trimmed).toBe(true);
      expect(original.startsWith(passage)).toBe(true);
      expect(original.charAt(passage.length)).toMatch(/\s/); // cut at a word boundary
    });
  });
});

describe('logs', () => {
  it('never contain the bot token or an interaction token, even after failures', async () => {
    const engine = createCannedEngine({
      search: async () => {
        throw new Error('boom');
      },
    });
    const harness = await startHarness({ engine });
    harness.emulator.rateLimitNext({ method: 'POST', path: /^\/interactions\// }, 0.1);
    await harness.emulator.slash('ask', { question: 'fail please' }).waitFor((e) => e.kind === 'follow-up');
    harness.emulator.failNext({ method: 'PATCH', path: /messages\/@original$/ }, 404, 10008, 'Unknown Message');
    harness.emulator.slash('ask', { question: 'and again' });
    await expect.poll(() => harness.logs.find('error', 'command failed').length).toBe(2);
    await harness.stop();
    const logged = JSON.stringify(harness.logs.entries, (_key, value: unknown) =>
      value instanceof Error ? { message: value.message, stack: value.stack } : value,
    );
    expect(harness.logs.entries.length).toBeGreaterThan(10);
    expect(logged).not.toContain(harness.emulator.token);
    expect(logged).not.toMatch(/interaction\.[\w-]{20,}/);
  });
});

describe('start-up', () => {
  it('rejects start() as DISCORD_UNREACHABLE when nothing answers at the API URL', async () => {
    const bot = createDiscordBot({
      engine: createCannedEngine(),
      logger: createRecordingLogger().logger,
      token: 'any.token.value',
      // Port 9 (discard): nothing listens there on a test machine, so the connection is refused.
      apiUrl: 'http://127.0.0.1:9/api',
      cooldownSeconds: 0,
      maxQuestionLength: 500,
    });
    await expect(bot.start()).rejects.toMatchObject({ code: 'DISCORD_UNREACHABLE', message: 'Cannot reach Discord at http://127.0.0.1:9/api (ECONNREFUSED).' });
  });

  it('rejects start() with a wrong token as DISCORD_TOKEN_INVALID, without logging it', async () => {
    const emulator = await DiscordEmulator.start();
    const logs = createRecordingLogger();
    const bot = createDiscordBot({
      engine: createCannedEngine(),
      logger: logs.logger,
      token: 'wrong.token.value',
      apiUrl: emulator.apiUrl,
      cooldownSeconds: 0,
      maxQuestionLength: 500,
    });
    try {
      await expect(bot.start()).rejects.toMatchObject({ code: 'DISCORD_TOKEN_INVALID', cause: { code: 'TokenInvalid' } });
      expect(JSON.stringify(logs.entries)).not.toContain('wrong.token.value');
      expect(emulator.identifies).toEqual([]);
    } finally {
      await bot.stop();
      await emulator.stop();
    }
  });
});

describe('cooldown', () => {
  let harness: Harness;

  beforeEach(async () => {
    harness = await startHarness({ engine: createCannedEngine(), bot: { cooldownSeconds: 5 } });
  });

  afterEach(async () => {
    await harness?.stop();
  });

  it('tells a user who asks again too soon, privately, when to retry', async () => {
    await harness.emulator.slash('ask', { question: 'first' }).reply();
    const before = Date.now();
    const second = await harness.emulator.slash('ask', { question: 'second' }).reply();
    expect(second.ephemeral).toBe(true);
    const retryAt = Number(/<t:(\d+):R>/.exec(second.content ?? '')?.[1]) * 1000;
    expect(retryAt).toBeGreaterThan(before + 3000);
    expect(retryAt).toBeLessThanOrEqual(before + 6000);
  });

  it('does not count commands that never reach the engine (/sources)', async () => {
    await harness.emulator.slash('sources').reply();
    const reply = await harness.emulator.slash('sources').reply();
    expect(reply.ephemeral).toBe(false);
    // …and the engine's first request is still answered.
    expect((await harness.emulator.slash('ask', { question: 'first' }).reply()).ephemeral).toBe(false);
  });

  it('tells a user mentioning too fast once per window, then stays quiet', async () => {
    await harness.emulator.slash('ask', { question: 'starts the window' }).reply();
    const first = await harness.emulator.message('What about Iraq?', { dm: true }).reply();
    expect(first.body.content).toMatch(/Try again <t:\d+:R>/);
    const before = harness.emulator.requests.length;
    harness.emulator.message('And Afghanistan?', { dm: true });
    await sleep(300);
    expect(harness.emulator.requests.slice(before).filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toEqual([]);
  });
});

describe('graceful shutdown', () => {
  it('finishes a reply in flight before disconnecting', async () => {
    const engine = createCannedEngine({
      search: async (query) => {
        await sleep(600);
        return searchResult(query, [hit({ text: 'Answered during shutdown.' })]);
      },
    });
    const harness = await startHarness({ engine });
    const handle = harness.emulator.slash('ask', { question: 'slow' });
    await handle.acknowledgement();
    await harness.bot.stop();
    const edit = handle.events.find((e) => e.kind === 'edit-original');
    expect(edit?.body.embeds?.[0]?.description).toBe('Answered during shutdown.');
    const connection = harness.emulator.connections.at(-1);
    expect(connection?.closedAt).toBeDefined();
    expect(edit?.at ?? Infinity).toBeLessThanOrEqual(connection?.closedAt ?? 0);
    expect(harness.logs.find('info', 'waiting for in-flight replies')).toHaveLength(1);
    await harness.emulator.stop();
  });
});
