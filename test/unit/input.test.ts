import { describe, expect, it } from 'vitest';
import { describeQuestionProblem, describeRangePastEnd, parseLineRange, parseQuestion } from '../../src/core/input.ts';

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
    ['999999999', { start: 999_999_999, end: 999_999_999 }],
  ])('parses %j', (raw, expected) => {
    expect(parseLineRange(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    [undefined, { kind: 'missing' }],
    ['', { kind: 'malformed', input: '' }],
    ['twelve', { kind: 'malformed', input: 'twelve' }],
    ['0-3', { kind: 'malformed', input: '0-3', reason: 'line-zero' }],
    ['0', { kind: 'malformed', input: '0', reason: 'line-zero' }],
    ['3-0', { kind: 'malformed', input: '3-0', reason: 'line-zero' }],
    ['1000000000', { kind: 'malformed', input: '1000000000', reason: 'too-large' }],
    ['1-99999999999999999999', { kind: 'malformed', input: '1-99999999999999999999', reason: 'too-large' }],
    ['-3', { kind: 'malformed', input: '-3' }],
    ['1-2-3', { kind: 'malformed', input: '1-2-3' }],
    ['9-3', { kind: 'reversed', start: 9, end: 3 }],
  ])('rejects %j', (raw, problem) => {
    expect(parseLineRange(raw)).toEqual({ ok: false, problem });
  });
});

describe('describeRangePastEnd', () => {
  it.each([
    ['inside', { start: 40, end: 44 }, undefined],
    ['ending past the last line', { start: 40, end: 99 }, 'a.txt has 44 lines, so the range 40-99 runs past its last line, 44 (ask for 40-44).'],
    ['starting on the last line', { start: 44, end: 45 }, 'a.txt has 44 lines, so the range 44-45 runs past its last line, 44 (ask for 44).'],
    ['one line after the end', { start: 45, end: 45 }, 'a.txt has 44 lines: line 45 is past its last line, 44.'],
    ['wholly after the end', { start: 50, end: 60 }, 'a.txt has 44 lines: lines 50-60 are past its last line, 44.'],
  ])('%s', (_what, range, expected) => {
    expect(describeRangePastEnd('a.txt', 44, range)).toBe(expected);
  });

  it('says "1 line" for a one-line file', () => {
    expect(describeRangePastEnd('b.txt', 1, { start: 2, end: 2 })).toBe('b.txt has 1 line: line 2 is past its last line, 1.');
  });
});

describe('describeQuestionProblem', () => {
  it.each([
    [{ kind: 'missing' } as const, 'The question is empty.'],
    [{ kind: 'empty' } as const, 'The question is empty.'],
    [{ kind: 'too-long', length: 501, max: 500 } as const, 'The question is 501 characters long; the limit is 500.'],
  ])('%j', (problem, expected) => {
    expect(describeQuestionProblem(problem)).toBe(expected);
  });
});
