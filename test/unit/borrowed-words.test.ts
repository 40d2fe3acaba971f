import { describe, expect, it } from 'vitest';
import { borrowsPrevious } from '../../src/corpus/retrieval-context.ts';
import { lendersFirst } from '../../src/retrieval/borrowed-words.ts';

describe('lendersFirst (a passage before the short passage retrieved with its words)', () => {
  // Labels 10, 11, 12 are consecutive passages; 11 borrows the end of 10, 12 borrows nothing.
  const candidates = [
    { label: 11, lender: 10 },
    { label: 12, lender: null },
    { label: 10, lender: null },
  ];

  it('moves the lender just before its borrower when the lender\'s own lines cover more of the question', () => {
    const coverage = [0.2, 0.5, 0.6];
    expect(lendersFirst([0, 1, 2], candidates, { coverage: (i) => coverage[i] as number, holdsAnswer: () => false })).toEqual([2, 0, 1]);
  });

  it('keeps the order when the borrower\'s own lines match as well or better', () => {
    expect(lendersFirst([0, 1, 2], candidates, { coverage: (i) => [0.6, 0.5, 0.6][i] as number, holdsAnswer: () => false })).toEqual([0, 1, 2]);
    expect(lendersFirst([0, 1, 2], candidates, { coverage: (i) => [0.7, 0.5, 0.2][i] as number, holdsAnswer: () => false })).toEqual([0, 1, 2]);
  });

  it('leaves a lender that already ranks above its borrower, and a borrower whose lender is not a candidate', () => {
    expect(lendersFirst([2, 1, 0], candidates, { coverage: (i) => [0.1, 0.5, 0.9][i] as number, holdsAnswer: () => false })).toEqual([2, 1, 0]);
    expect(lendersFirst([0, 1], [{ label: 11, lender: 10 }, { label: 12, lender: null }], { coverage: () => 0.5, holdsAnswer: () => false })).toEqual([0, 1]);
  });

  it('keeps a borrower first whose own lines hold the kind of answer asked for when the lender\'s do not', () => {
    const coverage = (i: number) => [0.2, 0.5, 0.6][i] as number;
    expect(lendersFirst([0, 1, 2], candidates, { coverage, holdsAnswer: (i) => i === 0 })).toEqual([0, 1, 2]);
    // Both hold one (or neither): the words decide.
    expect(lendersFirst([0, 1, 2], candidates, { coverage, holdsAnswer: (i) => i !== 1 })).toEqual([2, 0, 1]);
    expect(lendersFirst([0, 1, 2], candidates, { coverage, holdsAnswer: (i) => i === 2 })).toEqual([2, 0, 1]);
  });

  it('asks for the coverage of the pairs it finds only', () => {
    const asked: number[] = [];
    lendersFirst([1, 0, 2], candidates, { coverage: (i) => (asked.push(i), [0.2, 0.5, 0.6][i] as number), holdsAnswer: () => false });
    expect(asked.sort()).toEqual([0, 2]);
  });

  it('handles a chain of borrowers without losing or repeating a passage', () => {
    const chain = [
      { label: 3, lender: 2 },
      { label: 2, lender: 1 },
      { label: 1, lender: null },
    ];
    const order = lendersFirst([0, 1, 2], chain, { coverage: (i) => [0.1, 0.3, 0.9][i] as number, holdsAnswer: () => false });
    expect([...order].sort()).toEqual([0, 1, 2]);
    expect(order[0]).toBe(1);
  });
});

describe('borrowsPrevious (which passages are retrieved with the end of the one before)', () => {
  const headings = ['Afghanistan'];
  const previous = { text: 'Affiliates are surging in Yemen, North Africa, Iraq and Syria.', headings };

  it('is a short passage in the same section, in headings+previous mode only', () => {
    const short = { text: 'So the threat is metastasizing.', headings };
    expect(borrowsPrevious(short, previous, 'headings+previous')).toBe(true);
    expect(borrowsPrevious(short, previous, 'headings')).toBe(false);
    expect(borrowsPrevious(short, previous, 'none')).toBe(false);
    expect(borrowsPrevious({ ...short, headings: ['Iraq'] }, previous, 'headings+previous')).toBe(false);
  });

  it('is never a passage of 25 words or more', () => {
    const long = { text: 'word '.repeat(25).trim(), headings };
    expect(borrowsPrevious(long, previous, 'headings+previous')).toBe(false);
    expect(borrowsPrevious({ text: 'word '.repeat(24).trim(), headings }, previous, 'headings+previous')).toBe(true);
  });
});
