/** `npm run calibrate -- --score`: what is counted for each question, and the summary over a set. */
import { describe, expect, it } from 'vitest';
import type { Engine, Hit, SearchOptions, SearchResult } from '../../src/core/types.ts';
import type { DatasetQuestion } from '../../src/evaluation/relevance-dataset.ts';
import { formatRate, renderSourceScores } from '../../src/evaluation/relevance-report.ts';
import { askQuestions, summariseOutcomes, type QuestionOutcome } from '../../src/evaluation/relevance-score.ts';

const gold = [{ file: 'docs/a.md', startLine: 10, endLine: 12 }];
const answerable = (id: string, answers: string[] = []): DatasetQuestion => ({ id, question: `q ${id}`, gold, answers, unanswerableKind: undefined });
const unanswerable = (id: string, kind?: string): DatasetQuestion => ({ id, question: `q ${id}`, gold: [], answers: [], unanswerableKind: kind });
const outcome = (question: DatasetQuestion, goldRank: number | null, abstained: boolean, shownLabels: (0 | 1)[], topHighlight = ''): QuestionOutcome => ({
  question,
  goldRank,
  topHighlight,
  abstained,
  shownLabels,
});

describe('summariseOutcomes', () => {
  const scores = summariseOutcomes([
    outcome(answerable('a1', ['vi.fn']), 1, false, [1, 0], 'Use `VI.FN()` here'), // answer in highlight, case-insensitive
    outcome(answerable('a2', ['importOriginal']), 3, false, [0], 'something else'),
    outcome(answerable('a3'), null, true, []), // no answer string: not counted for the highlight
    outcome(unanswerable('u1', 'near-topic'), null, true, []),
    outcome(unanswerable('u2', 'near-topic'), null, false, [0, 0]),
    outcome(unanswerable('u3', 'off-topic'), null, true, []),
    outcome(unanswerable('u4'), null, true, []),
  ]);

  it('measures the ranking on answerable questions', () => {
    expect(scores).toMatchObject({ answerable: 3, unanswerable: 4 });
    expect(scores.recall1).toEqual({ rate: 1 / 3, count: 1, of: 3 });
    expect(scores.recall5).toEqual({ rate: 2 / 3, count: 2, of: 3 });
    expect(scores.mrr).toBeCloseTo((1 + 1 / 3) / 3, 12);
    expect(scores.answerInHighlight1).toEqual({ rate: 1 / 2, count: 1, of: 2 });
  });

  it('counts decisions: answered, declined by kind, passages shown and how many are relevant', () => {
    expect(scores.answerableAnswered).toEqual({ rate: 2 / 3, count: 2, of: 3 });
    expect(scores.unanswerableDeclined).toEqual({ rate: 3 / 4, count: 3, of: 4 });
    expect(scores.declinedByKind).toEqual({
      'near-topic': { rate: 1 / 2, count: 1, of: 2 },
      'off-topic': { rate: 1, count: 1, of: 1 },
      unlabelled: { rate: 1, count: 1, of: 1 },
    });
    // Three answers (a1, a2, u2) showing 2 + 1 + 2 passages, one of them relevant.
    expect(scores.passagesPerAnswer).toBeCloseTo(5 / 3, 12);
    expect(scores.shownRelevant).toEqual({ rate: 1 / 5, count: 1, of: 5 });
  });

  it('renders one measurement a line, with counts', () => {
    const text = renderSourceScores('docs', scores).join('\n');
    expect(text).toContain(`Recall@1                 ${formatRate(scores.recall1)}`);
    expect(text).toMatch(/near-topic\s+0\.500 \(1\/2\)/);
  });
});

describe('askQuestions', () => {
  it('ranks with explain (at least 5 deep) and decides with a normal search of k', async () => {
    const calls: SearchOptions[] = [];
    const hit = (startLine: number) => ({ file: 'docs/a.md', startLine, endLine: startLine, alsoIn: [], highlight: `line ${startLine}` }) as unknown as Hit;
    const engine = {
      search: async (query: string, options: SearchOptions = {}): Promise<SearchResult> => {
        calls.push(options);
        const hits = options.explain === true ? [hit(1), hit(11), hit(20)] : [hit(11)];
        return { query, abstained: false, bestSimilarity: 0, unknownNames: [], hits, timings: { embed: 0, dense: 0, bm25: 0, fusion: 0, highlight: 0, total: 0 } };
      },
    } as unknown as Engine;
    const [result] = await askQuestions(engine, [answerable('a1')], 3);
    expect(calls).toEqual([{ k: 5, explain: true }, { k: 3 }]);
    expect(result).toMatchObject({ goldRank: 2, topHighlight: 'line 1', abstained: false, shownLabels: [1] });
  });
});
