import { REST, Routes, ShardingManager, type RESTGetAPIGatewayBotResult, type Shard } from 'discord.js';
import { toConnectionError } from './connection-error.ts';
import type { Logger } from './logger.ts';

export interface ShardedBotOptions {
  /** The entry file each shard process runs (e.g. `src/main.ts`); it creates one bot with `createDiscordBot`. */
  readonly shardScript: string;
  readonly token: string;
  readonly logger: Logger;
  /** Number of shards, or 'auto' for Discord's recommendation. Default 'auto'. */
  readonly totalShards?: number | 'auto';
  /** Base URL of Discord's REST API (see `DiscordBotOptions.apiUrl`); used to ask for the recommended shard count. */
  readonly apiUrl?: string;
  /**
   * Node flags for the shard processes. Default: this process's own flags, so a manager started
   * with tsx runs its shards with tsx too. Pass `['--import', 'tsx']` to run a .ts entry from plain node.
   */
  readonly execArgv?: readonly string[];
  /** How long a shard may take to become ready, in ms. Default 30 000. */
  readonly spawnTimeoutMs?: number;
  /** How long {@link ShardedBot.stop} waits for each shard to exit after SIGTERM, in ms. Default 15 000. */
  readonly stopTimeoutMs?: number;
}

export interface ShardedBot {
  start(): Promise<void>;
  /** Ask every shard to shut down gracefully (SIGTERM), then kill the ones that do not exit in time. */
  stop(): Promise<void>;
}

/** Defaults for the optional settings, in one place. */
const SHARDED_DEFAULTS = { totalShards: 'auto', spawnTimeoutMs: 30_000, stopTimeoutMs: 15_000 } as const satisfies Required<Pick<ShardedBotOptions, 'totalShards' | 'spawnTimeoutMs' | 'stopTimeoutMs'>>;

/**
 * Run the bot as several shard processes with discord.js's ShardingManager. Each shard process
 * gets `SHARDING_MANAGER`, `SHARDS`, `SHARD_COUNT` and `DISCORD_TOKEN` in its environment (plus
 * this process's environment) and discord.js picks its shard from them; the entry script only
 * has to create and start the bot as usual, and stop it on SIGTERM.
 */
export function createShardedBot(options: ShardedBotOptions): ShardedBot {
  const { logger } = options;
  let manager: ShardingManager | undefined;
  let stopping = false;

  return {
    async start() {
      if (manager !== undefined) throw new Error('The sharded bot was already started.');
      const totalShards = await resolveShardCount(options);
      manager = new ShardingManager(options.shardScript, {
        token: options.token,
        totalShards,
        mode: 'process',
        respawn: true,
        execArgv: [...(options.execArgv ?? process.execArgv)],
      });
      manager.on('shardCreate', (shard: Shard) => {
        logger.info({ shardId: shard.id, totalShards }, 'shard process created');
        shard.on('death', () => {
          if (stopping) logger.info({ shardId: shard.id }, 'shard process stopped');
          else logger.warn({ shardId: shard.id }, 'shard process exited; respawning it');
        });
        shard.on('error', (error: Error) => logger.error({ shardId: shard.id, err: error }, 'shard process error'));
      });
      await manager.spawn({ amount: totalShards, timeout: options.spawnTimeoutMs ?? SHARDED_DEFAULTS.spawnTimeoutMs });
      logger.info({ totalShards }, 'all shards ready');
    },
    async stop() {
      if (manager === undefined) return;
      stopping = true;
      // A shard that exits now must stay down: ShardingManager reads this flag on every exit.
      manager.respawn = false;
      const timeoutMs = options.stopTimeoutMs ?? SHARDED_DEFAULTS.stopTimeoutMs;
      await Promise.all([...manager.shards.values()].map((shard) => stopShard(shard, timeoutMs)));
      manager = undefined;
      stopping = false;
    },
  };
}

async function resolveShardCount(options: ShardedBotOptions): Promise<number> {
  const wanted = options.totalShards ?? SHARDED_DEFAULTS.totalShards;
  if (wanted !== 'auto') return wanted;
  // discord.js's own 'auto' always asks discord.com; ask the configured API instead.
  const rest = new REST(options.apiUrl === undefined ? {} : { api: options.apiUrl }).setToken(options.token);
  const gateway = (await rest.get(Routes.gatewayBot()).catch((error: unknown) => {
    throw toConnectionError(error, options.apiUrl);
  })) as RESTGetAPIGatewayBotResult;
  return Math.max(1, gateway.shards);
}

/** SIGTERM lets the shard's entry script stop its bot gracefully; SIGKILL only after the timeout. */
async function stopShard(shard: Shard, timeoutMs: number): Promise<void> {
  const child = shard.process;
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once('exit', () => resolve(true)));
  child.kill('SIGTERM');
  const timer = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  if (!(await Promise.race([exited, timer]))) child.kill('SIGKILL');
}
