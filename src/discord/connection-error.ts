/**
 * Failures to reach or log in to Discord, as typed errors a user can act on. discord.js and its
 * REST client reject with bare socket errors (`getaddrinfo ENOTFOUND discord.com`) or their own
 * error classes; everything that talks to Discord before the bot runs (login, the shard-count
 * request, command registration) passes its failure through {@link toConnectionError}.
 */
import { DiscordAPIError, DiscordjsErrorCodes } from 'discord.js';
import { CitebotError } from '../core/errors.ts';

/** Socket-level codes that mean "Discord (or the configured API) could not be reached". */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** How deep to follow `cause` chains (fetch wraps the socket error). */
const MAX_CAUSE_DEPTH = 5;

const HTTP_UNAUTHORIZED = 401;

function networkCode(error: unknown, depth = 0): string | undefined {
  if (depth > MAX_CAUSE_DEPTH || !(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = networkCode(inner, depth + 1);
      if (found !== undefined) return found;
    }
  }
  return networkCode(error.cause, depth + 1);
}

/**
 * `error` as a CitebotError when it means Discord is unreachable (DISCORD_UNREACHABLE) or refused
 * the token (DISCORD_TOKEN_INVALID); any other error is returned unchanged. Pure.
 */
export function toConnectionError(error: unknown, apiUrl: string | undefined): unknown {
  const where = apiUrl ?? 'discord.com';
  const code = networkCode(error);
  if (code !== undefined) {
    return new CitebotError('DISCORD_UNREACHABLE', `Cannot reach Discord at ${where} (${code}).`, { cause: error });
  }
  const tokenRejected =
    (error instanceof Error && (error as { code?: unknown }).code === DiscordjsErrorCodes.TokenInvalid) ||
    (error instanceof DiscordAPIError && error.status === HTTP_UNAUTHORIZED);
  if (tokenRejected) return new CitebotError('DISCORD_TOKEN_INVALID', `Discord (${where}) rejected the bot token.`, { cause: error });
  return error;
}
