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

  /** The window length in ms (0 when the cooldown is disabled). */
  get windowMs(): number {
    return this.#windowMs;
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

/**
 * Cooldowns whose window depends on where the question is asked: each server may set its own
 * (`/citebot config cooldown:`), the rest use the default. One {@link Cooldown} per window
 * length, so each keeps the "same window, expiry in insertion order" property its sweep relies
 * on; there are at most as many as distinct windows in use.
 */
export class Cooldowns {
  readonly #defaultWindowMs: number;
  readonly #now: () => number;
  readonly #byWindow = new Map<number, Cooldown>();

  constructor(defaultWindowMs: number, now: () => number = Date.now) {
    this.#defaultWindowMs = Math.max(0, defaultWindowMs);
    this.#now = now;
  }

  /** Take a turn for `key` under a window of `windowMs` (default: the bot's). */
  take(key: string, windowMs: number = this.#defaultWindowMs): CooldownResult {
    const window = Math.max(0, windowMs);
    let cooldown = this.#byWindow.get(window);
    if (cooldown === undefined) {
      cooldown = new Cooldown(window, this.#now);
      this.#byWindow.set(window, cooldown);
    }
    return cooldown.take(key);
  }

  /** The bot's default window in ms (0 when disabled). */
  get defaultWindowMs(): number {
    return this.#defaultWindowMs;
  }
}

/**
 * The shortest window in which one member, or one channel, gets at most one notice (usage
 * hint, cooldown warning). It applies even when the cooldown is disabled, so a member who
 * spams `@citebot` alone can never make the bot spam the channel back.
 */
export const MIN_NOTICE_WINDOW_MS = 10_000;

/**
 * At most one notice per key per window, where a notice is only sent when *every* key it names
 * (the user and the channel) is free. Keying by user stops one member from collecting a reply
 * per message; keying by channel stops a raid of many accounts from turning one channel into a
 * wall of notices. Memory stays bounded by the keys active within one window.
 */
export class NoticeThrottle {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #until = new Map<string, number>();

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = Math.max(MIN_NOTICE_WINDOW_MS, windowMs);
    this.#now = now;
  }

  /** True (and the keys are marked for one window) when none of `keys` got a notice within the window. */
  allow(keys: readonly string[]): boolean {
    const now = this.#now();
    this.#sweep(now);
    if (keys.some((key) => (this.#until.get(key) ?? 0) > now)) return false;
    for (const key of keys) {
      // Re-insert so insertion order stays the expiry order the sweep relies on.
      this.#until.delete(key);
      this.#until.set(key, now + this.#windowMs);
    }
    return true;
  }

  get size(): number {
    return this.#until.size;
  }

  #sweep(now: number): void {
    for (const [key, until] of this.#until) {
      if (until > now) break;
      this.#until.delete(key);
    }
  }
}
