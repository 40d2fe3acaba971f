/**
 * Votes are durable: `npm start` (the real entry, hashed test embedder, real SQLite under
 * CITEBOT_DATA_DIR) is killed with SIGKILL while votes are in flight, then started again. Every
 * vote a member was told is recorded is still there, and the buttons of an answer given before
 * the restart keep working.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/state/sqlite-store.ts';
import { DiscordEmulator, type InteractionHandle } from '../discord-emulator/emulator.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry, STACK_LINE, waitUntil, type Spawned } from '../support/spawn.ts';

const START = 'test/support/fixtures/start-hashed.ts';
const QUESTION = 'How many personnel will the NATO training mission in Iraq have?';
/** Generous: a cold start compiles src/ with tsx on a shared, loaded machine. */
const START_TIMEOUT_MS = 110_000;
/** How long a reply may take on a loaded machine (a wait, not an assertion about speed). */
const REPLY_WAIT_MS = 30_000;
/** Two cold starts and two replies: the lane's 30 s default timed this test out at a load average of 15. */
const TEST_TIMEOUT_MS = 2 * START_TIMEOUT_MS + 2 * REPLY_WAIT_MS;
const MEMBERS_BEFORE_KILL = 3;
const MEMBERS_DURING_KILL = 6;
const DAY_MS = 24 * 60 * 60 * 1000;

let emulator: DiscordEmulator;
let workspace: TestWorkspace;
let env: Record<string, string>;
const bots: Spawned[] = [];

async function startBot(): Promise<Spawned> {
  const identified = emulator.identifies.length;
  const bot = spawnEntry(START, [], { cwd: workspace.root, env });
  bots.push(bot);
  await waitUntil(() => emulator.identifies.length > identified || bot.child.exitCode !== null, START_TIMEOUT_MS, () => bot.stderr().slice(-2000));
  await emulator.waitForSession();
  return bot;
}

/** Whether the member has been told privately that the vote is recorded. */
function acknowledged(handle: InteractionHandle): boolean {
  return handle.events.some((event) => event.kind === 'callback' && event.ephemeral && /vote/.test(event.body.data?.content ?? ''));
}

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  workspace = await createWorkspace({ embedder: 'hashed' });
  env = { ...workspace.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, CITEBOT_COOLDOWN_SECONDS: '0', CITEBOT_LOG_LEVEL: 'info' };
});

afterAll(async () => {
  for (const bot of bots) if (bot.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

describe('votes survive kill -9 and a restart (npm start, real SQLite)', () => {
  it('loses no acknowledged vote, and old buttons work after the restart', { timeout: TEST_TIMEOUT_MS }, async () => {
    // A question older than the default retention (90 days) is pruned when the bot starts.
    const seeded = openSqliteStore({ dataDir: path.join(workspace.root, 'data') });
    const old = { guildId: emulator.world.guildId, channelId: emulator.world.channel.id, userId: 'someone', citations: [], abstained: true, public: true };
    await seeded.recordAnswer({ ...old, id: 'expired', question: 'asked long ago', createdAt: Date.now() - 91 * DAY_MS });
    await seeded.recordAnswer({ ...old, id: 'kept', question: 'asked last month', createdAt: Date.now() - 30 * DAY_MS });
    await seeded.close();

    const first = await startBot();
    const handle = emulator.slash('ask', { question: QUESTION });
    const reply = await handle.reply(REPLY_WAIT_MS);
    expect(reply.components?.length).toBe(1);
    const message = emulator.botMessage(handle.originalMessageId);
    const [helpful, notHelpful] = ((message.components?.[0] as { components: { custom_id: string }[] }).components ?? []).map((b) => b.custom_id);
    expect(helpful).toBeDefined();
    expect(notHelpful).toBeDefined();

    // The human and a few members vote and are acknowledged...
    const settled = [emulator.clickButton(message, helpful ?? '')];
    for (let i = 0; i < MEMBERS_BEFORE_KILL; i += 1) settled.push(emulator.clickButton(message, helpful ?? '', { as: emulator.addMember(`early${i}`) }));
    await Promise.all(settled.map((h) => h.reply()));
    // ...then more vote at once, and the process is killed as soon as the first of those is acknowledged.
    const racing = Array.from({ length: MEMBERS_DURING_KILL }, (_, i) => emulator.clickButton(message, notHelpful ?? '', { as: emulator.addMember(`late${i}`) }));
    await Promise.race(racing.map((h) => h.reply()));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const acked = [...settled, ...racing].filter(acknowledged);
    expect(acked.length).toBeGreaterThan(MEMBERS_BEFORE_KILL);

    const dataDir = path.join(workspace.root, 'data');
    const reader = openSqliteStore({ dataDir });
    const answerId = (helpful ?? '').split(':')[2] ?? '';
    const stored = await reader.votesFor(answerId);
    await reader.close();
    const storedVoters = new Set(stored.map((v) => v.userId));
    for (const h of acked) {
      const voter = (h.payload as { member?: { user?: { id?: string } } }).member?.user?.id ?? '';
      expect(storedVoters.has(voter)).toBe(true);
    }

    // Restarted, the answer's buttons still work, and the human's earlier vote is found (changed, not new).
    const second = await startBot();
    const changed = await emulator.clickButton(message, notHelpful ?? '').reply(REPLY_WAIT_MS);
    expect(changed.ephemeral).toBe(true);
    expect(changed.content).toMatch(/changed to \*\*Not helpful\*\*/);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(second.stderr()).not.toMatch(STACK_LINE);

    const after = openSqliteStore({ dataDir, readOnly: true });
    const answer = await after.findAnswer(answerId);
    const votes = await after.votesFor(answerId);
    const expired = await after.findAnswer('expired');
    const kept = await after.findAnswer('kept');
    await after.close();
    expect(answer).toMatchObject({ question: QUESTION, abstained: false, public: true });
    expect(expired).toBeUndefined();
    expect(kept).toBeDefined();
    expect(votes.find((v) => v.userId === emulator.human.id)?.helpful).toBe(false);
    expect(votes.length).toBeGreaterThanOrEqual(acked.length);
  });
});
