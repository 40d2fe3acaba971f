/**
 * `npm start` with DISCORD_TOKEN exactly as shipped: the real entry point (src/main.ts) with the
 * vendored model builds the index of a fresh workspace, connects to the (emulated) Discord
 * through DISCORD_API_URL, answers a slash command, and exits cleanly on SIGTERM. The same flow
 * on the test embedder, with the log and error checks, is test/discord/npm-start.e2e.test.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';
import { createWorkspace, REPO_ROOT, type TestWorkspace } from '../support/engine.ts';

let emulator: DiscordEmulator;
let workspace: TestWorkspace;
let bot: ChildProcess;
let stderr = '';

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  workspace = await createWorkspace({ embedder: 'model' });
  // As `npm start` runs it (node --import tsx src/main.ts); tsx by file URL because the cwd is a workspace without node_modules.
  const tsx = pathToFileURL(path.join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  bot = spawn(process.execPath, ['--import', tsx, path.join(REPO_ROOT, 'src/main.ts')], {
    cwd: workspace.root,
    env: {
      ...process.env,
      SHARDING_MANAGER: undefined,
      DISCORD_TOKEN: emulator.token,
      DISCORD_API_URL: emulator.apiUrl,
      CITEBOT_MODELS_DIR: path.join(REPO_ROOT, 'models'),
      CITEBOT_THREADS: '1',
      CITEBOT_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  bot.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await emulator.waitForSession(120_000);
});

afterAll(async () => {
  if (bot.exitCode === null) bot.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

describe('npm start with DISCORD_TOKEN and the vendored model', () => {
  it('connects and answers /ask with a citation from the index it built', async () => {
    const handle = emulator.slash('ask', { question: 'How many personnel will the NATO training mission in Iraq have?' });
    const reply = await handle.reply();
    const embed = reply.embeds?.[0];
    expect(embed?.description).toMatch(/4,000/);
    expect(JSON.stringify(embed?.fields)).toMatch(/seeds\/00[12]_[0-9a-f]{16}\.txt:L\d+-L\d+/);
    expect(reply.allowed_mentions).toEqual({ parse: [], replied_user: false });
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const exited = once(bot, 'exit');
    bot.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toContain(emulator.token);
    expect(emulator.connections.at(-1)?.closedAt).toBeDefined();
  });
});
