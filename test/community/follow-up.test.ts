/** Fusing a follow-up's two searches (alone, and after the earlier question). */
import { describe, expect, it } from 'vitest';
import { followUpContributes, followUpQuery, fuseFollowUpResults } from '../../src/community/follow-up.ts';
import type { Hit, SearchResult } from '../../src/core/types.ts';

function hit(file: string, line: number): Hit {
  return { file, startLine: line, endLine: line, text: `${file}:${line}` } as unknown as Hit;
}

function result(query: string, hits: Hit[], abstained = false, total = 10): SearchResult {
  return { query, abstained, bestSimilarity: 0.5, unknownNames: [], hits, timings: { embed: 1, dense: 1, bm25: 1, fusion: 1, highlight: 1, total } };
}

const spans = (r: SearchResult) => r.hits.map((h) => `${h.file}:${h.startLine}`);

describe('fuseFollowUpResults', () => {
  it('puts passages both searches rank high first, then alternates between them, at most k', () => {
    const alone = result('and how many?', [hit('a', 1), hit('b', 2), hit('c', 3)]);
    const withContext = result('earlier\nand how many?', [hit('d', 4), hit('b', 2), hit('e', 5)]);
    const fused = fuseFollowUpResults(alone, withContext, 4);
    expect(spans(fused)).toEqual(['b:2', 'a:1', 'd:4', 'c:3']);
    expect(fused.query).toBe('and how many?');
    expect(fused.timings.total).toBe(20);
  });

  it('abstains only when both searches did, and ranks the answering search first when one abstained', () => {
    const alone = result('q', [hit('a', 1)], true);
    const withContext = result('e\nq', [hit('d', 4)], false);
    const fused = fuseFollowUpResults(alone, withContext, 3);
    expect(fused.abstained).toBe(false);
    expect(spans(fused)).toEqual(['d:4', 'a:1']);
    expect(fuseFollowUpResults(alone, result('e\nq', [], true), 3).abstained).toBe(true);
  });

  it('puts the earlier question first in the contextual query', () => {
    expect(followUpQuery(' What is X? ', ' and Y? ')).toBe('What is X?\nand Y?');
  });
});

describe('followUpContributes (may an unprompted follow-up be answered?)', () => {
  it('yes when the follow-up alone finds an answer', () => {
    expect(followUpContributes(result('q', [hit('a', 1)]), result('e\nq', [hit('d', 4)], true))).toBe(true);
  });

  it('yes when it abstains alone but its passages meet the contextual search’s', () => {
    expect(followUpContributes(result('q', [hit('a', 1), hit('b', 2)], true), result('e\nq', [hit('d', 4), hit('b', 2)]))).toBe(true);
  });

  it('no when only the earlier question found something (the follow-up’s words point elsewhere), or both abstained', () => {
    expect(followUpContributes(result('q', [hit('a', 1)], true), result('e\nq', [hit('d', 4)]))).toBe(false);
    expect(followUpContributes(result('q', [hit('a', 1)], true), result('e\nq', [hit('a', 1)], true))).toBe(false);
  });
});
