import { describe, expect, it } from 'vitest';
import { Cooldown } from '../../src/discord/cooldown.ts';

describe('Cooldown', () => {
  it('allows one turn per window per user and says when the next one is', () => {
    let now = 1_000;
    const cooldown = new Cooldown(5_000, () => now);
    expect(cooldown.take('alice')).toEqual({ ok: true });
    expect(cooldown.take('bob')).toEqual({ ok: true });
    now = 3_000;
    expect(cooldown.take('alice')).toEqual({ ok: false, retryAt: 6_000 });
    now = 6_000;
    expect(cooldown.take('alice')).toEqual({ ok: true });
  });

  it('does not extend the window on rejected attempts', () => {
    let now = 0;
    const cooldown = new Cooldown(1_000, () => now);
    cooldown.take('alice');
    now = 900;
    expect(cooldown.take('alice')).toEqual({ ok: false, retryAt: 1_000 });
    now = 1_000;
    expect(cooldown.take('alice')).toEqual({ ok: true });
  });

  it('is disabled by a zero window', () => {
    const cooldown = new Cooldown(0);
    expect(cooldown.take('alice')).toEqual({ ok: true });
    expect(cooldown.take('alice')).toEqual({ ok: true });
    expect(cooldown.size).toBe(0);
  });

  it('forgets expired users, so memory stays bounded', () => {
    let now = 0;
    const cooldown = new Cooldown(1_000, () => now);
    for (let i = 0; i < 100; i += 1) cooldown.take(`user-${i}`);
    expect(cooldown.size).toBe(100);
    now = 5_000;
    cooldown.take('late');
    expect(cooldown.size).toBe(1);
  });
});
