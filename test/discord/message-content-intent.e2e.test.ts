/**
 * The privileged Message Content intent (emulated Discord): requested only with
 * `messageContent: true` (CITEBOT_MESSAGE_CONTENT), and when the Developer Portal does not allow
 * it (gateway close 4014) the start fails with an error saying what to switch on, instead of
 * waiting forever for a session that never comes.
 */
import { GatewayIntentBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isCitebotError } from '../../src/core/errors.ts';
import { createCannedEngine } from './support/canned-engine.ts';
import { startHarness } from './support/harness.ts';

describe('Message Content intent', () => {
  it('is not requested by default, so a bot without it in the portal starts as before', async () => {
    const harness = await startHarness({ engine: createCannedEngine(), emulator: { messageContentAllowed: false } });
    try {
      expect((harness.emulator.intents ?? 0) & GatewayIntentBits.MessageContent).toBe(0);
    } finally {
      await harness.stop();
    }
  });

  it('fails the start with a hint when requested but not allowed (close code 4014)', async () => {
    const failure = await startHarness({ engine: createCannedEngine(), emulator: { messageContentAllowed: false }, bot: { messageContent: true } }).then(
      async (harness) => {
        await harness.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(isCitebotError(failure) && failure.code).toBe('CONFIG_INVALID');
    expect(isCitebotError(failure) && failure.message).toMatch(/refused the Message Content intent \(gateway close code 4014\)/);
    expect(isCitebotError(failure) && failure.hint).toMatch(/Privileged Gateway Intents.*or unset CITEBOT_MESSAGE_CONTENT/);
  });
});
