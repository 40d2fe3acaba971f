import { describe, expect, it } from 'vitest';
import { Cooldowns } from '../../src/discord/cooldown.ts';

describe('Cooldowns (a window per server)', () => {
  it('uses the default window unless a window is given, and each window independently', () => {
    let now = 0;
    const cooldowns = new Cooldowns(5_000, () => now);
    expect(cooldowns.defaultWindowMs).toBe(5_000);
    expect(cooldowns.take('g1:alice')).toEqual({ ok: true });
    expect(cooldowns.take('g2:alice', 60_000)).toEqual({ ok: true });
    now = 4_000;
    expect(cooldowns.take('g1:alice')).toEqual({ ok: false, retryAt: 5_000 });
    now = 5_000;
    expect(cooldowns.take('g1:alice')).toEqual({ ok: true });
    expect(cooldowns.take('g2:alice', 60_000)).toEqual({ ok: false, retryAt: 60_000 });
  });

  it('takes a changed window at once: the next turn is judged by the new length', () => {
    let now = 0;
    const cooldowns = new Cooldowns(0, () => now);
    expect(cooldowns.take('g:alice', 0)).toEqual({ ok: true });
    expect(cooldowns.take('g:alice', 0)).toEqual({ ok: true });
    expect(cooldowns.take('g:alice', 10_000)).toEqual({ ok: true });
    now = 1_000;
    expect(cooldowns.take('g:alice', 10_000)).toEqual({ ok: false, retryAt: 10_000 });
    // Turned off again: no waiting.
    expect(cooldowns.take('g:alice', 0)).toEqual({ ok: true });
  });

  it('treats a negative window as no cooldown', () => {
    const cooldowns = new Cooldowns(-5);
    expect(cooldowns.defaultWindowMs).toBe(0);
    expect(cooldowns.take('a', -1)).toEqual({ ok: true });
    expect(cooldowns.take('a', -1)).toEqual({ ok: true });
  });
});
