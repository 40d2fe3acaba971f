import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/discord/commands/index.ts';
import { registerCommands } from '../../src/discord/register.ts';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';

describe('registerCommands (against the emulated REST API)', () => {
  let emulator: DiscordEmulator;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start();
  });

  afterAll(async () => {
    await emulator.stop();
  });

  it('PUTs every command definition to the guild when a guild id is given', async () => {
    const result = await registerCommands({ token: emulator.token, applicationId: emulator.applicationId, guildId: emulator.world.guildId, apiUrl: emulator.apiUrl });
    expect(result).toEqual({ scope: 'guild', registered: ['ask', 'search', 'source', 'sources', 'Find sources', 'citebot'] });
    const [request] = emulator.requestsTo(new RegExp(`^/applications/${emulator.applicationId}/guilds/${emulator.world.guildId}/commands$`), 'PUT');
    expect(request?.headers.authorization).toBe(`Bot ${emulator.token}`);
    expect(request?.body).toEqual(commands.map((c) => JSON.parse(JSON.stringify(c.data.toJSON())) as unknown));
  });

  it('PUTs them globally without a guild id', async () => {
    const result = await registerCommands({ token: emulator.token, applicationId: emulator.applicationId, apiUrl: emulator.apiUrl });
    expect(result.scope).toBe('global');
    expect(emulator.requestsTo(new RegExp(`^/applications/${emulator.applicationId}/commands$`), 'PUT')).toHaveLength(1);
  });

  it('fails loudly with a wrong application id', async () => {
    await expect(registerCommands({ token: emulator.token, applicationId: '1234567890123456789', apiUrl: emulator.apiUrl })).rejects.toMatchObject({ status: 403 });
  });
});
