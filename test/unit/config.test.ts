import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { CitebotError } from '../../src/core/errors.ts';

describe('parseConfig', () => {
  it('applies documented defaults, resolving folders against the root', () => {
    const config = parseConfig({}, '/project');
    expect(config).toMatchObject({
      seedsDir: '/project/seeds',
      indexDir: '/project/embeddings',
      model: { modelId: 'Xenova/bge-small-en-v1.5', modelsDir: '/project/models', dtype: 'q8', allowRemoteModels: false },
      hnswEf: 128,
      defaultResults: 5,
      discord: undefined,
    });
  });

  it('reports every bad setting at once', () => {
    const error = (() => {
      try {
        parseConfig({ CITEBOT_RESULTS: '0', CITEBOT_ALLOW_REMOTE_MODELS: 'maybe', DISCORD_TOKEN: 't', DISCORD_GUILD_ID: 'abc' }, '/p');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(CitebotError);
    const message = (error as Error).message;
    expect(message).toContain('CITEBOT_RESULTS');
    expect(message).toContain('CITEBOT_ALLOW_REMOTE_MODELS');
    expect(message).toContain('DISCORD_GUILD_ID');
  });

  it('treats blank values as unset and enables Discord only with a token', () => {
    const config = parseConfig({ DISCORD_TOKEN: 'secret', DISCORD_GUILD_ID: '', CITEBOT_ALLOW_REMOTE_MODELS: 'true' }, '/p');
    expect(config.discord).toMatchObject({ token: 'secret', guildId: undefined, cooldownSeconds: 5 });
    expect(config.model.allowRemoteModels).toBe(true);
  });
});
