/** The outcome of asking for a turn: go ahead, or wait until `retryAt` (epoch ms). */
export type CooldownResult = { readonly ok: true } | { readonly ok: false; readonly retryAt: number };

/**
 * Per-user cooldown: one engine request per user per window. A rejected attempt does not
 * extend the window. Entries are dropped once expired, so memory stays bounded by the number
 * of users active within one window.
 */
export class Cooldown {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #until = new Map<string, number>();

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = Math.max(0, windowMs);
    this.#now = now;
  }

  /** Take a turn for `key` (a user id) if the user is not cooling down. */
  take(key: string): CooldownResult {
    if (this.#windowMs === 0) return { ok: true };
    const now = this.#now();
    this.#sweep(now);
    const until = this.#until.get(key);
    if (until !== undefined && until > now) return { ok: false, retryAt: until };
    this.#until.set(key, now + this.#windowMs);
    return { ok: true };
  }

  get size(): number {
    return this.#until.size;
  }

  #sweep(now: number): void {
    // Map iteration is in insertion order and every window has the same length, so expired
    // entries are at the front.
    for (const [key, until] of this.#until) {
      if (until > now) break;
      this.#until.delete(key);
    }
  }
}
