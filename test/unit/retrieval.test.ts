import { describe, expect, it } from 'vitest';
import { collapseDuplicates, comparableText } from '../../src/retrieval/collapse-duplicates.ts';
import { fuseRankings } from '../../src/retrieval/fusion.ts';
import { passagesToShow, validateQuestion } from '../../src/retrieval/engine.ts';
import { batchBySimilarLength } from '../../src/embedding/batching.ts';
import { formatCitation } from '../../src/answer/citation.ts';

describe('fuseRankings (convex combination of min–max normalised scores)', () => {
  const dense = [
    { label: 1, similarity: 0.8 },
    { label: 2, similarity: 0.7 },
    { label: 4, similarity: 0.6 },
  ];
  const lexical = [
    { label: 2, score: 12 },
    { label: 3, score: 9 },
    { label: 5, score: 6 },
  ];

  it('ranks a passage found by both signals above one found by either alone', () => {
    const fused = fuseRankings(dense, lexical, 'hybrid');
    // Normalised dense: 1 → 1, 2 → 0.5, 4 → 0; lexical: 2 → 1, 3 → 0.5, 5 → 0.
    // Fused (weights ½, ½): 2 → 0.75, 1 → 0.5, 3 → 0.25, 4 → 0, 5 → 0; ties by label.
    expect(fused.map((c) => c.label)).toEqual([2, 1, 3, 4, 5]);
    expect(fused[0]?.signals).toMatchObject({ dense: 0.7, denseRank: 2, bm25: 12, bm25Rank: 1 });
    expect(fused[0]?.signals.fused).toBeCloseTo(0.75, 10);
    expect(fused[0]?.score).toBeCloseTo(0.75, 10);
  });

  it('keeps score gaps that ranks lose: a runaway BM25 winner beats the dense favourite', () => {
    const fused = fuseRankings(
      [
        { label: 1, similarity: 0.9 },
        { label: 2, similarity: 0.88 },
        { label: 3, similarity: 0.5 },
      ],
      [
        { label: 2, score: 30 },
        { label: 1, score: 4 },
        { label: 3, score: 3 },
      ],
      'hybrid',
    );
    // Reciprocal rank fusion would tie 1 and 2 (each first once, second once).
    expect(fused.map((c) => c.label)).toEqual([2, 1, 3]);
  });

  it('scores 1 when one passage is first for every signal used, and equal scores all count as best', () => {
    expect(fuseRankings([{ label: 5, similarity: 0.9 }], [{ label: 5, score: 3 }], 'hybrid')[0]?.score).toBeCloseTo(1, 10);
    expect(fuseRankings(dense, lexical, 'dense')[0]?.score).toBeCloseTo(1, 10);
  });

  it('uses only the chosen signal in dense and bm25 modes', () => {
    expect(fuseRankings(dense, lexical, 'dense').map((c) => c.label)).toEqual([1, 2, 4]);
    expect(fuseRankings(dense, lexical, 'bm25').map((c) => c.label)).toEqual([2, 3, 5]);
  });

  it('returns nothing for no candidates', () => {
    expect(fuseRankings([], [], 'hybrid')).toEqual([]);
  });
});

describe('collapseDuplicates (alsoIn = the same text, similarIn = the same meaning in other words)', () => {
  const unit = (x: number, y: number) => {
    const n = Math.hypot(x, y);
    return Float32Array.from([x / n, y / n]);
  };
  const item = (label: number, vector: Float32Array, text = `passage ${label}`) => ({
    label,
    span: { file: `f${label}`, startLine: label, endLine: label },
    text,
    vector,
  });

  it('lists a near-identical later passage with other words as similarIn, never as alsoIn', () => {
    const said = 'NATO Secretary General Jens Stoltenberg said on Thursday the alliance would decide later.';
    const retold = 'NATO Secretary General Jens Stoltenberg has said the alliance would decide later.';
    const groups = collapseDuplicates([item(1, unit(1, 0), said), item(2, unit(0, 1)), item(3, unit(1, 0.01), retold)], 0.95, 5);
    expect(groups.map((g) => g.best.label)).toEqual([1, 2]);
    expect(groups[0]?.alsoIn).toEqual([]);
    expect(groups[0]?.similarIn).toEqual([{ file: 'f3', startLine: 3, endLine: 3 }]);
  });

  it('keeps apart near-identical vectors whose words differ: neighbours that share only their heading context', () => {
    // Embedded with the same heading path (and the short one with its predecessor's end), these two lines of pino's docs were 0.95 alike.
    const groups = collapseDuplicates([item(1, unit(1, 0), "Default: `'err'`"), item(2, unit(1, 0.01), "The string key for the 'error' in the JSON object.")], 0.95, 5);
    expect(groups.map((g) => g.best.label)).toEqual([1, 2]);
    expect(groups[0]?.similarIn).toEqual([]);
  });

  it('compares code by its lines too: the same identifiers in another shape are other code', () => {
    const asObject = { ...item(1, unit(1, 0), "```js\n{\n  'content-length': '123',\n  'content-type': 'text/plain'\n}\n```"), kind: 'code' as const };
    const asArray = { ...item(2, unit(1, 0.01), "```js\n[\n  'content-length', '123',\n  'content-type', 'text/plain'\n]\n```"), kind: 'code' as const };
    expect(collapseDuplicates([asObject, asArray], 0.95, 5)).toHaveLength(2);
    const retyped = { ...item(3, unit(1, 0.01), "```js\n{\n  'content-length': '123',\n  'content-type': 'text/plain'\n}\n```\n"), kind: 'code' as const, text: "```js\n{\n  'content-length': '123',\n  'content-type':  'text/plain'\n}\n```" };
    expect(collapseDuplicates([asObject, retyped], 0.95, 5)[0]?.alsoIn).toHaveLength(1);
  });

  it('cites a place as alsoIn when its lines hold the same text modulo whitespace and typographic quotes and dashes', () => {
    const original = item(1, unit(1, 0), '"It\'s over," he said - finally.');
    // Another outlet's typography, another line wrap: the same words, so the same quote.
    const retyped = item(2, unit(0.2, 1), '\u201CIt\u2019s over,\u201D he said \u2014\n finally.');
    const groups = collapseDuplicates([original, retyped], 0.95, 5);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.alsoIn).toEqual([{ file: 'f2', startLine: 2, endLine: 2 }]);
    expect(groups[0]?.similarIn).toEqual([]);
  });

  it('keeps a passage that adds words apart from the alsoIn list even when its vector is near', () => {
    const short = item(1, unit(1, 0), 'Biden will withdraw the troops by 11 September.');
    const longer = item(2, unit(1, 0.02), 'Biden will withdraw the remaining 2,500 US troops by 11 September.');
    const [group] = collapseDuplicates([short, longer], 0.95, 5);
    expect(group?.alsoIn).toEqual([]);
    expect(group?.similarIn).toEqual([{ file: 'f2', startLine: 2, endLine: 2 }]);
  });

  it('stops at the limit but still records twins of the kept groups', () => {
    const groups = collapseDuplicates([item(1, unit(1, 0)), item(2, unit(0, 1)), item(3, unit(1, 0.01), 'passage 1')], 0.95, 1);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.alsoIn).toHaveLength(1);
  });

  it('compares texts with typography folded and whitespace collapsed, and nothing else', () => {
    expect(comparableText('  a\u2013b \u2018c\u2019\n\t d\u2026 ')).toBe("a-b 'c' d...");
    // Case and words are not folded: a different word is a different quote.
    expect(comparableText('Islamic State')).not.toBe(comparableText('islamic state'));
  });
});

describe('passagesToShow (evidence decides, never k)', () => {
  const bar = { relevance: 0.5, fused: 0.7 };
  const at = (relevance: number, fused = 1) => ({ relevance, fused });
  const cases: [candidates: { relevance: number; fused: number }[], k: number, abstained: boolean, explain: boolean, expected: number, why: string][] = [
    [[at(0.9), at(0.8), at(0.2), at(0.7)], 5, false, false, 2, 'stops at the first passage below the relevance bar; later ones are not consulted'],
    [[at(0.9), at(0.8, 0.69), at(0.9)], 5, false, false, 1, 'a relevant passage whose fused score is below its bar ends the answer too'],
    [[at(0.9, 0.2), at(0.6, 0.7)], 5, false, false, 2, 'the first passage needs neither bar; a later one exactly at both bars is shown'],
    [[at(0.9), at(0.1)], 5, false, false, 1, 'the first passage is shown even when the second is irrelevant'],
    [[at(0.9), at(0.8), at(0.7)], 2, false, false, 2, 'k is an upper bound'],
    [[at(0.1, 0.1), at(0.05, 0.1)], 5, true, false, 2, 'an abstention lists the closest passages, labelled as not an answer'],
    [[at(0.9), at(0.1, 0.1), at(0.1, 0.1)], 3, false, true, 3, 'explain shows the best k whatever their relevance'],
    [[], 5, true, false, 0, 'nothing found'],
  ];
  it.each(cases)('%j k=%i abstained=%s explain=%s → %i (%s)', (candidates, k, abstained, explain, expected) => {
    expect(passagesToShow(candidates, k, bar, abstained, explain)).toBe(expected);
  });
});

describe('question validation and citations', () => {
  it('rejects empty and over-long questions with codes', () => {
    expect(() => validateQuestion('   ', 10)).toThrow(expect.objectContaining({ code: 'QUERY_EMPTY' }));
    expect(() => validateQuestion('x'.repeat(11), 10)).toThrow(expect.objectContaining({ code: 'QUERY_TOO_LONG' }));
    expect(validateQuestion('  why?  ', 10)).toBe('why?');
  });

  it('formats citations as file:Lstart-Lend', () => {
    expect(formatCitation({ file: 'seeds/a.txt', startLine: 8, endLine: 9 })).toBe('seeds/a.txt:L8-L9');
  });
});

describe('batchBySimilarLength', () => {
  it('groups indices of similar length, shortest first, each batch at most batchSize', () => {
    expect(batchBySimilarLength([4, 1, 3, 2, 5], 2)).toEqual([[1, 3], [2, 0], [4]]);
  });

  it('keeps the input order among equal lengths', () => {
    expect(batchBySimilarLength([2, 1, 2, 1], 3)).toEqual([[1, 3, 0], [2]]);
  });
});
