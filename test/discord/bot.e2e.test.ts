/**
 * citebot's Discord side end to end: the real discord.js Client inside `createDiscordBot`,
 * talking to the local Discord emulator, answering from the engine in `support/e2e-engine.ts`
 * (the one line to change when the real test engine lands). Assertions are about what a user
 * sees: visibility, text, and citations checked against the files in seeds/.
 */
import { GatewayIntentBits, InteractionResponseType } from 'discord.js';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABSTAIN_TEXT, CLOSEST_PASSAGES_TITLE } from '../../src/discord/render/answer.ts';
import { citedText, citationsIn, verifyPassageFields } from './support/citations.ts';
import { countingEngine } from './support/counting-engine.ts';
import { createE2EEngine } from './support/e2e-engine.ts';
import { startHarness, type Harness } from './support/harness.ts';

const NO_MENTIONS = { parse: [], replied_user: false };
const ON_TOPIC = 'How many personnel will the NATO training mission in Iraq grow to?';
const OFF_TOPIC = 'What is the best recipe for chocolate chip cookies?';
const SEED = 'seeds/001_8140afa543bea040.txt';

describe('citebot on Discord (emulated), answering from the seeds', () => {
  let harness: Harness;
  let engine: ReturnType<typeof countingEngine>;

  beforeAll(async () => {
    engine = countingEngine(await createE2EEngine());
    harness = await startHarness({ engine, emulator: { heartbeatIntervalMs: 250 } });
  }, 120_000);

  afterAll(async () => {
    await harness?.stop();
    await engine?.close();
  });

  it('identifies with minimal intents: Guilds, GuildMessages, DirectMessages and no privileged MessageContent', () => {
    const intents = harness.emulator.intents ?? 0;
    expect(intents).toBe(GatewayIntentBits.Guilds | GatewayIntentBits.GuildMessages | GatewayIntentBits.DirectMessages);
    expect(intents & GatewayIntentBits.MessageContent).toBe(0);
  });

  describe('/ask', () => {
    it('defers within 3 s, then answers with the best sentence and a verifiable citation per passage', async () => {
      const handle = harness.emulator.slash('ask', { question: ON_TOPIC });
      const ack = await handle.acknowledgement();
      expect(ack.body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      expect(ack.at - handle.dispatchedAt).toBeLessThan(3000);
      expect(ack.ephemeral).toBe(false);

      const reply = await handle.reply(30_000);
      expect(reply.via).toBe('edit-original');
      expect(reply.ephemeral).toBe(false);
      expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
      const embed = reply.embeds?.[0];
      expect(embed?.description).toMatch(/4,000/);
      const citations = verifyPassageFields(embed ?? {});
      expect(citations.length).toBeGreaterThan(0);
      for (const citation of citations) expect(citation.file).toMatch(/^seeds\/\d{3}_[0-9a-f]{16}\.txt$/);
    });

    it('answers privately when private:true', async () => {
      const handle = harness.emulator.slash('ask', { question: ON_TOPIC, private: true });
      expect((await handle.acknowledgement()).ephemeral).toBe(true);
      const reply = await handle.reply(30_000);
      expect(reply.ephemeral).toBe(true);
      expect(reply.embeds?.[0]?.fields?.length).toBeGreaterThan(0);
    });

    it('says the sources do not cover an off-topic question, labelling any passages as not an answer', async () => {
      const reply = await harness.emulator.slash('ask', { question: OFF_TOPIC }).reply(30_000);
      expect(reply.content).toBe(ABSTAIN_TEXT);
      for (const embed of reply.embeds ?? []) {
        expect(embed.title).toBe(CLOSEST_PASSAGES_TITLE);
        for (const field of embed.fields ?? []) expect(field.name).toMatch(/not an answer/);
        verifyPassageFields(embed);
      }
    });

    it('cannot ping: @everyone in a question goes out with no allowed mentions', async () => {
      const reply = await harness.emulator.slash('ask', { question: `@everyone ${ON_TOPIC}` }).reply(30_000);
      expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    });

    it('works in a DM with the bot too', async () => {
      const reply = await harness.emulator.slash('ask', { question: ON_TOPIC }, { dm: true }).reply(30_000);
      expect(verifyPassageFields(reply.embeds?.[0] ?? {}).length).toBeGreaterThan(0);
    });

    it.each([
      ['an empty question', { question: '' }, /empty/],
      ['a whitespace-only question', { question: ' \n\t ' }, /empty/],
      ['a missing question option', {}, /empty/],
      ['an over-long question', { question: 'why '.repeat(130).trim() }, /519 characters long; the limit is 500/],
    ])('rejects %s privately, without asking the engine', async (_what, options, expected) => {
      const before = engine.calls.search;
      const handle = harness.emulator.slash('ask', options);
      const reply = await handle.reply();
      expect(reply.via).toBe('callback');
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(expected);
      expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
      expect(engine.calls.search).toBe(before);
    });
  });

  describe('/search', () => {
    it('lists the top passages with scores and verifiable citations', async () => {
      const handle = harness.emulator.slash('search', { query: 'Stoltenberg May 1 deadline', results: 3 });
      expect((await handle.acknowledgement()).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      const reply = await handle.reply(30_000);
      const embed = reply.embeds?.[0] ?? {};
      expect(embed.fields?.length).toBeGreaterThan(0);
      expect(embed.fields?.length).toBeLessThanOrEqual(3);
      // "1. score 0.8489", then the passage's heading path when it has one.
      for (const field of embed.fields ?? []) expect(field.name).toMatch(/^\d+\. score -?\d+\.\d{4}( · .+)?$/);
      verifyPassageFields(embed);
      expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    });
  });

  describe('/source', () => {
    it('quotes the requested lines verbatim with their line numbers', async () => {
      const reply = await harness.emulator.slash('source', { file: SEED, lines: '6-8' }).reply();
      const embed = reply.embeds?.[0] ?? {};
      expect(embed.title).toBe('seeds/001\\_8140afa543bea040.txt:L6-L8');
      const fileLines = readFileSync(SEED, 'utf8').split('\n');
      for (const n of [6, 7, 8]) expect(embed.description).toContain(`${n} │ ${fileLines[n - 1] ?? ''}`);
      expect(embed.description?.startsWith('```')).toBe(true);
      expect(embed.description?.endsWith('```')).toBe(true);
      expect(reply.ephemeral).toBe(false);
    });

    it.each([
      ['a range past the end of the file', { file: SEED, lines: '60-99' }, /has 68 lines, so the range 60-99 runs past its last line, 68 \(ask for 60-68\)\.\n.*Give a line range like 12-15/],
      ['a malformed range', { file: SEED, lines: 'twelve' }, /is not a line range/],
      ['a reversed range', { file: SEED, lines: '9-3' }, /ends before it starts/],
      ['an unknown file', { file: 'seeds/nope.txt', lines: '1-2' }, /not an indexed document.*\n.*seeds\/000_e4409a72bea0ec59\.txt/],
    ])('answers %s privately with the hint', async (_what, options, expected) => {
      const reply = await harness.emulator.slash('source', options).reply();
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(expected);
      expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    });

    it('autocompletes indexed files from what was typed', async () => {
      const files = engine.summary().documents.map((d) => d.file);
      const all = await harness.emulator.autocomplete('source', { file: '' }, 'file').choices();
      expect(all.map((c) => c.value)).toEqual(files.slice(0, 25));
      const some = await harness.emulator.autocomplete('source', { file: '001_' }, 'file').choices();
      expect(some).toEqual([{ name: SEED, value: SEED }]);
      expect(await harness.emulator.autocomplete('source', { file: 'zzz' }, 'file').choices()).toEqual([]);
    });
  });

  describe('/sources', () => {
    it('lists every document with its paragraph count, and the index build time', async () => {
      const reply = await harness.emulator.slash('sources').reply();
      const embed = reply.embeds?.[0] ?? {};
      for (const doc of engine.summary().documents) {
        expect(embed.description).toContain(`\`${doc.file}\` — ${doc.paragraphs} paragraph`);
      }
      expect(embed.fields?.find((f) => f.name === 'Index built')?.value).toMatch(/^<t:\d+:f> \(<t:\d+:R>\)$/);
      expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    });
  });

  describe('messages', () => {
    it('answers a guild @mention as a reply, with verifiable citations', async () => {
      const sent = harness.emulator.message(ON_TOPIC, { mentionBot: true });
      const reply = await sent.reply(30_000);
      expect(reply.body.message_reference?.message_id).toBe(sent.payload.id);
      expect(reply.body.allowed_mentions).toEqual(NO_MENTIONS);
      const embed = reply.body.embeds?.[0] ?? {};
      expect(verifyPassageFields(embed).length).toBeGreaterThan(0);
      // The typing indicator stands in for "deferring" on messages.
      expect(harness.emulator.requestsTo(new RegExp(`^/channels/${sent.payload.channel_id}/typing$`), 'POST').length).toBeGreaterThan(0);
    });

    it('answers a DM as a reply', async () => {
      const sent = harness.emulator.message(ON_TOPIC, { dm: true });
      const reply = await sent.reply(30_000);
      expect(reply.path).toBe(`/channels/${sent.payload.channel_id}/messages`);
      expect(reply.body.allowed_mentions).toEqual(NO_MENTIONS);
      expect(citationsIn(reply.body.embeds?.[0]?.fields?.map((f) => f.value).join('\n') ?? '').length).toBeGreaterThan(0);
    });

    it('cannot ping from a mention either: @everyone goes out with no allowed mentions', async () => {
      const reply = await harness.emulator.message(`@everyone ${ON_TOPIC}`, { mentionBot: true }).reply(30_000);
      expect(reply.body.allowed_mentions).toEqual(NO_MENTIONS);
    });

    it('asks for a question when mentioned with nothing else', async () => {
      const reply = await harness.emulator.message('', { mentionBot: true }).reply();
      expect(reply.body.content).toMatch(/Ask me a question after the mention/);
    });

    it('ignores guild messages that do not mention it', async () => {
      const before = harness.emulator.requests.length;
      const searches = engine.calls.search;
      harness.emulator.message(ON_TOPIC);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(harness.emulator.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
      expect(engine.calls.search).toBe(searches);
    });
  });

  describe('"Find sources" (message context menu)', () => {
    it("answers the selected message's text like /ask", async () => {
      const target = harness.emulator.existingMessage(ON_TOPIC);
      const handle = harness.emulator.messageCommand('Find sources', target);
      expect((await handle.acknowledgement()).body.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      const reply = await handle.reply(30_000);
      const citations = verifyPassageFields(reply.embeds?.[0] ?? {});
      expect(citations.some((c) => /4,000/.test(citedText(c)))).toBe(true);
    });
  });

  it('answers autocomplete for an option it does not complete with no choices', async () => {
    expect(await harness.emulator.autocomplete('ask', { question: 'wh' }, 'question').choices()).toEqual([]);
  });

  it('answers an unknown command privately', async () => {
    const reply = await harness.emulator.slash('frobnicate').reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/don't know the command/);
  });
});
