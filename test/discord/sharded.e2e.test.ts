import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShardedBot, type ShardedBot } from '../../src/discord/sharded.ts';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';
import { createRecordingLogger } from './support/recording-logger.ts';

describe('sharding (ShardingManager spawning real shard processes)', () => {
  let emulator: DiscordEmulator;
  let sharded: ShardedBot;
  const logs = createRecordingLogger();

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
    process.env['CITEBOT_TEST_API_URL'] = emulator.apiUrl;
    sharded = createShardedBot({
      shardScript: fileURLToPath(new URL('fixtures/shard-entry.ts', import.meta.url)),
      token: emulator.token,
      logger: logs.logger,
      apiUrl: emulator.apiUrl,
      execArgv: ['--import', 'tsx'],
      spawnTimeoutMs: 30_000,
    });
    await sharded.start();
  }, 60_000);

  afterAll(async () => {
    await sharded?.stop();
    delete process.env['CITEBOT_TEST_API_URL'];
    await emulator?.stop();
  });

  it('asks the configured API for the shard count and starts one shard process that identifies as shard 0 of 1', () => {
    expect(emulator.identifies).toHaveLength(1);
    expect(emulator.identifies[0]?.shard).toEqual([0, 1]);
    expect(logs.find('info', 'all shards ready')[0]?.fields).toEqual({ totalShards: 1 });
  });

  it('answers from the shard process', async () => {
    const reply = await emulator.slash('ask', { question: 'what about Iraq?' }).reply(10_000);
    expect(reply.embeds?.[0]?.description).toMatch(/4,000/);
  });

  it('stops the shard gracefully on stop()', async () => {
    await sharded.stop();
    await expect.poll(() => emulator.connections.at(-1)?.closeCode).toBe(1000);
  });
});
