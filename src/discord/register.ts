import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { Command } from './command.ts';
import { commands as allCommands } from './commands/index.ts';
import { toConnectionError } from './connection-error.ts';

export interface RegisterCommandsOptions {
  readonly token: string;
  /** The application (client) id from the Discord developer portal. */
  readonly applicationId: string;
  /** Register in this guild only (updates instantly; good for development). Without it, commands are global. */
  readonly guildId?: string;
  /** Base URL of Discord's REST API (see `DiscordBotOptions.apiUrl`). */
  readonly apiUrl?: string;
  /** The commands to register. Default: every command the bot handles. */
  readonly commands?: readonly Command[];
}

export interface RegisterCommandsResult {
  readonly scope: 'guild' | 'global';
  /** Names of the commands Discord now has, as it reported them back. */
  readonly registered: readonly string[];
}

/**
 * Replace the application's command definitions with citebot's (one bulk PUT, so commands
 * that no longer exist are removed). Run it when the command list changes; the bot never
 * calls it at start-up.
 */
export async function registerCommands(options: RegisterCommandsOptions): Promise<RegisterCommandsResult> {
  const rest = new REST(options.apiUrl === undefined ? {} : { api: options.apiUrl }).setToken(options.token);
  const body = (options.commands ?? allCommands).map((command) => command.data.toJSON());
  const route =
    options.guildId === undefined
      ? Routes.applicationCommands(options.applicationId)
      : Routes.applicationGuildCommands(options.applicationId, options.guildId);
  const result = (await rest.put(route, { body }).catch((error: unknown) => {
    throw toConnectionError(error, options.apiUrl);
  })) as RESTPutAPIApplicationCommandsResult;
  return {
    scope: options.guildId === undefined ? 'global' : 'guild',
    registered: result.map((command) => command.name),
  };
}
