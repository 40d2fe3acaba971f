import { describe, expect, it } from 'vitest';
import { Cooldown, MIN_NOTICE_WINDOW_MS, NoticeThrottle } from '../../src/discord/cooldown.ts';

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

describe('NoticeThrottle', () => {
  it('allows one notice per key per window', () => {
    let now = 0;
    const throttle = new NoticeThrottle(MIN_NOTICE_WINDOW_MS, () => now);
    expect(throttle.allow(['user:a', 'channel:1'])).toBe(true);
    expect(throttle.allow(['user:a', 'channel:1'])).toBe(false);
    now = MIN_NOTICE_WINDOW_MS - 1;
    expect(throttle.allow(['user:a', 'channel:1'])).toBe(false);
    now = MIN_NOTICE_WINDOW_MS;
    expect(throttle.allow(['user:a', 'channel:1'])).toBe(true);
  });

  it('refuses when any key is busy: the channel limits other users too', () => {
    const throttle = new NoticeThrottle(MIN_NOTICE_WINDOW_MS, () => 0);
    expect(throttle.allow(['user:a', 'channel:1'])).toBe(true);
    expect(throttle.allow(['user:b', 'channel:1'])).toBe(false);
    expect(throttle.allow(['user:a', 'channel:2'])).toBe(false);
    expect(throttle.allow(['user:b', 'channel:2'])).toBe(true);
  });

  it('never uses a window shorter than the minimum, even with the cooldown disabled', () => {
    let now = 0;
    const throttle = new NoticeThrottle(0, () => now);
    throttle.allow(['user:a']);
    now = MIN_NOTICE_WINDOW_MS - 1;
    expect(throttle.allow(['user:a'])).toBe(false);
  });

  it('uses the cooldown window when it is longer than the minimum, and forgets expired keys', () => {
    let now = 0;
    const window = MIN_NOTICE_WINDOW_MS * 3;
    const throttle = new NoticeThrottle(window, () => now);
    for (let i = 0; i < 50; i += 1) throttle.allow([`user:${i}`]);
    now = window - 1;
    expect(throttle.allow(['user:0'])).toBe(false);
    now = window;
    expect(throttle.allow(['user:late'])).toBe(true);
    expect(throttle.size).toBe(1);
  });
});
