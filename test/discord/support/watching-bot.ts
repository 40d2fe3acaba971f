/**
 * The bot process the live-documents e2e tests run: `start-hashed.ts` (npm start's entry with the
 * hashed test embedder) against the emulator, watching its workspace's documents folder, with
 * readers for the JSON log lines it writes about updates.
 */
import type { DiscordEmulator } from '../../discord-emulator/emulator.ts';
import type { TestWorkspace } from '../../support/engine.ts';
import { spawnEntry, waitUntil, type Spawned } from '../../support/spawn.ts';

/** A JSON log line of the bot; an update names the files it added, changed and removed. */
export interface WatchLogLine {
  readonly msg?: string;
  readonly added?: string[];
  readonly changed?: string[];
  readonly removed?: string[];
}

export interface WatchingBot {
  readonly process: Spawned;
  /** Every JSON log line so far. */
  logLines(): WatchLogLine[];
  /** The "documents updated" lines so far. */
  updates(): WatchLogLine[];
  /** Waits for an update, after the first `since`, that touched `file` in the way named. */
  updated(since: number, kind: 'added' | 'changed' | 'removed', file: string, timeoutMs: number): Promise<void>;
}

/** Starts the bot and waits until it has connected and says it is watching. */
export async function startWatchingBot(emulator: DiscordEmulator, workspace: TestWorkspace, startTimeoutMs: number): Promise<WatchingBot> {
  const bot = spawnEntry('test/support/fixtures/start-hashed.ts', [], {
    cwd: workspace.root,
    // SHARDING_MANAGER unset: a test process that ran a ShardingManager (the sharded e2e, in the
    // same worker) can carry it, and a bot that sees it behaves as a shard (no manager to talk to).
    env: { ...workspace.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, CITEBOT_LOG_LEVEL: 'info', CITEBOT_COOLDOWN_SECONDS: '0', SHARDING_MANAGER: undefined },
  });
  const logLines = (): WatchLogLine[] =>
    bot
      .stderr()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as WatchLogLine);
  const updates = () => logLines().filter((line) => line.msg === 'documents updated');
  const watching: WatchingBot = {
    process: bot,
    logLines,
    updates,
    updated: (since, kind, file, timeoutMs) =>
      waitUntil(
        () => updates().slice(since).some((line) => line[kind]?.includes(file) ?? false),
        timeoutMs,
        () => `no "documents updated" log line with ${kind} ${file}; log:\n${bot.stderr().slice(-2000)}`,
      ),
  };
  await emulator.waitForSession(startTimeoutMs);
  await waitUntil(() => logLines().some((line) => line.msg?.startsWith('watching') ?? false), startTimeoutMs, () => bot.stderr().slice(-2000));
  return watching;
}
