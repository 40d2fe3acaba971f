/**
 * Feedback end to end: the real bot against the Discord emulator, a real SQLite database in a
 * temporary folder. Public answers carry Helpful / Not helpful buttons; a vote is acknowledged
 * privately after it is committed; one vote per member per answer, changeable.
 */
import { ButtonStyle, ComponentType, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityStore } from '../../src/core/community-store.ts';
import { HELPFUL_LABEL, NOT_HELPFUL_LABEL, VOTE_PREFIX } from '../../src/discord/render/feedback.ts';
import { verifyPassageFields } from './support/citations.ts';
import { startCommunityHarness, type CommunityHarness } from './support/community-harness.ts';
import type { Harness } from './support/harness.ts';

const ON_TOPIC = 'How many personnel will the NATO training mission in Iraq grow to?';
const OFF_TOPIC = 'What is the best recipe for chocolate chip cookies?';

/** The two custom ids of a message's vote buttons, checked to be the Helpful / Not helpful pair. */
function voteButtons(message: { components?: unknown }): { helpful: string; notHelpful: string; answerId: string } {
  const rows = (message.components ?? []) as { type: number; components: { type: number; style: number; label: string; custom_id: string }[] }[];
  expect(rows).toHaveLength(1);
  const [row] = rows;
  expect(row?.type).toBe(ComponentType.ActionRow);
  const [helpful, notHelpful] = row?.components ?? [];
  expect(helpful).toMatchObject({ type: ComponentType.Button, style: ButtonStyle.Success, label: HELPFUL_LABEL });
  expect(notHelpful).toMatchObject({ type: ComponentType.Button, label: NOT_HELPFUL_LABEL });
  const answerId = (helpful?.custom_id ?? '').slice(VOTE_PREFIX.length).split(':')[0] ?? '';
  expect(notHelpful?.custom_id).toBe(`${VOTE_PREFIX}${answerId}:0`);
  return { helpful: helpful?.custom_id ?? '', notHelpful: notHelpful?.custom_id ?? '', answerId };
}

describe('feedback buttons (emulated Discord, real SQLite)', () => {
  let community: CommunityHarness;
  let harness: Harness;
  let store: CommunityStore;

  beforeAll(async () => {
    community = await startCommunityHarness({ name: 'feedback' });
    ({ harness, store } = community);
  }, 120_000);

  afterAll(() => community?.stop());

  async function askPublicly(question: string): Promise<{ message: APIMessage; embedFields: ReturnType<typeof verifyPassageFields> }> {
    const handle = harness.emulator.slash('ask', { question });
    const reply = await handle.reply(30_000);
    expect(reply.ephemeral).toBe(false);
    const embed = reply.embeds?.[0] ?? {};
    return { message: harness.emulator.botMessage(handle.originalMessageId), embedFields: question === OFF_TOPIC ? [] : verifyPassageFields(embed) };
  }

  it('puts the buttons under a public /ask answer and stores the question, the citations shown and the abstention decision', async () => {
    const { message, embedFields } = await askPublicly(ON_TOPIC);
    const { answerId } = voteButtons(message);
    const stored = await store.findAnswer(answerId);
    expect(stored).toMatchObject({ guildId: harness.emulator.world.guildId, userId: harness.emulator.human.id, question: ON_TOPIC, abstained: false, public: true });
    expect(stored?.citations).toEqual(embedFields.map((c) => `${c.file}:L${c.startLine}-L${c.endLine}`));
  });

  it('acknowledges a vote privately, lets the member change it, and keeps one vote per member', async () => {
    const { message } = await askPublicly(ON_TOPIC);
    const { helpful, notHelpful, answerId } = voteButtons(message);

    const first = await harness.emulator.clickButton(message, helpful).reply();
    expect(first.ephemeral).toBe(true);
    expect(first.content).toMatch(/recorded: \*\*Helpful\*\*/);
    expect((await store.votesFor(answerId)).map((v) => [v.userId, v.helpful])).toEqual([[harness.emulator.human.id, true]]);

    const changed = await harness.emulator.clickButton(message, notHelpful).reply();
    expect(changed.ephemeral).toBe(true);
    expect(changed.content).toMatch(/changed to \*\*Not helpful\*\*/);
    const again = await harness.emulator.clickButton(message, notHelpful).reply();
    expect(again.content).toMatch(/already \*\*Not helpful\*\*; nothing changed/);

    const bob = harness.emulator.addMember('bob');
    expect((await harness.emulator.clickButton(message, helpful, { as: bob }).reply()).content).toMatch(/recorded: \*\*Helpful\*\*/);
    const votes = await store.votesFor(answerId);
    expect(votes.map((v) => [v.userId, v.helpful])).toEqual([
      [harness.emulator.human.id, false],
      [bob.id, true],
    ]);
  });

  it('stores an abstained answer as abstained, and it takes votes too', async () => {
    const { message } = await askPublicly(OFF_TOPIC);
    const { notHelpful, answerId } = voteButtons(message);
    expect(await store.findAnswer(answerId)).toMatchObject({ question: OFF_TOPIC, abstained: true });
    expect((await harness.emulator.clickButton(message, notHelpful).reply()).ephemeral).toBe(true);
    expect(await store.votesFor(answerId)).toHaveLength(1);
  });

  it('gives a private answer no buttons, but keeps its question for the report (marked private)', async () => {
    const before = (await store.answersSince(harness.emulator.world.guildId, 0)).length;
    const handle = harness.emulator.slash('ask', { question: ON_TOPIC, private: true });
    const reply = await handle.reply(30_000);
    expect(reply.ephemeral).toBe(true);
    expect(reply.components ?? []).toEqual([]);
    const all = await store.answersSince(harness.emulator.world.guildId, 0);
    expect(all).toHaveLength(before + 1);
    expect(all.at(-1)).toMatchObject({ question: ON_TOPIC, public: false });
  });

  it('puts the buttons under a mention answer too, and they work', async () => {
    const sent = harness.emulator.message(ON_TOPIC, { mentionBot: true });
    const message = await sent.replyMessage(30_000);
    const { helpful, answerId } = voteButtons(message);
    expect(await store.findAnswer(answerId)).toMatchObject({ question: ON_TOPIC, channelId: harness.emulator.world.channel.id });
    expect((await harness.emulator.clickButton(message, helpful).reply()).content).toMatch(/recorded/);
  });

  it('stores nothing and shows no buttons in a DM (there is no server to report to)', async () => {
    const before = await store.guilds();
    const reply = await harness.emulator.slash('ask', { question: ON_TOPIC }, { dm: true }).reply(30_000);
    expect(reply.components ?? []).toEqual([]);
    expect(await store.guilds()).toEqual(before);
  });

  it('tells the member privately when the answer is no longer stored', async () => {
    const { message } = await askPublicly(ON_TOPIC);
    const { helpful, answerId } = voteButtons(message);
    await store.forgetMember(harness.emulator.world.guildId, harness.emulator.human.id);
    expect(await store.findAnswer(answerId)).toBeUndefined();
    const reply = await harness.emulator.clickButton(message, helpful).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/no longer stored/);
  });
});
