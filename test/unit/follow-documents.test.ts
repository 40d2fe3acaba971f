/**
 * The orchestration of live updates, with a fake watcher and fake updates: one update at a time,
 * hints arriving during an update folded into exactly one more, failures reported and survived;
 * shards reload when the saved generation is newer than the one they serve.
 */
import { describe, expect, it } from 'vitest';
import { followDocuments, followGenerations } from '../../src/index-store/follow-documents.ts';
import type { IngestReport } from '../../src/index-store/ingest.ts';

const report = (n: number) => ({ upToDate: false, embedded: n }) as unknown as IngestReport;

/** A promise with its resolve function, to let a fake update end when the test says. */
function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('followDocuments', () => {
  it('runs one update at a time and folds the hints that arrive meanwhile into one more update', async () => {
    let emit!: (paths: readonly string[]) => void;
    const gates = [deferred(), deferred()];
    let running = 0;
    let most = 0;
    let calls = 0;
    const seen: (readonly string[])[] = [];
    const follower = await followDocuments({
      watch: async (onChanges) => {
        emit = onChanges;
        return { close: async () => {} };
      },
      update: async () => {
        const gate = gates[calls++]!;
        running++;
        most = Math.max(most, running);
        await gate.promise;
        running--;
        return report(calls);
      },
      onUpdated: (_, hints) => seen.push(hints),
      onError: (error) => {
        throw error;
      },
    });
    emit(['a.md']);
    emit(['b.md']);
    emit(['c.md']);
    gates[0]!.resolve();
    gates[1]!.resolve();
    await follower.idle();
    expect(calls).toBe(2);
    expect(most).toBe(1);
    expect(seen).toEqual([['a.md'], ['b.md', 'c.md']]);
    await follower.close();
  });

  it('reports a failed update and keeps following', async () => {
    let emit!: (paths: readonly string[]) => void;
    const errors: unknown[] = [];
    let calls = 0;
    const follower = await followDocuments({
      watch: async (onChanges) => {
        emit = onChanges;
        return { close: async () => {} };
      },
      update: async () => {
        calls++;
        if (calls === 1) throw new Error('disk full');
        return report(calls);
      },
      onUpdated: () => {},
      onError: (error) => errors.push(error),
    });
    emit(['a.md']);
    await follower.idle();
    emit(['a.md']);
    await follower.idle();
    expect(errors).toMatchObject([{ message: 'disk full' }]);
    expect(calls).toBe(2);
    await follower.close();
  });
});

describe('followGenerations', () => {
  it('reloads when the saved generation was built after the one in service, and not otherwise', async () => {
    let serving = '2026-12-02T01:00:00.000Z';
    let saved = serving;
    let reloads = 0;
    const follower = followGenerations({
      currentBuild: () => serving,
      latestBuild: async () => saved,
      reload: async () => {
        reloads++;
        serving = saved;
      },
      onError: (error) => {
        throw error;
      },
      intervalMs: 5,
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reloads).toBe(0);
    saved = '2026-12-02T01:00:05.000Z';
    await expect.poll(() => reloads, { timeout: 2000, interval: 5 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reloads).toBe(1);
    await follower.close();
  });
});
