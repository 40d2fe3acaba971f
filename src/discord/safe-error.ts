import { DiscordAPIError, HTTPError } from 'discord.js';

/**
 * An error as it may be logged. discord.js REST errors carry the request URL, and for
 * interaction callbacks and webhooks that URL contains the interaction token; it is redacted.
 * Everything else is logged as is (pino serialises `err` with its stack and cause).
 */
export function loggableError(error: unknown): unknown {
  if (error instanceof DiscordAPIError || error instanceof HTTPError) {
    return {
      type: error.name,
      message: redactTokens(error.message),
      status: error.status,
      method: error.method,
      url: redactTokens(error.url),
      ...(error instanceof DiscordAPIError ? { code: error.code } : {}),
      stack: error.stack === undefined ? undefined : redactTokens(error.stack),
    };
  }
  return error;
}

/** Replace the token segment of `/interactions/:id/:token/…` and `/webhooks/:id/:token…` paths. */
export function redactTokens(text: string): string {
  return text
    .replaceAll(/(\/interactions\/\d+\/)[^/?\s]+/g, '$1[token]')
    .replaceAll(/(\/webhooks\/\d+\/)[^/?\s]+/g, '$1[token]');
}
