/**
 * `npm start` with DISCORD_TOKEN, as an operator runs it: the real entry (src/start.ts through
 * the entry helper, here via test/support/fixtures/start-hashed.ts so that the hashed test
 * embedder stands in for the model) builds the index of a fresh workspace, connects to the
 * (emulated) Discord through DISCORD_API_URL, answers a slash command, logs JSON to a pipe, and
 * exits cleanly on SIGTERM. test/model/npm-start.e2e.test.ts runs the same start with the model.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry, STACK_LINE, type Spawned } from '../support/spawn.ts';

let emulator: DiscordEmulator;
let workspace: TestWorkspace;
let bot: Spawned;

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  workspace = await createWorkspace({ embedder: 'hashed' });
  bot = spawnEntry('test/support/fixtures/start-hashed.ts', [], {
    cwd: workspace.root,
    env: { ...workspace.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, CITEBOT_LOG_LEVEL: 'info' },
  });
  // Generous: on a loaded machine a cold start (tsx compiling src/) takes a while.
  await emulator.waitForSession(110_000);
});

afterAll(async () => {
  if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

describe('npm start with DISCORD_TOKEN', () => {
  it('connects and answers /ask with a citation from the index it built', async () => {
    const reply = await emulator.slash('ask', { question: 'How many personnel will the NATO training mission in Iraq have?' }).reply();
    const embed = reply.embeds?.[0];
    expect(embed?.description).toMatch(/4,000/);
    expect(JSON.stringify(embed?.fields)).toMatch(/seeds\/00[12]_[0-9a-f]{16}\.txt:L\d+-L\d+/);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('logs JSON lines to a pipe, without ever writing the token', () => {
    const lines = bot.stderr().trim().split('\n');
    const parsed = lines.map((line) => JSON.parse(line) as { msg?: string });
    expect(parsed.map((entry) => entry.msg)).toContain('index ready');
    expect(bot.stderr()).not.toContain(emulator.token);
  });

  it('shuts down gracefully on SIGTERM: exit code 0, gateway closed, no stack trace', async () => {
    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(emulator.connections.at(-1)?.closedAt).toBeDefined();
    expect(bot.stderr()).not.toMatch(STACK_LINE);
  });
});
