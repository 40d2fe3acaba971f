/** Retention: pruning at start and on the timer, with the cutoff CITEBOT_RETENTION_DAYS sets. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { retentionCutoff, startRetention } from '../../src/community/retention.ts';
import type { CommunityStore } from '../../src/core/community-store.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { parseConfig } from '../../src/config/config.ts';

const DAY = 24 * 60 * 60 * 1000;

function recordingStore(): CommunityStore & { cutoffs: number[] } {
  const cutoffs: number[] = [];
  const unused = () => Promise.reject(new Error('not used'));
  return {
    cutoffs,
    prune: async (before) => {
      cutoffs.push(before);
      return { answers: 0, votes: 0 };
    },
    guildSettings: unused,
    updateGuildSettings: unused,
    recordAnswer: unused,
    findAnswer: unused,
    recordVote: unused,
    votesFor: unused,
    answersSince: unused,
    guilds: unused,
    forgetMember: unused,
    close: async () => undefined,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('retention', () => {
  it('keeps 90 days by default; CITEBOT_RETENTION_DAYS changes it and must be a whole number of days', () => {
    expect(parseConfig({}, '/x').retentionDays).toBe(90);
    expect(parseConfig({ CITEBOT_RETENTION_DAYS: '7' }, '/x').retentionDays).toBe(7);
    expect(() => parseConfig({ CITEBOT_RETENTION_DAYS: '0' }, '/x')).toThrow(/CITEBOT_RETENTION_DAYS/);
    expect(parseConfig({}, '/x').dataDir).toBe('/x/data');
  });

  it('cuts off exactly the retention period before now', () => {
    expect(retentionCutoff(100 * DAY, 90)).toBe(10 * DAY);
  });

  it('prunes at start, then on every interval, until stopped', async () => {
    vi.useFakeTimers();
    let now = 1000 * DAY;
    const store = recordingStore();
    const retention = await startRetention(store, { retentionDays: 30, logger: silentLogger, now: () => now, intervalMs: 1000 });
    expect(store.cutoffs).toEqual([970 * DAY]);
    now += DAY;
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.cutoffs).toEqual([970 * DAY, 971 * DAY]);
    retention.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(store.cutoffs).toHaveLength(2);
  });
});
