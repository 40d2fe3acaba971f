/**
 * `/citebot config` end to end (real bot, Discord emulator, real SQLite): Manage Server only,
 * validated, committed before it is confirmed, and in effect at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityStore } from '../../src/core/community-store.ts';
import { MANAGER_PERMISSIONS } from '../discord-emulator/payloads.ts';
import { startCommunityHarness, type CommunityHarness } from './support/community-harness.ts';
import type { Harness } from './support/harness.ts';

const QUESTION = 'How many personnel will the NATO training mission in Iraq grow to?';

describe('/citebot config (emulated Discord, real SQLite)', () => {
  let community: CommunityHarness;
  let harness: Harness;
  let engine: CommunityHarness['engine'];
  let store: CommunityStore;

  const config = (options: Record<string, string | number | boolean>) =>
    harness.emulator.slash('citebot', options, { subcommand: 'config', permissions: MANAGER_PERMISSIONS }).reply(30_000);

  beforeAll(async () => {
    community = await startCommunityHarness({ name: 'settings' });
    ({ harness, engine, store } = community);
  }, 120_000);

  afterAll(() => community?.stop());

  it('refuses a member without Manage Server, and changes nothing', async () => {
    const reply = await harness.emulator.slash('citebot', { 'private-by-default': true }, { subcommand: 'config' }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/\/citebot config is for members with the Manage Server permission/);
    expect((await store.guildSettings(harness.emulator.world.guildId)).privateByDefault).toBe(false);
  });

  it('shows the settings privately, today’s behaviour by default', async () => {
    const reply = await config({});
    expect(reply.ephemeral).toBe(true);
    const fields = Object.fromEntries((reply.embeds?.[0]?.fields ?? []).map((f) => [f.name, f.value]));
    expect(fields['answer-in-thread']).toMatch(/^off/);
    expect(fields['private-by-default']).toMatch(/^off/);
    expect(fields['mention-channels']).toMatch(/every channel citebot can see/);
  });

  it('private-by-default: /ask without private: answers privately at once; private:false still answers publicly', async () => {
    const saved = await config({ 'private-by-default': true });
    expect(saved.content).toMatch(/^Saved/);
    expect((await harness.emulator.slash('ask', { question: QUESTION }).reply(30_000)).ephemeral).toBe(true);
    expect((await harness.emulator.slash('ask', { question: QUESTION, private: false }).reply(30_000)).ephemeral).toBe(false);
    await config({ 'private-by-default': false });
    expect((await harness.emulator.slash('ask', { question: QUESTION }).reply(30_000)).ephemeral).toBe(false);
  });

  it('answer-in-thread: a public /ask answer opens a thread on the answer message, named from the question within 100 characters', async () => {
    await config({ 'answer-in-thread': true });
    const long = `${QUESTION} ${'And what about the other missions in the region?'.repeat(3)}`;
    const handle = harness.emulator.slash('ask', { question: long });
    await handle.reply(30_000);
    const thread = await harness.emulator.waitForThread(handle.originalMessageId, 30_000);
    expect(thread.parent_id).toBe(harness.emulator.world.channel.id);
    expect(thread.name?.length).toBeLessThanOrEqual(100);
    expect(thread.name?.startsWith('How many personnel will the NATO training mission')).toBe(true);

    const threadsBefore = harness.emulator.threads.length;
    const privately = harness.emulator.slash('ask', { question: QUESTION, private: true });
    await privately.reply(30_000);
    await config({ 'answer-in-thread': false });
    const after = harness.emulator.slash('ask', { question: QUESTION });
    await after.reply(30_000);
    expect(harness.emulator.threads.length).toBe(threadsBefore);
  });

  it('mention-channels: mentions are answered only there (and in their threads) once set, everywhere again with "all"', async () => {
    const [help] = harness.emulator.world.otherChannels;
    const saved = await config({ 'mention-channels': `<#${help?.id ?? ''}>` });
    expect(saved.embeds?.[0]?.fields?.find((f) => f.name === 'mention-channels')?.value).toBe(`@citebot is answered in <#${help?.id ?? ''}>`);

    const searches = engine.calls.search;
    harness.emulator.message(QUESTION, { mentionBot: true });
    const answered = harness.emulator.message(QUESTION, { mentionBot: true, channelId: help?.id ?? '' });
    await answered.reply(30_000);
    // Only the mention in #help reached the engine; the one in #general was ignored.
    expect(engine.calls.search).toBe(searches + 1);

    await config({ 'mention-channels': 'all' });
    await harness.emulator.message(QUESTION, { mentionBot: true }).reply(30_000);
  });

  it('answer-in-thread: a mention answer opens a thread on the answer too (not when the mention is already in a thread)', async () => {
    await config({ 'answer-in-thread': true });
    const answer = await harness.emulator.message(QUESTION, { mentionBot: true }).replyMessage(30_000);
    const thread = await harness.emulator.waitForThread(answer.id, 30_000);
    expect(thread.parent_id).toBe(harness.emulator.world.channel.id);
    expect(thread.name).toBe(QUESTION);
    const threads = harness.emulator.threads.length;
    await harness.emulator.message(QUESTION, { mentionBot: true, channelId: thread.id }).reply(30_000);
    await config({ 'answer-in-thread': false });
    await harness.emulator.message(QUESTION, { mentionBot: true }).reply(30_000);
    expect(harness.emulator.threads.length).toBe(threads);
  });

  it('cooldown: a server cooldown applies at once to /ask and mentions, and 0 turns it off; out-of-range values are refused', async () => {
    const saved = await config({ cooldown: 600 });
    expect(saved.embeds?.[0]?.fields?.find((f) => f.name === 'cooldown')?.value).toBe("600 s between a member's questions");
    expect((await store.guildSettings(harness.emulator.world.guildId)).cooldownSeconds).toBe(600);
    expect((await harness.emulator.slash('ask', { question: QUESTION }).reply(30_000)).embeds?.length).toBe(1);
    const searches = engine.calls.search;
    const refused = await harness.emulator.slash('ask', { question: QUESTION }).reply(30_000);
    expect(refused.ephemeral).toBe(true);
    expect(refused.content).toMatch(/asking too quickly\. Try again <t:\d+:R>/);
    expect((await harness.emulator.message(QUESTION, { mentionBot: true }).reply(30_000)).body.content).toMatch(/asking too quickly/);
    // Another member has a turn of their own.
    expect((await harness.emulator.slash('ask', { question: QUESTION }, { as: harness.emulator.addMember('carol') }).reply(30_000)).embeds?.length).toBe(1);
    expect(engine.calls.search).toBe(searches + 1);

    for (const bad of [-1, 3601]) {
      const reply = await config({ cooldown: bad });
      expect(reply.content).toMatch(/not a whole number from 0 to 3600/);
    }
    expect((await store.guildSettings(harness.emulator.world.guildId)).cooldownSeconds).toBe(600);
    await config({ cooldown: 0 });
    expect((await harness.emulator.slash('ask', { question: QUESTION }).reply(30_000)).embeds?.length).toBe(1);
    expect((await harness.emulator.slash('ask', { question: QUESTION }).reply(30_000)).embeds?.length).toBe(1);
  });

  it('auto-answer-channels: saved after validation, and the reply says the Message Content intent is needed when the bot lacks it', async () => {
    const [help, staff] = harness.emulator.world.otherChannels;
    const saved = await config({ 'auto-answer-channels': `<#${help?.id ?? ''}>` });
    expect(saved.content).toMatch(/^Saved\.[\s\S]*Auto-answer needs the Message Content intent[\s\S]*CITEBOT_MESSAGE_CONTENT=true/);
    expect((await store.guildSettings(harness.emulator.world.guildId)).autoAnswerChannels).toEqual([help?.id]);
    const refused = await config({ 'auto-answer-channels': `<#${staff?.id ?? ''}>` });
    expect(refused.content).toMatch(/citebot cannot see #staff/);
    expect((await config({ 'auto-answer-channels': 'all' })).content).toMatch(/not accepted here/);
    const off = await config({ 'auto-answer-channels': 'none' });
    expect(off.content).toBe('Saved. The change applies from now on.');
    expect(off.embeds?.[0]?.fields?.find((f) => f.name === 'auto-answer-channels')?.value).toMatch(/^none/);
  });

  it.each([
    ['a channel citebot cannot see', () => `<#${harness.emulator.world.otherChannels[1]?.id ?? ''}>`, /citebot cannot see #staff \(give it View Channel there\)/],
    ['a channel of another server', () => '<#123456789012345678>', /channel 123456789012345678 is not a channel of this server/],
    ['something that is not a channel', () => 'general', /“general” is not a channel/],
  ])('refuses %s, privately, and changes nothing', async (_what, value, expected) => {
    const before = await store.guildSettings(harness.emulator.world.guildId);
    const reply = await config({ 'mention-channels': value() });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(expected);
    expect(await store.guildSettings(harness.emulator.world.guildId)).toEqual(before);
  });
});
