/**
 * Ranges of the numeric settings (issue 10, point 9): every value outside its range is refused
 * at start-up, with a message that names the variable, quotes the value and gives the range;
 * the edges themselves are accepted.
 */
import { describe, expect, it } from 'vitest';
import { describeRange, parseConfig, RESULTS_RANGE, SETTING_RANGES, type Config } from '../../src/config/config.ts';
import { CitebotError } from '../../src/core/errors.ts';

type Setting = keyof typeof SETTING_RANGES;

/** Where each setting lands in the Config, so an accepted value is checked, not just "did not throw". */
const READ: Record<Setting, (config: Config) => number | undefined> = {
  CITEBOT_THREADS: (c) => c.model.threads,
  CITEBOT_BATCH_SIZE: (c) => c.model.batchSize,
  CITEBOT_CHUNK_MAX_TOKENS: (c) => c.chunkMaxTokens,
  CITEBOT_HEADING_MAX_WORDS: (c) => c.headingMaxWords,
  CITEBOT_HNSW_EF: (c) => c.hnswEf,
  CITEBOT_RESULTS: (c) => c.defaultResults,
  CITEBOT_ABSTAIN_THRESHOLD: (c) => c.abstainThreshold,
  CITEBOT_MAX_QUESTION_LENGTH: (c) => c.maxQuestionLength,
  // Only parsed into the Discord settings, which need a token.
  CITEBOT_COOLDOWN_SECONDS: (c) => c.discord?.cooldownSeconds,
};
const WITH_TOKEN = { DISCORD_TOKEN: 'token' };

function problem(env: Record<string, string>): string {
  try {
    parseConfig({ ...WITH_TOKEN, ...env }, '/p');
  } catch (error) {
    expect(error).toBeInstanceOf(CitebotError);
    expect((error as CitebotError).code).toBe('CONFIG_INVALID');
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

const settings = Object.entries(SETTING_RANGES) as [Setting, (typeof SETTING_RANGES)[Setting]][];

/** Values just outside each range, plus junk every numeric setting must refuse. */
const refused = settings.flatMap(([name, range]) => [
  [name, String(range.min - 1)],
  [name, String(range.max + 1)],
  [name, String(range.max * 1000)],
  [name, 'abc'],
  [name, 'NaN'],
  [name, 'Infinity'],
  [name, '12abc'],
  [name, '0x10'],
  [name, '1e1'],
  [name, '1,5'],
  [name, '--1'],
  ...(range.integer ? [[name, String(range.min + 0.5)]] : []),
]);

describe('numeric setting ranges', () => {
  it.each(refused)('%s=%s is refused, naming the variable, the value and the range', (name, value) => {
    const message = problem({ [name]: value });
    const range = SETTING_RANGES[name as Setting];
    expect(message).toContain(`- ${name}: "${value}" is not allowed: must be ${describeRange(range)}`);
  });

  it.each(settings.flatMap(([name, range]) => [
    [name, range.min],
    [name, range.max],
  ]))('%s=%s (an edge) is accepted and used', (name, value) => {
    const config = parseConfig({ ...WITH_TOKEN, [name]: ` ${value} ` }, '/p');
    expect(READ[name as Setting](config)).toBe(value);
  });

  it.each([
    ['CITEBOT_BATCH_SIZE', 'must be a whole number from 1 to 256'],
    ['CITEBOT_THREADS', 'must be a whole number from 1 to 256'],
    ['CITEBOT_HNSW_EF', 'must be a whole number from 50 to 4096'],
    ['CITEBOT_COOLDOWN_SECONDS', 'must be a number from 0 to 3600'],
  ])('%s says, in words, %s', (name, words) => {
    expect(problem({ [name]: '-5' })).toContain(words);
  });

  it('lists every bad numeric setting at once, in the order of the settings table', () => {
    const message = problem({ CITEBOT_HNSW_EF: '0', CITEBOT_BATCH_SIZE: '100000', CITEBOT_THREADS: '-1' });
    const lines = message.split('\n').slice(1);
    expect(lines.map((line) => /- (\w+):/.exec(line)?.[1])).toEqual(['CITEBOT_THREADS', 'CITEBOT_BATCH_SIZE', 'CITEBOT_HNSW_EF']);
  });

  it('quotes a pasted blob only up to a readable length', () => {
    const message = problem({ CITEBOT_BATCH_SIZE: '9'.repeat(500) });
    expect(message).toContain(`"${'9'.repeat(40)}…" is not allowed`);
    expect(message.length).toBeLessThan(200);
  });

  it('keeps HNSW search at least as broad as the most results a search may return', () => {
    expect(SETTING_RANGES.CITEBOT_HNSW_EF.min).toBeGreaterThanOrEqual(RESULTS_RANGE.max);
  });

  it('keeps the default thread count inside the range on any machine', () => {
    const { threads } = parseConfig({}, '/p').model;
    expect(threads).toBeGreaterThanOrEqual(SETTING_RANGES.CITEBOT_THREADS.min);
    expect(threads).toBeLessThanOrEqual(SETTING_RANGES.CITEBOT_THREADS.max);
  });
});
