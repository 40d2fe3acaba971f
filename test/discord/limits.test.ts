import { describe, expect, it } from 'vitest';
import type { SourceSpan } from '../../src/core/types.ts';
import { renderAbstain, renderAnswer } from '../../src/discord/render/answer.ts';
import { DISCORD_LIMITS, embedLength, limitViolations, shareBudget } from '../../src/discord/render/limits.ts';
import { HEADING_LABEL_MAX } from '../../src/discord/render/passages.ts';
import { renderSearch } from '../../src/discord/render/search.ts';
import { hit, searchResult } from './support/canned-engine.ts';
import { passageAndCitation } from './support/citations.ts';

describe('shareBudget (water-filling)', () => {
  it.each([
    ['everyone fits', [10, 20], [100, 100], 100, [10, 20]],
    ['small wants are met whole, the rest share equally', [10, 500, 500], [1000, 1000, 1000], 310, [10, 150, 150]],
    ['caps are respected and the surplus goes to the others', [900, 900], [100, 1000], 600, [100, 500]],
    ['nothing to share', [10, 10], [10, 10], 0, [0, 0]],
    ['negative budget is treated as none', [10], [10], -5, [0]],
  ])('%s', (_what, wants, caps, total, expected) => {
    const shares = shareBudget(wants, caps, total);
    expect(shares).toEqual(expected);
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.max(0, total));
  });
});

describe('limitViolations', () => {
  it('accepts a message within every limit', () => {
    expect(limitViolations({ content: 'x'.repeat(2000), embeds: [{ title: 't', description: 'd', fields: [{ name: 'n', value: 'v' }] }] })).toEqual([]);
  });

  it('reports each broken limit', () => {
    const fields = Array.from({ length: 26 }, () => ({ name: 'n'.repeat(257), value: 'v'.repeat(1025) }));
    const problems = limitViolations({
      content: 'x'.repeat(2001),
      embeds: [{ title: 't'.repeat(257), description: 'd'.repeat(4097), fields, footer: { text: 'f'.repeat(2049) } }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'content is 2001 characters (limit 2000)',
        'embed 0 title is 257 characters (limit 256)',
        'embed 0 description is 4097 characters (limit 4096)',
        'embed 0 footer is 2049 characters (limit 2048)',
        'embed 0 has 26 fields (limit 25)',
        'embed 0 field 0 name is 257 characters (limit 256)',
        'embed 0 field 0 value is 1025 characters (limit 1024)',
      ]),
    );
    expect(problems.some((p) => p.startsWith('embeds in total'))).toBe(true);
  });

  it('counts the 6000-character total across all embeds of a message', () => {
    const embed = { description: 'd'.repeat(3001) };
    expect(embedLength(embed)).toBe(3001);
    expect(limitViolations({ embeds: [embed, embed] })).toEqual([`embeds in total is 6002 characters (limit ${DISCORD_LIMITS.embedTotal})`]);
  });

  it('reports empty fields, which Discord rejects', () => {
    expect(limitViolations({ embeds: [{ fields: [{ name: ' ', value: 'v' }] }] })).toEqual(['embed 0 field 0 is empty']);
  });
});

describe('replies within the limits', () => {
  const span = (file: string, line: number): SourceSpan => ({ file, startLine: line, endLine: line + 2 });
  const headings = Array.from({ length: 8 }, (_, i) => `Section ${i} ${'with a rather long and **wordy** title '.repeat(4)}`);
  const places = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => span(`docs/${prefix}-${i}-${'x'.repeat(40)}.md`, i + 1));
  const hits = Array.from({ length: 10 }, (_, i) =>
    hit({
      text: `Passage ${i}. ${'A long sentence about deferring replies. '.repeat(60)}`,
      highlight: 'A long sentence about deferring replies.',
      startLine: i + 1,
      endLine: i + 1,
      headings,
      alsoIn: places('same', 20),
      similarIn: places('similar', 60),
    }),
  );
  const result = searchResult('q'.repeat(300), hits);

  it.each([
    ['answer', renderAnswer(result, { maxPassages: 10 })],
    ['abstain', renderAbstain({ ...result, abstained: true }, { maxPassages: 10 })],
    ['search', renderSearch(result, 10)],
  ])('%s: long heading paths and 60 similar places still fit, every primary citation whole', (_name, reply) => {
    expect(limitViolations(reply)).toEqual([]);
    const fields = reply.embeds[0]?.fields ?? [];
    expect(fields).toHaveLength(10);
    fields.forEach((field, i) => {
      expect(passageAndCitation(field).citation).toEqual({ file: 'seeds/001_8140afa543bea040.txt', startLine: i + 1, endLine: i + 1 });
      // The path is elided from the outside, and bounded so ten of them leave room for the quotes.
      expect(field.name).toMatch(/ · … › Section 7 /);
      expect(field.name.length).toBeLessThanOrEqual(field.name.indexOf(' · ') + 3 + HEADING_LABEL_MAX);
      // Similar places are counted on their own line, never listed as holding the quote.
      expect(field.value).toMatch(/\nsimilar wording (also at `docs\/similar-0-x+\.md:L1-L3`.*\+\d+ more|at 60 other places)$/);
      expect(passageAndCitation(field).alsoIn.every((place) => place.file.startsWith('docs/same-'))).toBe(true);
    });
  });
});
