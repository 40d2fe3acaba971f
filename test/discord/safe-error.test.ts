import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { loggableError, redactTokens } from '../../src/discord/safe-error.ts';

describe('redacting interaction tokens from logged errors', () => {
  it.each([
    ['/api/v10/interactions/123/aW50ZXJhY3Rpb24/callback?with_response=false', '/api/v10/interactions/123/[token]/callback?with_response=false'],
    ['/api/v10/webhooks/456/aW50ZXJhY3Rpb24/messages/@original', '/api/v10/webhooks/456/[token]/messages/@original'],
    ['/api/v10/webhooks/456/aW50ZXJhY3Rpb24?wait=true', '/api/v10/webhooks/456/[token]?wait=true'],
    ['/api/v10/channels/789/messages', '/api/v10/channels/789/messages'],
  ])('%s', (input, expected) => {
    expect(redactTokens(input)).toBe(expected);
  });

  it('turns a DiscordAPIError into a plain object without the token', () => {
    const url = 'https://discord.com/api/v10/webhooks/456/secret-token/messages/%40original';
    const error = new DiscordAPIError({ message: 'Unknown Message', code: 10008 }, 10008, 404, 'PATCH', url, { files: [], body: {} });
    const logged = loggableError(error) as Record<string, unknown>;
    expect(JSON.stringify(logged)).not.toContain('secret-token');
    expect(logged).toMatchObject({ status: 404, code: 10008, method: 'PATCH' });
  });

  it('passes other errors through for the logger to serialise', () => {
    const error = new Error('boom');
    expect(loggableError(error)).toBe(error);
  });
});
