/**
 * `/citebot report` end to end: the real bot against the Discord emulator, questions and votes
 * going through the bot into a real SQLite database; Manage Server checked at run time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommunityStore } from '../../src/core/community-store.ts';
import { CSV_NOTE, UNANSWERED_FIELD } from '../../src/discord/render/report.ts';
import { MANAGER_PERMISSIONS } from '../discord-emulator/payloads.ts';
import { verifyPassageFields } from './support/citations.ts';
import { startCommunityHarness, type CommunityHarness } from './support/community-harness.ts';
import type { Harness } from './support/harness.ts';

const ON_TOPIC = 'How many personnel will the NATO training mission in Iraq grow to?';
const OFF_TOPIC = 'What is the best recipe for chocolate chip cookies?';
const OFF_TOPIC_AGAIN = 'what is the best recipe for chocolate-chip cookies';

describe('/citebot report (emulated Discord, real SQLite)', () => {
  let community: CommunityHarness;
  let harness: Harness;
  let store: CommunityStore;

  beforeAll(async () => {
    community = await startCommunityHarness({ name: 'report' });
    ({ harness, store } = community);
  }, 120_000);

  afterAll(() => community?.stop());

  it('refuses a member without Manage Server, privately, before doing any work', async () => {
    const handle = harness.emulator.slash('citebot', {}, { subcommand: 'report' });
    const reply = await handle.reply();
    expect(reply.via).toBe('callback');
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/Manage Server permission/);
    expect(reply.embeds ?? []).toEqual([]);
  });

  it('shows a manager the grouped unanswered questions, the Not helpful answers with their citations, and the helpful rate', async () => {
    await harness.emulator.slash('ask', { question: OFF_TOPIC }).reply(30_000);
    await harness.emulator.slash('ask', { question: OFF_TOPIC_AGAIN }).reply(30_000);
    const asked = harness.emulator.slash('ask', { question: ON_TOPIC });
    const answer = await asked.reply(30_000);
    const shown = verifyPassageFields(answer.embeds?.[0] ?? {}).map((c) => `${c.file}:L${c.startLine}-L${c.endLine}`);
    const message = harness.emulator.botMessage(asked.originalMessageId);
    const buttons = (message.components?.[0] as { components: { custom_id: string }[] }).components;
    await harness.emulator.clickButton(message, buttons[1]?.custom_id ?? '').reply();
    await harness.emulator.clickButton(message, buttons[0]?.custom_id ?? '', { as: harness.emulator.addMember('bob') }).reply();

    const reply = await harness.emulator.slash('citebot', { days: 7 }, { subcommand: 'report', permissions: MANAGER_PERMISSIONS }).reply(30_000);
    expect(reply.ephemeral).toBe(true);
    const embed = reply.embeds?.[0];
    expect(embed?.title).toBe('citebot report: the last 7 days');
    expect(embed?.description).toBe('3 questions · 2 not answered by the sources · helpful rate 50% (1 of 2 votes helpful)');
    expect(embed?.fields?.find((f) => f.name === UNANSWERED_FIELD)?.value).toMatch(/^\*\*2×\*\* .*recipe for chocolate.*\(\+1 similar\)$/);
    const unhelpful = embed?.fields?.find((f) => f.name.startsWith('1 not helpful · 1 helpful'));
    expect(unhelpful?.name).toContain('NATO training mission');
    expect(unhelpful?.value).toBe(shown.map((c) => `\`${c}\``).join(' · '));
    expect(reply.files ?? []).toEqual([]);
  });

  it('attaches the whole report as CSV when it does not fit in an embed', async () => {
    const guildId = harness.emulator.world.guildId;
    const now = Date.now();
    for (let i = 0; i < 120; i += 1) {
      await store.recordAnswer({
        id: `bulk-${i}`,
        guildId,
        channelId: harness.emulator.world.channel.id,
        userId: `member-${i}`,
        question: `Undocumented feature number ${i}: how does widget${i} interact with gadget${i}?`,
        citations: [],
        abstained: true,
        public: true,
        createdAt: now - i,
      });
    }
    const reply = await harness.emulator.slash('citebot', {}, { subcommand: 'report', permissions: MANAGER_PERMISSIONS }).reply(30_000);
    expect(reply.embeds?.[0]?.footer?.text).toBe(CSV_NOTE);
    const [file] = reply.files ?? [];
    expect(file?.name).toMatch(/^citebot-report-\d{4}-\d{2}-\d{2}-30d\.csv$/);
    const rows = (file?.content ?? '').trimEnd().split('\r\n');
    for (let i = 0; i < 120; i += 1) expect(rows.some((row) => row.includes(`widget${i} interact with gadget${i}?`))).toBe(true);
    expect(rows.filter((row) => row.startsWith('unanswered,'))).toHaveLength(120 + 1);
  });
});
