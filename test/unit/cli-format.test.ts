/** Small formatting rules of the command line. */
import { describe, expect, it } from 'vitest';
import { countOf } from '../../src/cli/plural.ts';
import { formatDuration } from '../../src/cli/progress-bar.ts';

describe('formatDuration', () => {
  it.each<[unknown, number, string]>([
    [0, 1, '0s'],
    [9.4, 1, '9s'],
    [59.4, 1, '59s'],
    [59.6, 1, '1m00s'], // rounds up into the next minute, never "60s"
    [119.6, 5, '2m00s'], // cli-progress printed "1m60s" here
    [125, 5, '2m05s'],
    [3599.9, 1, '1h00m'],
    [3725, 1, '1h02m'],
    [Number.NaN, 1, '--'],
    [Number.POSITIVE_INFINITY, 5, '--'],
    ['INF', 5, '--'], // what cli-progress passes before it has a rate
    [-1, 1, '--'],
  ])('%s s (rounded to %s) → %s', (seconds, roundTo, expected) => {
    expect(formatDuration(seconds, roundTo)).toBe(expected);
  });
});

describe('countOf', () => {
  it.each([
    [0, 'line', '0 lines'],
    [1, 'line', '1 line'],
    [2, 'paragraph', '2 paragraphs'],
  ])('%s %s → %s', (count, noun, expected) => {
    expect(countOf(count, noun)).toBe(expected);
  });

  it('takes an irregular plural', () => {
    expect(countOf(3, 'index', 'indexes')).toBe('3 indexes');
  });
});
