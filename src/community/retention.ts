/**
 * Retention: stored questions and votes are kept `CITEBOT_RETENTION_DAYS` and then deleted, at
 * start and on a timer while the bot runs.
 */
import type { CommunityStore, PruneOutcome } from '../core/community-store.ts';
import type { Logger } from '../core/logger.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
/**
 * How often a running bot prunes. Hourly keeps nothing more than an hour past its retention,
 * and a prune is one indexed DELETE per table, so the cost does not matter.
 */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

/** The oldest moment (ms) still kept when it is `now` and data is kept `retentionDays`. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

export interface Retention {
  /** The first prune, run at start (awaited so a start reports a broken database at once). */
  readonly initial: PruneOutcome;
  /** Stops the timer. */
  stop(): void;
}

/** Prunes now, then every {@link PRUNE_INTERVAL_MS}; the timer never keeps the process alive. */
export async function startRetention(
  store: CommunityStore,
  options: { readonly retentionDays: number; readonly logger: Logger; readonly now?: () => number; readonly intervalMs?: number },
): Promise<Retention> {
  const now = options.now ?? Date.now;
  const prune = async (): Promise<PruneOutcome> => {
    const outcome = await store.prune(retentionCutoff(now(), options.retentionDays));
    if (outcome.answers + outcome.votes > 0) {
      options.logger.info({ ...outcome, retentionDays: options.retentionDays }, 'pruned stored questions and votes past their retention');
    }
    return outcome;
  };
  const initial = await prune();
  const timer = setInterval(() => {
    prune().catch((error: unknown) => options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'pruning old questions failed; retrying in an hour'));
  }, options.intervalMs ?? PRUNE_INTERVAL_MS);
  timer.unref();
  return { initial, stop: () => clearInterval(timer) };
}
