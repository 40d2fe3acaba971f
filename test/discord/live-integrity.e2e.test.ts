/**
 * Issue 9.3 through `npm start` with DISCORD_TOKEN (the hashed test embedder stands in for the
 * model): when a cited file changes while the bot runs, no reply — /ask or /source, before the
 * update is applied, while it runs, or after — shows lines the file no longer has. Replies sent
 * before the index caught up either leave the changed file out or say it changed; afterwards the
 * new line is cited. The gateway session survives throughout.
 */
import { writeFile } from 'node:fs/promises';
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
const UPDATE_TIMEOUT_MS = 20_000;
const REPLY_TIMEOUT_MS = 30_000;
/** Questions asked right after each edit, while the index still holds the old lines (debounce + update). */
const ASKS_DURING_UPDATE = 4;

const QUESTION = 'How does the quokka mascot cross Rottnest island?';
const OLD_LINE = 'The quokka mascot sprints across Rottnest island at dawn, faster than any ferry.';
const NEW_LINE = 'The quokka mascot strolls across Rottnest island at noon, slower than any ferry.';
const NEWEST_LINE = 'The quokka mascot cycles across Rottnest island at dusk, as fast as the ferry.';

const replyText = (reply: { content?: string; embeds?: { title?: string; description?: string; fields?: { name?: string; value?: string }[] }[] }) =>
  [reply.content ?? '', ...(reply.embeds ?? []).flatMap((embed) => [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((field) => [field.name ?? '', field.value ?? ''])])].join('\n');

const ask = async () => replyText(await emulator.slash('ask', { question: QUESTION }).reply(REPLY_TIMEOUT_MS));
const source = async (lines: string) => replyText(await emulator.slash('source', { file: 'seeds/mascot.md', lines }).reply(REPLY_TIMEOUT_MS));

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 500 });
  workspace = await createWorkspace({ embedder: 'hashed' });
  await writeFile(path.join(workspace.seedsDir, 'mascot.md'), `# Mascots\n\n${OLD_LINE}\n`);
  watching = await startWatchingBot(emulator, workspace, START_TIMEOUT_MS);
  bot = watching.process;
});

afterAll(async () => {
  if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

describe('a cited file changes while the bot runs', () => {
  it('before the change, the line is cited and quoted', async () => {
    expect(await ask()).toContain(OLD_LINE);
    expect(await source('3')).toContain(OLD_LINE);
  });

  for (const [from, to] of [
    [OLD_LINE, NEW_LINE],
    [NEW_LINE, NEWEST_LINE],
  ] as const) {
    it(`no reply shows "${from.slice(18, 40)}…" once the file says "${to.slice(18, 40)}…"`, async () => {
      const since = watching.updates().length;
      await writeFile(path.join(workspace.seedsDir, 'mascot.md'), `# Mascots\n\n${to}\n`);
      // Right after the edit, before the watcher's batch and the update: the index still has the old line.
      const early = [];
      for (let i = 0; i < ASKS_DURING_UPDATE; i++) early.push(await ask(), await source('3'));
      for (const reply of early) expect(reply).not.toContain(from);
      await watching.updated(since, 'changed', 'seeds/mascot.md', UPDATE_TIMEOUT_MS);
      const answer = await ask();
      expect(answer).toContain(to);
      expect(answer).not.toContain(from);
      expect(await source('3')).toContain(to);
    });
  }

  it('kept its one gateway session through the updates, and shuts down cleanly', async () => {
    // The session is alive, not just opened: it keeps heartbeating (on a fast run the updates can
    // finish inside one 500 ms interval, so wait for the second beat instead of counting at once).
    await emulator.waitForHeartbeats(2, 5_000);
    expect(emulator.connections).toHaveLength(1);
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.stderr()).not.toMatch(STACK_LINE);
  });
});
