/** `/citebot forget-me` end to end: the real bot, the Discord emulator, a real SQLite database. */
import type { APIUser } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityStore } from '../../src/core/community-store.ts';
import { startCommunityHarness, type CommunityHarness } from './support/community-harness.ts';
import type { Harness } from './support/harness.ts';

const QUESTION = 'How many personnel will the NATO training mission in Iraq grow to?';

describe('/citebot forget-me (emulated Discord, real SQLite)', () => {
  let community: CommunityHarness;
  let harness: Harness;
  let store: CommunityStore;

  beforeAll(async () => {
    community = await startCommunityHarness({ name: 'privacy' });
    ({ harness, store } = community);
  }, 120_000);

  afterAll(() => community?.stop());

  async function ask(as?: APIUser) {
    const handle = harness.emulator.slash('ask', { question: QUESTION }, as === undefined ? {} : { as });
    await handle.reply(30_000);
    const message = harness.emulator.botMessage(handle.originalMessageId);
    const ids = (message.components?.[0] as { components: { custom_id: string }[] }).components.map((b) => b.custom_id);
    return { message, helpful: ids[0] ?? '', answerId: (ids[0] ?? '').split(':')[2] ?? '' };
  }

  it('deletes the member’s questions and votes in this server, confirms privately, and leaves other members’ data', async () => {
    const bob = harness.emulator.addMember('bob');
    const mine1 = await ask();
    const mine2 = await ask();
    const bobs = await ask(bob);
    await harness.emulator.clickButton(bobs.message, bobs.helpful).reply();
    await harness.emulator.clickButton(mine1.message, mine1.helpful, { as: bob }).reply();
    await harness.emulator.clickButton(bobs.message, bobs.helpful, { as: bob }).reply();

    const reply = await harness.emulator.slash('citebot', {}, { subcommand: 'forget-me' }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/deleted 2 questions you asked and 1 vote you cast in this server/);

    expect(await store.findAnswer(mine1.answerId)).toBeUndefined();
    expect(await store.findAnswer(mine2.answerId)).toBeUndefined();
    expect(await store.findAnswer(bobs.answerId)).toMatchObject({ userId: bob.id });
    expect((await store.votesFor(bobs.answerId)).map((v) => v.userId)).toEqual([bob.id]);
    const left = await store.answersSince(harness.emulator.world.guildId, 0);
    expect(left.some((a) => a.userId === harness.emulator.human.id)).toBe(false);

    const again = await harness.emulator.slash('citebot', {}, { subcommand: 'forget-me' }).reply();
    expect(again.content).toMatch(/nothing stored about you/);
  });
});
