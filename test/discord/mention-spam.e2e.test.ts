/**
 * Mention spam (issue 10, point 4), end to end against the emulator: a member who sends
 * `@citebot` with nothing after it, or with a question over the length limit, twenty times in a
 * row, gets at most one public reply per window, like any other question. Each test starts its
 * own emulator and bot. The bot's "notice suppressed" log is what tells the test that every
 * message was handled, so nothing here waits for a fixed time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { user, snowflake } from '../discord-emulator/payloads.ts';
import type { RecordedRequest } from '../discord-emulator/emulator.ts';
import { createCannedEngine } from './support/canned-engine.ts';
import { countingEngine } from './support/counting-engine.ts';
import { startHarness, type Harness } from './support/harness.ts';

const SPAM_COUNT = 20;
/** Over the harness's 500-character question limit. */
const OVER_LONG = 'a'.repeat(600);
/** Long enough that all twenty messages fall in one window on the slowest CI machine. */
const COOLDOWN_SECONDS = 60;
/** How long a reply may take on a machine shared with other test runs (a wait, not an assertion about speed). */
const REPLY_WAIT_MS = 20_000;

function publicReplies(harness: Harness): RecordedRequest[] {
  return harness.emulator.requestsTo(/^\/channels\/[^/]+\/messages$/, 'POST');
}

/**
 * Wait until the bot has handled `count` messages without replying to them, and the one reply it
 * did send has reached the emulator (its POST can still be in flight when the last suppression is
 * logged); then every message is accounted for and no further reply can come.
 */
async function suppressed(harness: Harness, count: number): Promise<void> {
  await vi.waitFor(() => expect(harness.logs.find('debug', 'notice suppressed')).toHaveLength(count), { timeout: 20_000, interval: 50 });
  await vi.waitFor(() => expect(publicReplies(harness).length).toBeGreaterThan(0), { timeout: 20_000, interval: 50 });
}

describe('mention spam', () => {
  let harness: Harness | undefined;

  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  it.each([
    ['nothing after the mention', ''],
    ['600 characters after the mention', OVER_LONG],
  ])('20 mentions with %s get one public reply, and the engine is never asked', async (_label, text) => {
    const engine = countingEngine(createCannedEngine());
    harness = await startHarness({ engine, bot: { cooldownSeconds: COOLDOWN_SECONDS } });
    const handles = Array.from({ length: SPAM_COUNT }, () => harness!.emulator.message(text, { mentionBot: true }));
    const first = await handles[0]!.reply(REPLY_WAIT_MS);
    expect(first.body.content).toMatch(text === '' ? /Ask me a question after the mention/ : /600 characters long; the limit is 500/);
    // The attempt took a turn and no second notice follows, so the one notice says when to ask again.
    const retryAt = Number(/You can ask again <t:(\d+):R>\.$/.exec(first.body.content ?? '')?.[1]) * 1000;
    expect(retryAt - first.at).toBeGreaterThan((COOLDOWN_SECONDS - 5) * 1000);
    expect(retryAt - first.at).toBeLessThanOrEqual((COOLDOWN_SECONDS + 1) * 1000);
    await suppressed(harness, SPAM_COUNT - 1);
    expect(publicReplies(harness)).toHaveLength(1);
    expect(engine.calls.search).toBe(0);
  });

  it('an answered question followed by 19 spam mentions gets the answer and one cooldown notice', async () => {
    harness = await startHarness({ engine: createCannedEngine(), bot: { cooldownSeconds: COOLDOWN_SECONDS } });
    await harness.emulator.message('How big is the Iraq mission?', { mentionBot: true }).reply(REPLY_WAIT_MS);
    const second = harness.emulator.message('', { mentionBot: true });
    for (let i = 2; i < SPAM_COUNT; i += 1) harness.emulator.message(i % 2 === 0 ? '' : OVER_LONG, { mentionBot: true });
    expect((await second.reply(REPLY_WAIT_MS)).body.content).toMatch(/Try again <t:\d+:R>/);
    await suppressed(harness, SPAM_COUNT - 2);
    expect(publicReplies(harness)).toHaveLength(2);
  });

  it('with the cooldown disabled, usage notices are still limited to one per window', async () => {
    harness = await startHarness({ engine: createCannedEngine(), bot: { cooldownSeconds: 0 } });
    const handles = Array.from({ length: SPAM_COUNT }, () => harness!.emulator.message('', { mentionBot: true }));
    // The one notice is posted while later messages are handled: wait for it as well as for them.
    await handles[0]!.reply(REPLY_WAIT_MS);
    await suppressed(harness, SPAM_COUNT - 1);
    expect(publicReplies(harness)).toHaveLength(1);
    const [only] = publicReplies(harness);
    // With the cooldown off there is no turn to wait for, so no "ask again" time either.
    expect((only?.body as { content?: string }).content).toMatch(/^Ask me a question after the mention[^\n]*$/);
  });

  it('many members spamming one channel get one notice there, not one each', async () => {
    harness = await startHarness({ engine: createCannedEngine(), bot: { cooldownSeconds: COOLDOWN_SECONDS } });
    const members = Array.from({ length: 5 }, (_, i) => user(snowflake(), `raider-${i}`));
    const handles = members.flatMap((author) => Array.from({ length: 4 }, () => harness!.emulator.message('', { mentionBot: true, author })));
    await handles[0]!.reply(REPLY_WAIT_MS);
    await suppressed(harness, SPAM_COUNT - 1);
    expect(publicReplies(harness)).toHaveLength(1);
  });

  it('a DM user spamming is limited the same way', async () => {
    harness = await startHarness({ engine: createCannedEngine(), bot: { cooldownSeconds: COOLDOWN_SECONDS } });
    const handles = Array.from({ length: SPAM_COUNT }, (_, i) => harness!.emulator.message(i === 0 ? '' : OVER_LONG, { dm: true }));
    await handles[0]!.reply(REPLY_WAIT_MS);
    await suppressed(harness, SPAM_COUNT - 1);
    expect(publicReplies(harness)).toHaveLength(1);
  });
});
