import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GUILD_SETTINGS } from '../../src/core/community-store.ts';
import { intentsFor, INTENTS } from '../../src/discord/bot.ts';
import type { CommandContext } from '../../src/discord/command.ts';
import { cooldownWindowMs, parseChannelList } from '../../src/discord/guild-settings.ts';
import { AUTO_ANSWER_NEEDS_INTENT, renderSettings } from '../../src/discord/render/settings.ts';

describe('parseChannelList', () => {
  it('reads all, none, and channel mentions or ids (deduplicated)', () => {
    expect(parseChannelList(' ALL ')).toEqual({ kind: 'all' });
    expect(parseChannelList('none')).toEqual({ kind: 'none' });
    expect(parseChannelList('<#123456789012345678>, 123456789012345679 <#123456789012345678>')).toEqual({ kind: 'channels', ids: ['123456789012345678', '123456789012345679'] });
    expect(parseChannelList('#general')).toEqual({ kind: 'malformed', part: '#general' });
  });
});

describe('cooldownWindowMs', () => {
  const context = { settings: { cooldownSeconds: 5 } } as unknown as CommandContext;
  it('is the server’s own cooldown when set (0 included), else the bot default', () => {
    expect(cooldownWindowMs(DEFAULT_GUILD_SETTINGS, context)).toBe(5_000);
    expect(cooldownWindowMs({ ...DEFAULT_GUILD_SETTINGS, cooldownSeconds: 30 }, context)).toBe(30_000);
    expect(cooldownWindowMs({ ...DEFAULT_GUILD_SETTINGS, cooldownSeconds: 0 }, context)).toBe(0);
  });
});

describe('intentsFor', () => {
  it('adds the privileged Message Content intent only when enabled', () => {
    expect(intentsFor(false)).toEqual([...INTENTS]);
    expect(intentsFor(true)).toEqual([...INTENTS, GatewayIntentBits.MessageContent]);
  });
});

describe('renderSettings', () => {
  const withAuto = { ...DEFAULT_GUILD_SETTINGS, autoAnswerChannels: ['123456789012345678'] };
  it('warns that auto-answer needs the intent only when channels are set and the bot lacks it', () => {
    expect(renderSettings(withAuto, false, { messageContent: false, defaultCooldownSeconds: 5 }).content).toContain(AUTO_ANSWER_NEEDS_INTENT);
    expect(renderSettings(withAuto, false, { messageContent: true, defaultCooldownSeconds: 5 }).content).toBeUndefined();
    expect(renderSettings(DEFAULT_GUILD_SETTINGS, true, { messageContent: false, defaultCooldownSeconds: 5 }).content).toBe('Saved. The change applies from now on.');
  });

  it('shows the cooldown as the default, off, or the server’s seconds', () => {
    const field = (cooldownSeconds: number | null) =>
      renderSettings({ ...DEFAULT_GUILD_SETTINGS, cooldownSeconds }, false, { messageContent: false, defaultCooldownSeconds: 5 }).embeds?.[0]?.fields?.find((f) => f.name === 'cooldown')?.value;
    expect(field(null)).toMatch(/^5 s \(the bot's default\)/);
    expect(field(0)).toMatch(/^off/);
    expect(field(90)).toMatch(/^90 s/);
  });
});
