import { describe, expect, it } from 'vitest';
import { parseLineRange, parseQuestion } from '../../src/core/input.ts';

describe('parseQuestion', () => {
  it.each([
    ['a normal question', 'NATO, why?', { ok: true, value: 'NATO, why?' }],
    ['surrounding whitespace is trimmed', '  why?\n', { ok: true, value: 'why?' }],
    ['a missing option', null, { ok: false, problem: { kind: 'missing' } }],
    ['a non-string', 42, { ok: false, problem: { kind: 'missing' } }],
    ['an empty string', '', { ok: false, problem: { kind: 'empty' } }],
    ['whitespace only', ' \n\t ', { ok: false, problem: { kind: 'empty' } }],
    ['exactly the limit', 'x'.repeat(10), { ok: true, value: 'x'.repeat(10) }],
    ['over the limit', 'x'.repeat(11), { ok: false, problem: { kind: 'too-long', length: 11, max: 10 } }],
    ['emoji count as one character each', '😀'.repeat(10), { ok: true, value: '😀'.repeat(10) }],
  ])('%s', (_what, raw, expected) => {
    expect(parseQuestion(raw, 10)).toEqual(expected);
  });
});

describe('parseLineRange', () => {
  it.each([
    ['12-15', { start: 12, end: 15 }],
    ['12–15', { start: 12, end: 15 }],
    ['L12-L15', { start: 12, end: 15 }],
    [' 12 - 15 ', { start: 12, end: 15 }],
    ['12:15', { start: 12, end: 15 }],
    ['12', { start: 12, end: 12 }],
  ])('parses %j', (raw, expected) => {
    expect(parseLineRange(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [undefined, { kind: 'missing' }],
    ['', { kind: 'malformed', input: '' }],
    ['twelve', { kind: 'malformed', input: 'twelve' }],
    ['0-3', { kind: 'malformed', input: '0-3' }],
    ['-3', { kind: 'malformed', input: '-3' }],
    ['1-2-3', { kind: 'malformed', input: '1-2-3' }],
    ['9-3', { kind: 'reversed', start: 9, end: 3 }],
  ])('rejects %j', (raw, problem) => {
    expect(parseLineRange(raw)).toEqual({ ok: false, problem });
  });
});
