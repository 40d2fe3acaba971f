/**
 * Live documents through `npm start` with DISCORD_TOKEN (the hashed test embedder stands in for
 * the model, test/support/fixtures/start-hashed.ts): while the bot runs, a document is added,
 * edited (lines inserted above the cited one), renamed and deleted, and after each change the
 * next /ask and /source reflect it — the citation moves with the line, and /source prints the
 * line the citation names. The gateway session stays up throughout (heartbeats keep coming on
 * the one connection: the update never blocks the bot's event loop long enough to drop it).
 */
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { STACK_LINE, type Spawned } from '../support/spawn.ts';
import { startWatchingBot, type WatchingBot } from './support/watching-bot.ts';

let emulator: DiscordEmulator;
let workspace: TestWorkspace;
let bot: Spawned;
let watching: WatchingBot;

/** A cold start compiles src/ with tsx: generous on a loaded machine. */
const START_TIMEOUT_MS = 110_000;
/** An update is debounced (~250 ms), embeds a few passages and saves: seconds at most, even on a busy machine. */
const UPDATE_TIMEOUT_MS = 20_000;
const REPLY_TIMEOUT_MS = 30_000;

const QUESTION = 'How fast does the quokka mascot sprint across Rottnest?';
const ANSWER_LINE = 'The quokka mascot sprints across Rottnest island at dawn, faster than any ferry.';

const updates = () => watching.updates();
const updated = (since: number, kind: 'added' | 'changed' | 'removed', file: string) => watching.updated(since, kind, file, UPDATE_TIMEOUT_MS);

async function ask(): Promise<string> {
  const reply = await emulator.slash('ask', { question: QUESTION }).reply(REPLY_TIMEOUT_MS);
  return JSON.stringify({ embeds: reply.embeds, content: reply.content });
}

async function source(file: string, lines: string): Promise<{ description: string; content: string }> {
  const reply = await emulator.slash('source', { file, lines }).reply(REPLY_TIMEOUT_MS);
  return { description: reply.embeds?.[0]?.description ?? '', content: reply.content ?? '' };
}

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 500 });
  workspace = await createWorkspace({ embedder: 'hashed' });
  watching = await startWatchingBot(emulator, workspace, START_TIMEOUT_MS);
  bot = watching.process;
});

afterAll(async () => {
  if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

describe('npm start follows the documents folder', () => {
  const live = () => path.join(workspace.seedsDir, 'live.md');
  const moved = () => path.join(workspace.seedsDir, 'moved.md');

  it('an added document is cited by the next /ask, and /source quotes the cited line', async () => {
    expect(await ask()).not.toContain('seeds/live.md');
    const since = updates().length;
    await writeFile(live(), `# Mascots\n\n${ANSWER_LINE}\n`);
    await updated(since, 'added', 'seeds/live.md');
    expect(await ask()).toContain('seeds/live.md:L3-L3');
    expect((await source('seeds/live.md', '3')).description).toContain(`3 │ ${ANSWER_LINE}`);
  });

  it('after lines are inserted above it, the citation moves with the line and /source prints that line', async () => {
    const text = await readFile(live(), 'utf8');
    let since = updates().length;
    await writeFile(live(), `Inserted first line.\n\n${text}`);
    await updated(since, 'changed', 'seeds/live.md');
    expect(await ask()).toContain('seeds/live.md:L5-L5');
    expect((await source('seeds/live.md', '5')).description).toContain(`5 │ ${ANSWER_LINE}`);
    // An append is picked up as well.
    since = updates().length;
    await appendFile(live(), '\nThe okapi stays in the forest.\n');
    await updated(since, 'changed', 'seeds/live.md');
    expect(await ask()).toContain('seeds/live.md:L5-L5');
  });

  it('a renamed document is cited under its new name only; the old name is no longer an indexed document', async () => {
    const since = updates().length;
    await rename(live(), moved());
    await updated(since, 'removed', 'seeds/live.md');
    await updated(since, 'added', 'seeds/moved.md');
    const answer = await ask();
    expect(answer).toContain('seeds/moved.md:L5-L5');
    expect(answer).not.toContain('seeds/live.md');
    expect((await source('seeds/live.md', '5')).content).toMatch(/not an indexed document/);
    expect((await source('seeds/moved.md', '5')).description).toContain(`5 │ ${ANSWER_LINE}`);
  });

  it('a deleted document is no longer cited or quoted', async () => {
    const since = updates().length;
    await rm(moved());
    await updated(since, 'removed', 'seeds/moved.md');
    expect(await ask()).not.toContain('moved.md');
    expect((await source('seeds/moved.md', '5')).content).toMatch(/not an indexed document/);
  });

  it('kept its one gateway session alive through every update, and shuts down cleanly', async () => {
    expect(emulator.connections).toHaveLength(1);
    expect(emulator.heartbeats.length).toBeGreaterThan(1);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).not.toMatch(STACK_LINE);
  });
});
