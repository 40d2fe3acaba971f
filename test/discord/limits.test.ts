import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedLength, limitViolations, shareBudget } from '../../src/discord/render/limits.ts';

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
