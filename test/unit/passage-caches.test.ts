import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBoundedCache } from '../../src/retrieval/bounded-cache.ts';
import { collapseDuplicates, comparableText } from '../../src/retrieval/collapse-duplicates.ts';

describe('createBoundedCache (least recently used, get-or-compute)', () => {
  it('computes a value once and returns the cached one after', () => {
    const cache = createBoundedCache<number, string>(2);
    let computed = 0;
    const value = () => `v${++computed}`;
    expect(cache.get(1, value)).toBe('v1');
    expect(cache.get(1, value)).toBe('v1');
    expect(computed).toBe(1);
  });

  it('drops the least recently used entry when full, keeping one just read', () => {
    const cache = createBoundedCache<number, number>(2);
    cache.get(1, () => 10);
    cache.get(2, () => 20);
    cache.get(1, () => -1); // 1 is now the most recently used
    cache.get(3, () => 30); // evicts 2
    expect(cache.size).toBe(2);
    expect(cache.get(1, () => -1)).toBe(10);
    expect(cache.get(2, () => 21)).toBe(21);
  });

  it('caches an undefined value as a value', () => {
    const cache = createBoundedCache<string, undefined>(1);
    let computed = 0;
    cache.get('a', () => void computed++);
    cache.get('a', () => void computed++);
    expect(computed).toBe(1);
  });

  it('refuses a capacity below one', () => {
    expect(() => createBoundedCache(0)).toThrow(/capacity/);
  });
});

describe('collapseDuplicates reads vectors only when the text does not decide', () => {
  it('never reads the vector of an exact twin, and uses a given comparable text', () => {
    let reads = 0;
    const item = (label: number, text: string, comparable?: string) => ({
      label,
      span: { file: `f${label}`, startLine: label, endLine: label },
      text,
      ...(comparable === undefined ? {} : { comparable }),
      get vector() {
        reads++;
        return Float32Array.from([1, 0]);
      },
    });
    const groups = collapseDuplicates([item(1, 'Same words.'), item(2, 'Same  words.'), item(3, 'Other text', 'Same words.')], 0.95, 5);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.alsoIn.map((span) => span.file)).toEqual(['f2', 'f3']);
    expect(reads).toBe(0);
  });
});

describe('comparableText fast path', () => {
  /** The fold without the fast path: what comparableText did before it skipped texts with no typographic variant. */
  const reference = (text: string) =>
    text
      .replace(/[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g, "'")
      .replace(/[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g, '"')
      .replace(/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-')
      .replace(/\u2026/g, '...')
      .replace(/\s+/g, ' ')
      .trim();
  const alphabet = ['a', 'B', ' ', '\n', '\u2018', '\u2019', '\u0060', '\u00B4', '\u201C', '\u00BB', '\u2013', '\u2014', '\u2212', '\u2026', "'", '-', '.'];

  it('folds every text exactly as the full fold does', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(comparableText(text)).toBe(reference(text));
      }),
    );
  });
});
