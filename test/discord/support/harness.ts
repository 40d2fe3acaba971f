/** Start the emulator and citebot's real bot (real discord.js Client) against it. */
import { createDiscordBot, type DiscordBot } from '../../../src/discord/bot.ts';
import type { DiscordBotOptions } from '../../../src/discord/options.ts';
import type { Engine } from '../../../src/core/types.ts';
import { DiscordEmulator, type EmulatorOptions } from '../../discord-emulator/emulator.ts';
import { createRecordingLogger } from './recording-logger.ts';

export interface Harness {
  readonly emulator: DiscordEmulator;
  readonly bot: DiscordBot;
  readonly logs: ReturnType<typeof createRecordingLogger>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  readonly engine: Engine;
  readonly emulator?: EmulatorOptions;
  readonly bot?: Partial<Omit<DiscordBotOptions, 'engine' | 'logger' | 'token' | 'apiUrl'>>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const emulator = await DiscordEmulator.start(options.emulator);
  const logs = createRecordingLogger();
  const bot = createDiscordBot({
    engine: options.engine,
    logger: logs.logger,
    token: emulator.token,
    apiUrl: emulator.apiUrl,
    cooldownSeconds: 0,
    maxQuestionLength: 500,
    ...options.bot,
  });
  try {
    await bot.start();
  } catch (error) {
    await emulator.stop();
    throw error;
  }
  return {
    emulator,
    bot,
    logs,
    async stop() {
      await bot.stop();
      await emulator.stop();
    },
  };
}
