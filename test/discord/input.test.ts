import { describe, expect, it } from 'vitest';
import { mentionsBot, parseCount, stripBotMention } from '../../src/discord/input.ts';

describe('parseCount', () => {
  const range = { min: 1, max: 10, fallback: 5 };
  it.each([
    [null, 5],
    [3, 3],
    [0, 1],
    [99, 10],
    [2.5, 5],
  ])('%j → %j', (raw, expected) => {
    expect(parseCount(raw, range)).toBe(expected);
  });
});

describe('bot mentions', () => {
  const botId = '1234567890123456789';
  it('strips both mention forms, anywhere in the message', () => {
    expect(stripBotMention(`<@${botId}> what about Iraq? <@!${botId}>`, botId)).toBe('what about Iraq?');
  });

  it('recognises only an explicit mention of this bot', () => {
    expect(mentionsBot(`hey <@!${botId}>`, botId)).toBe(true);
    expect(mentionsBot('hey <@42>', botId)).toBe(false);
    expect(mentionsBot('@everyone hey', botId)).toBe(false);
  });
});
