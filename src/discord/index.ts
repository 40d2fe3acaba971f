/** The Discord adapter's public surface, for the composition root (`src/app.ts` / `src/main.ts`). */
export { createDiscordBot, INTENTS, type DiscordBot } from './bot.ts';
export { BOT_DEFAULTS, type DiscordBotOptions } from './options.ts';
export { registerCommands, type RegisterCommandsOptions, type RegisterCommandsResult } from './register.ts';
export { createShardedBot, type ShardedBot, type ShardedBotOptions } from './sharded.ts';
export { commands } from './commands/index.ts';
export type { Command } from './command.ts';
export type { Logger, LogFn } from './logger.ts';
