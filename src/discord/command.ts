import type {
  AutocompleteInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord.js';
import type { CommunityStore } from '../core/community-store.ts';
import type { Engine } from '../core/types.ts';
import type { Cooldowns } from './cooldown.ts';
import type { Logger } from './logger.ts';
import type { BotSettings } from './options.ts';

/** What every handler gets: the engine and the bot's shared state. */
export interface CommandContext {
  readonly engine: Engine;
  readonly logger: Logger;
  readonly settings: BotSettings;
  /** Per-member turns; the window is the server's (`/citebot config cooldown:`) or the bot's default. */
  readonly cooldown: Cooldowns;
  /** Answers and votes; undefined when the bot runs without community state. */
  readonly community: CommunityStore | undefined;
}

/** A command definition as sent to Discord by `registerCommands` (a discord.js builder satisfies it). */
export interface CommandData {
  readonly name: string;
  toJSON(): RESTPostAPIApplicationCommandsJSONBody;
}

/** A slash command. Handlers may throw: the interaction router turns any failure into a private reply. */
export interface ChatInputCommand {
  readonly kind: 'chat-input';
  readonly data: CommandData;
  execute(interaction: ChatInputCommandInteraction, context: CommandContext): Promise<void>;
  /** Suggest option values; must answer within Discord's 3-second window, so work from memory only. */
  autocomplete?(interaction: AutocompleteInteraction, context: CommandContext): Promise<void>;
}

/** A message context-menu command ("Apps" menu on a message). */
export interface MessageCommand {
  readonly kind: 'message-context';
  readonly data: CommandData;
  execute(interaction: MessageContextMenuCommandInteraction, context: CommandContext): Promise<void>;
}

export type Command = ChatInputCommand | MessageCommand;
