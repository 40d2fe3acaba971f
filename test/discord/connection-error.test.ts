/** Failures to reach or log in to Discord become errors the operator can act on; anything else passes through. */
import { DiscordAPIError, DiscordjsErrorCodes } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { toConnectionError } from '../../src/discord/connection-error.ts';

const socketError = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
/** What client.login rejects with for a token Discord refuses (a DiscordjsError; its constructor is not public). */
const tokenInvalid = Object.assign(new Error('An invalid token was provided.'), { code: DiscordjsErrorCodes.TokenInvalid });
const unauthorized = new DiscordAPIError({ code: 0, message: '401: Unauthorized' }, 0, 401, 'PUT', 'https://discord.com/api/v10/applications/1/commands', {});

describe('toConnectionError', () => {
  it.each([
    ['no network (getaddrinfo)', socketError('ENOTFOUND'), undefined, 'DISCORD_UNREACHABLE', 'Cannot reach Discord at discord.com (ENOTFOUND).'],
    ['nothing listening at DISCORD_API_URL', socketError('ECONNREFUSED'), 'http://127.0.0.1:9/api', 'DISCORD_UNREACHABLE', 'Cannot reach Discord at http://127.0.0.1:9/api (ECONNREFUSED).'],
    ['wrapped by fetch', new TypeError('fetch failed', { cause: socketError('ETIMEDOUT') }), undefined, 'DISCORD_UNREACHABLE', 'Cannot reach Discord at discord.com (ETIMEDOUT).'],
    ['login with a token Discord refuses', tokenInvalid, undefined, 'DISCORD_TOKEN_INVALID', 'Discord (discord.com) rejected the bot token.'],
    ['a REST call answered 401', unauthorized, 'http://127.0.0.1:8080/api', 'DISCORD_TOKEN_INVALID', 'Discord (http://127.0.0.1:8080/api) rejected the bot token.'],
  ])('%s → %s', (_what, error, apiUrl, code, message) => {
    expect(toConnectionError(error, apiUrl)).toMatchObject({ code, message, cause: error });
  });

  it('returns any other error unchanged', () => {
    const other = new Error('Missing Access');
    expect(toConnectionError(other, undefined)).toBe(other);
  });
});
