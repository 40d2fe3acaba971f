import type { CommunityStore } from '../core/community-store.ts';
import type { Engine } from '../core/types.ts';
import type { Logger } from './logger.ts';

/** What {@link createDiscordBot} needs. Read once by the composition root; nothing here reads `process.env`. */
export interface DiscordBotOptions {
  readonly engine: Engine;
  readonly logger: Logger;
  /** Bot token. Only ever handed to discord.js; never logged. */
  readonly token: string;
  /**
   * Base URL of Discord's REST API, e.g. `http://127.0.0.1:8080/api` for a local emulator or an
   * `@discordjs/proxy`. The gateway URL is then whatever that API's `GET /gateway/bot` returns.
   */
  readonly apiUrl?: string;
  /** Per-user cooldown between engine requests (`/ask`, `/search`, "Find sources", mentions, DMs). 0 disables it. Suggested default: 5. */
  readonly cooldownSeconds: number;
  /**
   * Request the privileged Message Content intent (it must also be enabled for the application in
   * the Developer Portal). Needed for auto-answer channels and for follow-ups in citebot's threads
   * that do not mention it. Default false.
   */
  readonly messageContent?: boolean;
  /** Longest question or query accepted, in characters. Suggested default: 500. */
  readonly maxQuestionLength: number;
  /** Passages quoted under an answer. Default {@link BOT_DEFAULTS.askPassages}. */
  readonly askPassages?: number;
  /** `/search` results when the user gives no `results` option. Default {@link BOT_DEFAULTS.searchResults}. */
  readonly searchResults?: number;
  /** Community state (answers, votes). Without it, answers carry no feedback buttons and nothing is stored. */
  readonly community?: CommunityStore;
  /** How long {@link DiscordBot.stop} waits for in-flight replies before disconnecting anyway. Default {@link BOT_DEFAULTS.shutdownTimeoutMs}. */
  readonly shutdownTimeoutMs?: number;
}

/** Defaults for the optional settings, in one place. */
export const BOT_DEFAULTS = {
  askPassages: 3,
  searchResults: 5,
  shutdownTimeoutMs: 10_000,
} as const satisfies Required<Pick<DiscordBotOptions, 'askPassages' | 'searchResults' | 'shutdownTimeoutMs'>>;

/** `/search results:` accepts 1..10. */
export const SEARCH_RESULTS_RANGE = { min: 1, max: 10 } as const;

/** The settings commands read, with every default applied. */
export interface BotSettings {
  readonly maxQuestionLength: number;
  /** Whether the bot receives the text of messages that do not mention it. */
  readonly messageContent: boolean;
  /** The cooldown of servers that did not set their own, in seconds. */
  readonly cooldownSeconds: number;
  readonly askPassages: number;
  readonly searchResults: number;
}

export function resolveSettings(options: DiscordBotOptions): BotSettings {
  return {
    maxQuestionLength: options.maxQuestionLength,
    messageContent: options.messageContent ?? false,
    cooldownSeconds: options.cooldownSeconds,
    askPassages: options.askPassages ?? BOT_DEFAULTS.askPassages,
    searchResults: options.searchResults ?? BOT_DEFAULTS.searchResults,
  };
}
