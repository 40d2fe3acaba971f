/**
 * Auto-answer channels and un-mentioned follow-ups, end to end through `npm start` (the real
 * entry, hashed test embedder, real SQLite) with CITEBOT_MESSAGE_CONTENT=true: a new post in an
 * auto-answer forum and a new message in an auto-answer text channel are answered without a
 * mention when the documents answer them, and get nothing at all when they do not; a message in a
 * thread citebot opened is a follow-up without a mention. The bot's own log line ("stayed silent")
 * says a message was handled, so no test waits for a fixed time to conclude that nothing came.
 */
import { GatewayIntentBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator, type MessageHandle } from '../discord-emulator/emulator.ts';
import { MANAGER_PERMISSIONS } from '../discord-emulator/payloads.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry, STACK_LINE, waitUntil, type Spawned } from '../support/spawn.ts';
import { citedText, verifyPassageFields } from './support/citations.ts';

const START = 'test/support/fixtures/start-hashed.ts';
/** Generous: a cold start compiles src/ with tsx on a shared, loaded machine. */
const START_TIMEOUT_MS = 110_000;
const REPLY_WAIT_MS = 30_000;
const IN_CORPUS = 'How many personnel will the NATO training mission in Iraq have?';
const OUT_OF_CORPUS = 'What is the best recipe for chocolate chip cookies?';
const EARLIER = 'What did NATO defence ministers decide about the training mission in Iraq?';
const FOLLOW_UP = 'and how many personnel will it have?';

let emulator: DiscordEmulator;
let workspace: TestWorkspace;
let bot: Spawned;

/** The bot's JSON log entries so far. */
function logEntries(): { msg?: string; messageId?: string }[] {
  return bot
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; messageId?: string });
}

/** Resolves once the bot logged that it stayed silent on this message. */
async function staysSilent(handle: MessageHandle): Promise<void> {
  await waitUntil(
    () => logEntries().some((entry) => entry.messageId === handle.payload.id && /stayed silent/.test(entry.msg ?? '')),
    REPLY_WAIT_MS,
    () => bot.stderr().slice(-2000),
  );
}

/** Every message the bot posted in a channel. */
const postsIn = (channelId: string) => emulator.requestsTo(new RegExp(`^/channels/${channelId}/messages$`), 'POST');

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  workspace = await createWorkspace({ embedder: 'hashed' });
  bot = spawnEntry(START, [], {
    cwd: workspace.root,
    env: { ...workspace.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, CITEBOT_COOLDOWN_SECONDS: '0', CITEBOT_LOG_LEVEL: 'info', CITEBOT_MESSAGE_CONTENT: 'true' },
  });
  await waitUntil(() => emulator.identifies.length > 0 || bot.child.exitCode !== null, START_TIMEOUT_MS, () => bot.stderr().slice(-2000));
  await emulator.waitForSession();
  const [help] = emulator.world.otherChannels;
  const saved = await emulator
    .slash('citebot', { 'auto-answer-channels': `<#${emulator.world.forum.id}> <#${help?.id ?? ''}>` }, { subcommand: 'config', permissions: MANAGER_PERMISSIONS })
    .reply(REPLY_WAIT_MS);
  expect(saved.content).toBe('Saved. The change applies from now on.');
}, START_TIMEOUT_MS + REPLY_WAIT_MS);

afterAll(async () => {
  if (bot?.child.exitCode === null && bot.child.signalCode === null) bot.child.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

describe('auto-answer and un-mentioned follow-ups (npm start, CITEBOT_MESSAGE_CONTENT=true)', () => {
  it('identifies with the Message Content intent', () => {
    expect((emulator.intents ?? 0) & GatewayIntentBits.MessageContent).toBe(GatewayIntentBits.MessageContent);
  });

  it('stays silent on an out-of-corpus forum post: no reply, no typing, nothing stored', async () => {
    const handle = emulator.forumPost('Baking question', OUT_OF_CORPUS);
    await staysSilent(handle);
    expect(emulator.requestsTo(new RegExp(`^/channels/${handle.post.id}/`))).toEqual([]);
  });

  it('answers an in-corpus forum post in the post, with the citation of the lines that answer it', async () => {
    const handle = emulator.forumPost('NATO mission in Iraq', IN_CORPUS);
    const reply = await handle.reply(REPLY_WAIT_MS);
    expect(reply.path).toBe(`/channels/${handle.post.id}/messages`);
    const citations = verifyPassageFields(reply.body.embeds?.[0] ?? {}, workspace.root);
    expect(citations.some((c) => /around 4,000/.test(citedText(c, workspace.root)))).toBe(true);
    // Like every public answer: vote buttons.
    expect(reply.body.components?.length).toBe(1);
  });

  it('answers a new message in an auto-answer text channel, and stays silent there when the documents do not answer', async () => {
    const [help] = emulator.world.otherChannels;
    const channelId = help?.id ?? '';
    const answered = await emulator.message(IN_CORPUS, { channelId }).reply(REPLY_WAIT_MS);
    expect(answered.body.embeds?.[0]?.title).toBe(IN_CORPUS);
    expect(verifyPassageFields(answered.body.embeds?.[0] ?? {}, workspace.root).some((c) => /around 4,000/.test(citedText(c, workspace.root)))).toBe(true);
    const before = postsIn(channelId).length;
    await staysSilent(emulator.message(OUT_OF_CORPUS, { channelId }));
    expect(postsIn(channelId)).toHaveLength(before);
  });

  it('ignores un-mentioned messages in other channels, and later messages of a forum post', async () => {
    const post = emulator.forumPost('Another NATO question', IN_CORPUS);
    await post.reply(REPLY_WAIT_MS);
    const inGeneral = emulator.message(IN_CORPUS);
    const laterInPost = emulator.message(IN_CORPUS, { channelId: post.post.id });
    // A message handled after those two: once it is, they were read and let go.
    const [help] = emulator.world.otherChannels;
    await staysSilent(emulator.message(OUT_OF_CORPUS, { channelId: help?.id ?? '' }));
    const replies = emulator.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').map((r) => (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id);
    expect(replies).not.toContain(inGeneral.payload.id);
    expect(replies).not.toContain(laterInPost.payload.id);
  });

  it('answers an un-mentioned follow-up in the thread citebot opened on its answer, citing the right lines', { timeout: 3 * REPLY_WAIT_MS }, async () => {
    await emulator.slash('citebot', { 'answer-in-thread': true }, { subcommand: 'config', permissions: MANAGER_PERMISSIONS }).reply(REPLY_WAIT_MS);
    const answer = await emulator.message(EARLIER, { mentionBot: true }).replyMessage(REPLY_WAIT_MS);
    const thread = await emulator.waitForThread(answer.id, REPLY_WAIT_MS);
    const reply = await emulator.message(FOLLOW_UP, { channelId: thread.id }).reply(REPLY_WAIT_MS);
    expect(reply.path).toBe(`/channels/${thread.id}/messages`);
    expect(reply.body.content).toBe(`Continuing “${EARLIER}”`);
    expect(verifyPassageFields(reply.body.embeds?.[0] ?? {}, workspace.root).some((c) => /around 4,000/.test(citedText(c, workspace.root)))).toBe(true);
    // Off-topic chatter in the thread gets nothing, though with the earlier question in front its search finds that question's answer.
    await staysSilent(emulator.message(OUT_OF_CORPUS, { channelId: thread.id }));
  });

  it('exits cleanly on SIGTERM, with no stack trace', async () => {
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).not.toMatch(STACK_LINE);
  });
});
