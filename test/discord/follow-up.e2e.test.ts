/**
 * Follow-ups end to end (real bot, Discord emulator, real SQLite, no MessageContent intent): a
 * reply that pings citebot under one of its answers, and a mention in the thread citebot opened on
 * an answer, are retrieved with the earlier question as context and say which question they continue.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityStore } from '../../src/core/community-store.ts';
import { MANAGER_PERMISSIONS } from '../discord-emulator/payloads.ts';
import { citedText, verifyPassageFields } from './support/citations.ts';
import { startCommunityHarness, type CommunityHarness } from './support/community-harness.ts';
import type { Harness } from './support/harness.ts';

const EARLIER = 'What did NATO defence ministers decide about the training mission in Iraq?';
const FOLLOW_UP = 'and how many personnel will it have?';

describe('follow-ups (emulated Discord, real SQLite)', () => {
  let community: CommunityHarness;
  let harness: Harness;
  let engine: CommunityHarness['engine'];
  let store: CommunityStore;

  beforeAll(async () => {
    community = await startCommunityHarness({ name: 'follow-up' });
    ({ harness, engine, store } = community);
  }, 120_000);

  afterAll(() => community?.stop());

  it('answers a reply that pings citebot under its answer as a follow-up: says what it continues, cites the right lines', async () => {
    const first = await harness.emulator.message(EARLIER, { mentionBot: true }).replyMessage(30_000);
    const sent = harness.emulator.message(FOLLOW_UP, { replyTo: first, ping: true });
    const reply = await sent.reply(30_000);
    expect(reply.body.content).toBe(`Continuing “${EARLIER}”`);
    const embed = reply.body.embeds?.[0] ?? {};
    expect(embed.title).toBe(FOLLOW_UP);
    const citations = verifyPassageFields(embed);
    expect(citations.some((c) => /around 4,000/.test(citedText(c)))).toBe(true);
    // Stored as asked (the report lists members' words), with buttons like every public answer.
    const answerId = ((reply.body.components?.[0] as { components: { custom_id: string }[] }).components[0]?.custom_id ?? '').split(':')[2] ?? '';
    expect(await store.findAnswer(answerId)).toMatchObject({ question: FOLLOW_UP });
  });

  it('answers a mention in the thread citebot opened on an answer as a follow-up, in the thread', async () => {
    await harness.emulator.slash('citebot', { 'answer-in-thread': true }, { subcommand: 'config', permissions: MANAGER_PERMISSIONS }).reply();
    const asked = harness.emulator.slash('ask', { question: EARLIER });
    await asked.reply(30_000);
    const thread = await harness.emulator.waitForThread(asked.originalMessageId, 30_000);
    const sent = harness.emulator.message(FOLLOW_UP, { mentionBot: true, channelId: thread.id });
    const reply = await sent.reply(30_000);
    expect(reply.path).toBe(`/channels/${thread.id}/messages`);
    expect(reply.body.content).toBe(`Continuing “${EARLIER}”`);
    expect(verifyPassageFields(reply.body.embeds?.[0] ?? {}).some((c) => /around 4,000/.test(citedText(c)))).toBe(true);
    await harness.emulator.slash('citebot', { 'answer-in-thread': false }, { subcommand: 'config', permissions: MANAGER_PERMISSIONS }).reply();
  });

  it('treats a plain mention outside any thread or reply as a new question', async () => {
    const reply = await harness.emulator.message(FOLLOW_UP, { mentionBot: true }).reply(30_000);
    expect(reply.body.content ?? '').not.toMatch(/Continuing/);
  });

  it('ignores a reply to citebot that does not ping it (without the Message Content intent its text is not delivered)', async () => {
    const first = await harness.emulator.message(EARLIER, { mentionBot: true }).replyMessage(30_000);
    const searches = engine.calls.search;
    const before = harness.emulator.requests.length;
    harness.emulator.message(FOLLOW_UP, { replyTo: first, ping: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(harness.emulator.requests.slice(before).filter((r) => r.method === 'POST')).toEqual([]);
    expect(engine.calls.search).toBe(searches);
  });
});
