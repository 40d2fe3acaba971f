/** Training the relevance model: the fit, the grouped split, the operating points and their report. Pure. */
import { describe, expect, it } from 'vitest';
import {
  chooseAbstainBelow,
  chooseShowAtLeast,
  DEFAULT_TARGETS,
  evaluateDecisions,
  fitLogisticRegression,
  hashPart,
  isAnswerable,
  chooseAbstainBelowPerSource,
  chooseAbstainBelowSourceAverage,
  crossValidate,
  scoreQuestions,
  shownAfterFirst,
  sourceBalancedWeights,
  solveLinearSystem,
  splitByGroup,
  standardisation,
  trainRelevanceModel,
  type LabelledQuestion,
  type QuestionOrigin,
  type ScoredQuestion,
} from '../../src/evaluation/train-relevance.ts';
import { logistic } from '../../src/retrieval/relevance-model.ts';

/** Deterministic uniform numbers in [0, 1) (a 32-bit LCG), so the synthetic data is the same every run. */
function uniforms(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const question = (id: string, origin: QuestionOrigin, labels: readonly (0 | 1)[], extra: Partial<LabelledQuestion> = {}): LabelledQuestion => ({
  id,
  group: id.replace(/\/excluded$/, ''),
  source: 'test',
  origin,
  unanswerableKind: undefined,
  passages: labels.map((label) => ({ label, evidence: {} })),
  ...extra,
});

const scored = (origin: QuestionOrigin, labels: readonly (0 | 1)[], probabilities: readonly number[], id = `${origin}-${probabilities.join(',')}`): ScoredQuestion => ({
  question: question(id, origin, labels),
  probabilities,
});

describe('solveLinearSystem', () => {
  it.each([
    [[[2, 0], [0, 4]], [2, 8], [1, 2]],
    [[[4, 1], [1, 3]], [1, 2], [1 / 11, 7 / 11]],
    // Needs a row swap: the first pivot is 0.
    [[[0, 1], [1, 0]], [3, 5], [5, 3]],
  ])('solves %j · x = %j', (matrix, rhs, expected) => {
    solveLinearSystem(matrix, rhs).forEach((value, i) => expect(value).toBeCloseTo(expected[i] ?? NaN, 12));
  });

  it('refuses a singular system', () => {
    expect(() => solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toThrow(/singular/);
  });
});

describe('standardisation', () => {
  it('gives each column mean 0 and scale 1, and a constant column scale 1', () => {
    const { mean, scale } = standardisation([[1, 5], [3, 5], [5, 5]], 2);
    expect(mean).toEqual([3, 5]);
    expect(scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(scale[1]).toBe(1);
  });
});

describe('fitLogisticRegression', () => {
  it('recovers the coefficients of a known logistic model', () => {
    // y ~ Bernoulli(σ(−1 + 3·x₁ − 2·x₂)), x uniform on [0, 1)², 20 000 draws.
    const random = uniforms(7);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const x = [random(), random()];
      rows.push(x);
      labels.push(random() < logistic(-1 + 3 * (x[0] ?? 0) - 2 * (x[1] ?? 0)) ? 1 : 0);
    }
    const fit = fitLogisticRegression(rows, labels, 0);
    // Back from standardised to raw features: w = w′ / s, b = b′ − Σ w′·m / s.
    const weights = fit.weights.map((w, j) => w / (fit.scale[j] ?? 1));
    const bias = fit.bias - fit.weights.reduce((sum, w, j) => sum + (w * (fit.mean[j] ?? 0)) / (fit.scale[j] ?? 1), 0);
    expect(weights[0]).toBeCloseTo(3, 0);
    expect(weights[1]).toBeCloseTo(-2, 0);
    expect(bias).toBeCloseTo(-1, 0);
    expect(fit.iterations).toBeLessThan(15);
  });

  it('stays finite on separable data thanks to the L2 penalty, and the penalty shrinks the weights', () => {
    const rows = [[0], [1], [2], [3], [4], [5]];
    const labels = [0, 0, 0, 1, 1, 1];
    const light = fitLogisticRegression(rows, labels, 0.1);
    const heavy = fitLogisticRegression(rows, labels, 10);
    expect(Number.isFinite(light.weights[0])).toBe(true);
    expect(light.weights[0]).toBeGreaterThan(heavy.weights[0] ?? Infinity);
    expect(heavy.weights[0]).toBeGreaterThan(0);
  });

  it('is deterministic', () => {
    const rows = [[0.1, 1], [0.4, 0], [0.35, 1], [0.8, 0], [0.9, 1]];
    const labels = [0, 0, 1, 1, 1];
    expect(fitLogisticRegression(rows, labels, 1)).toEqual(fitLogisticRegression(rows, labels, 1));
  });
});

describe('splitByGroup', () => {
  const items = Array.from({ length: 400 }, (_, i) => ({ group: `q${Math.floor(i / 2)}`, id: i }));

  it('never puts one group on both sides, and is the same every run', () => {
    const { train, validation } = splitByGroup(items, 0.3);
    const trainGroups = new Set(train.map((item) => item.group));
    expect(validation.some((item) => trainGroups.has(item.group))).toBe(false);
    expect(splitByGroup(items, 0.3)).toEqual({ train, validation });
  });

  it('holds out roughly the share asked for, and a salt changes which groups', () => {
    const { validation } = splitByGroup(items, 0.3);
    expect(validation.length / items.length).toBeGreaterThan(0.2);
    expect(validation.length / items.length).toBeLessThan(0.4);
    expect(splitByGroup(items, 0.3, 'other').validation).not.toEqual(validation);
  });

  it('holds out its share of ids that differ only in a trailing number (as question ids do)', () => {
    const ids = Array.from({ length: 105 }, (_, i) => ({ group: `pino-docs#a${i + 1}` }));
    const share = splitByGroup(ids, 0.3).validation.length / ids.length;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.4);
  });

  it.each([0, 1])('share %i puts everything on one side', (share) => {
    const { train, validation } = splitByGroup(items, share);
    expect(share === 0 ? train : validation).toHaveLength(items.length);
  });
});

describe('hashPart', () => {
  it('puts every key in one of the parts, stably, and uses all of them', () => {
    const parts = Array.from({ length: 200 }, (_, i) => hashPart(`Article ${i}`, 2));
    expect(new Set(parts)).toEqual(new Set([0, 1]));
    expect(Array.from({ length: 200 }, (_, i) => hashPart(`Article ${i}`, 2))).toEqual(parts);
  });
});

describe('isAnswerable', () => {
  it.each<[QuestionOrigin, (0 | 1)[], boolean, string]>([
    ['answerable', [0, 1], true, 'asked as written'],
    ['answerable', [0, 0], true, 'the gold is in the index even if retrieval missed it'],
    ['excluded', [0, 0], false, 'gold excluded: near-topic unanswerable'],
    ['excluded', [0, 1], true, 'a relevant passage survived the exclusion'],
    ['unanswerable', [0, 0], false, "the set's own unanswerable question"],
  ])('%s %j → %s (%s)', (origin, labels, expected) => {
    expect(isAnswerable(question('q', origin, labels))).toBe(expected);
  });
});

describe('chooseAbstainBelow', () => {
  it('abstains on at most 3 % of the answerable questions with a correct first passage', () => {
    // 100 correct first passages with probabilities 0.01 … 1.00: 3 may be abstained on.
    const items = Array.from({ length: 100 }, (_, i) => scored('answerable', [1], [(i + 1) / 100], `q${i}`));
    const threshold = chooseAbstainBelow(items, 0.03);
    expect(threshold).toBeCloseTo(0.04, 12);
    expect(evaluateDecisions(items, threshold, 1).falseAbstentionRate).toBeCloseTo(0.03, 12);
  });

  it('ignores unanswerable questions and wrong first passages when counting false abstentions', () => {
    const items = [
      ...Array.from({ length: 10 }, (_, i) => scored('answerable', [1], [0.5 + i / 100], `q${i}`)),
      scored('answerable', [0, 1], [0.9, 0.2], 'wrong-first'),
      scored('unanswerable', [0], [0.95], 'confident-unanswerable'),
    ];
    // floor(3 % of 10) = 0 false abstentions allowed: the lowest correct first passage is kept.
    expect(chooseAbstainBelow(items, 0.03)).toBeCloseTo(0.5, 12);
  });

  it('is 0 (never abstain) without any correct first passage to protect', () => {
    expect(chooseAbstainBelow([scored('unanswerable', [0], [0.4])], 0.03)).toBe(0);
  });
});

describe('shownAfterFirst (the engine rule: in rank order while relevant enough)', () => {
  it.each<[number[], number, number, string]>([
    [[0.9, 0.8, 0.7], 0.5, 2, 'every later passage passes'],
    [[0.9, 0.2, 0.8], 0.5, 0, 'the first below the bar ends the answer; a later one never fills in'],
    [[0.9, 0.8, 0.2, 0.7], 0.5, 1, 'stops at the third'],
    [[0.9], 0.5, 0, 'one passage only'],
    [[0.9, 0.5], 0.5, 1, 'at the bar counts as passing'],
  ])('%j at %f → %i (%s)', (probabilities, bar, expected) => {
    expect(shownAfterFirst(probabilities, bar)).toBe(expected);
  });
});

describe('chooseShowAtLeast', () => {
  // 30 answered questions: a relevant second passage at 0.8 and an irrelevant third at 0.6.
  const items = Array.from({ length: 30 }, (_, i) => scored('answerable', [1, 1, 0], [0.9, 0.8, 0.6], `q${i}`));

  it('takes the lowest bar whose shown passages reach the precision', () => {
    // At 0.6 both later passages show (precision ½); at 0.8 only the relevant one (precision 1).
    expect(chooseShowAtLeast(items, 0.1, 0.75)).toBeCloseTo(0.8, 12);
    expect(chooseShowAtLeast(items, 0.1, 0.5)).toBeCloseTo(0.6, 12);
  });

  it('is never below the abstention point', () => {
    expect(chooseShowAtLeast(items, 0.85, 0.5)).toBe(1);
    const higher = Array.from({ length: 30 }, (_, i) => scored('answerable', [1, 1], [0.95, 0.9], `h${i}`));
    expect(chooseShowAtLeast(higher, 0.85, 0.5)).toBeCloseTo(0.9, 12);
  });

  it('shows only the first passage (1) when no bar reaches the precision', () => {
    const irrelevant = Array.from({ length: 30 }, (_, i) => scored('answerable', [1, 0, 0], [0.9, 0.8, 0.7], `i${i}`));
    expect(chooseShowAtLeast(irrelevant, 0.1, 0.75)).toBe(1);
  });

  it('does not choose a bar on a handful of passages', () => {
    const few = Array.from({ length: 5 }, (_, i) => scored('answerable', [1, 1], [0.9, 0.8], `f${i}`));
    expect(chooseShowAtLeast(few, 0.1, 0.75)).toBe(1);
  });
});

describe('evaluateDecisions', () => {
  const items: ScoredQuestion[] = [
    scored('answerable', [1, 1, 0], [0.9, 0.7, 0.6], 'a1'), // answered, shows 1 relevant later passage at 0.65
    scored('answerable', [1, 0], [0.2, 0.1], 'a2'), // correct first, abstained: a false abstention
    scored('answerable', [0, 1], [0.8, 0.3], 'a3'), // answered with a wrong first passage
    scored('excluded', [0, 0], [0.1, 0.05], 'a1/excluded'), // declined
    { question: question('u1', 'unanswerable', [0, 0], { unanswerableKind: 'near-topic' }), probabilities: [0.7, 0.66] }, // answered: shows 1 irrelevant later
    { question: question('u2', 'unanswerable', [0], { unanswerableKind: 'off-topic' }), probabilities: [0.1] }, // declined
  ];
  const report = evaluateDecisions(items, 0.3, 0.65);

  it('counts abstentions on each kind of question', () => {
    expect(report).toMatchObject({ questions: 6, answerable: 3, correctFirst: 2, unanswerable: 3 });
    expect(report.falseAbstentionRate).toBeCloseTo(1 / 2, 12);
    expect(report.answerableAnswered).toBeCloseTo(2 / 3, 12);
    expect(report.unanswerableDeclined).toBeCloseTo(2 / 3, 12);
    // 3 abstentions (a2, excluded, u2), 2 of them on unanswerable questions.
    expect(report.abstentionPrecision).toBeCloseTo(2 / 3, 12);
    expect(report.abstentionRecall).toBeCloseTo(2 / 3, 12);
    expect(report.declinedBy).toEqual({
      excluded: { declined: 1, of: 1 },
      'unanswerable/near-topic': { declined: 0, of: 1 },
      'unanswerable/off-topic': { declined: 1, of: 1 },
    });
  });

  it('counts passages shown after the first in answered questions only', () => {
    // a1 shows 0.7 (relevant) then stops at 0.6; a3 stops at 0.3; u1 shows 0.66 (irrelevant).
    expect(report.shownAfterFirst).toBe(2);
    expect(report.shownPrecision).toBeCloseTo(1 / 2, 12);
    // 3 answers (a1, a3, u1) showing 2 + 1 + 2 passages.
    expect(report.shownPerAnswer).toBeCloseTo(5 / 3, 12);
  });
});

describe('scoreQuestions', () => {
  // One feature, weight 1, no standardisation: probability σ(x).
  const model = { features: ['x'], mean: [0], scale: [1], weights: [1], bias: 0 };
  const q: LabelledQuestion = {
    ...question('q', 'answerable', []),
    passages: [
      { label: 0, evidence: { x: 0 } },
      { label: 1, evidence: { x: 2 } },
      { label: 0, evidence: { x: 0 } },
    ],
  };

  it('orders passages as the engine does: most probable first, ties in fused order', () => {
    const [scoredQuestion] = scoreQuestions(model, [q]);
    expect(scoredQuestion?.probabilities).toEqual([logistic(2), 0.5, 0.5]);
    expect(scoredQuestion?.question.passages.map((passage) => passage.label)).toEqual([1, 0, 0]);
  });

  it('keeps the fused order without reranking', () => {
    expect(scoreQuestions(model, [q], false)[0]?.question.passages.map((passage) => passage.label)).toEqual([0, 1, 0]);
  });
});

describe('sourceBalancedWeights', () => {
  it('gives each source the same total weight, mean 1', () => {
    const questions = [
      { ...question('a1', 'answerable', [1, 0, 0]), source: 'big' },
      { ...question('a2', 'answerable', [1, 0, 0]), source: 'big' },
      { ...question('b1', 'answerable', [1, 0]), source: 'small' },
    ];
    // 8 passages: 6 from "big" weigh 8 / (2 · 6) each, 2 from "small" 8 / (2 · 2) each.
    expect(sourceBalancedWeights(questions)).toEqual([...new Array(6).fill(8 / 12), 2, 2]);
  });
});

describe('chooseAbstainBelowPerSource', () => {
  it('keeps the lowest per-source threshold, so the target holds on every source', () => {
    const bySource = (source: string, probabilities: number[]) =>
      probabilities.map((p, i) => ({ question: { ...question(`${source}${i}`, 'answerable', [1]), source }, probabilities: [p] }));
    const items = [...bySource('easy', Array.from({ length: 40 }, (_, i) => 0.8 + i / 1000)), ...bySource('hard', [0.3, 0.4, 0.5])];
    // Pooled, floor(3 % of 43) = 1 abstention is allowed, and it falls on the hard source (its 0.3).
    expect(chooseAbstainBelow(items, 0.03)).toBeCloseTo(0.4, 12);
    // Per source, the hard one allows none (floor(3 % of 3) = 0).
    expect(chooseAbstainBelowPerSource(items, 0.03)).toBeCloseTo(0.3, 12);
    // A source with no correct first passage to protect does not pull the threshold to 0.
    expect(chooseAbstainBelowPerSource([...items, { question: { ...question('u', 'unanswerable', [0]), source: 'none' }, probabilities: [0.01] }], 0.03)).toBeCloseTo(0.3, 12);
  });
});

describe('chooseAbstainBelowSourceAverage', () => {
  const bySource = (source: string, probabilities: number[]) =>
    probabilities.map((p, i) => ({ question: { ...question(`${source}${i}`, 'answerable', [1]), source }, probabilities: [p] }));

  it('keeps the mean of the per-source false-abstention rates within the target', () => {
    // 100 correct answers in "big" (0.01 … 1.00) and 10 in "small" (0.05 … 0.50).
    const items = [...bySource('big', Array.from({ length: 100 }, (_, i) => (i + 1) / 100)), ...bySource('small', Array.from({ length: 10 }, (_, i) => (i + 1) / 20))];
    // At 0.02: big 1 % + small 0 % → 0.5 %. At 0.05: big 4 % → 2 %. At 0.06: big 5 % + small 10 % → 7.5 %: too many.
    expect(chooseAbstainBelowSourceAverage(items, 0.03)).toBeCloseTo(0.05, 12);
    // Pooled, 3 of 110 may be abstained on (0.01–0.03), so the cut is 0.04.
    expect(chooseAbstainBelow(items, 0.03)).toBeCloseTo(0.04, 12);
  });

  it('is 0 without a correct first passage to protect', () => {
    expect(chooseAbstainBelowSourceAverage([scored('unanswerable', [0], [0.4])], 0.03)).toBe(0);
  });
});

describe('trainRelevanceModel', () => {
  /**
   * Synthetic questions whose relevant passages have a higher "signal" feature: answerable
   * questions have a relevant first passage; unanswerable ones have none. A model fitted on them
   * must rank relevant above irrelevant and keep false abstentions at the target on validation.
   */
  function syntheticQuestions(count: number): LabelledQuestion[] {
    const random = uniforms(11);
    return Array.from({ length: count }, (_, i) => {
      const answerable = i % 3 !== 0;
      const labels: (0 | 1)[] = answerable ? [1, random() < 0.5 ? 1 : 0, 0] : [0, 0, 0];
      return {
        ...question(`q${i}`, answerable ? 'answerable' : 'unanswerable', labels),
        passages: labels.map((label) => ({ label, evidence: { signal: label + random() * 1.2, noise: random() } })),
      };
    });
  }
  const result = trainRelevanceModel(syntheticQuestions(600), {
    modelId: 'test/model',
    features: ['signal', 'noise'],
    l2: 1,
    validationShare: 0.3,
    targets: DEFAULT_TARGETS,
    trainedOn: ['synthetic'],
    trainedAt: '2026-12-01',
  });

  it('learns that the signal matters and the noise does not', () => {
    expect(result.model.weights[0]).toBeGreaterThan(1);
    expect(Math.abs(result.model.weights[1] ?? Infinity)).toBeLessThan(0.3);
  });

  it('chooses operating points on validation that meet the targets, and records them', () => {
    expect(result.validation.falseAbstentionRate).toBeLessThanOrEqual(DEFAULT_TARGETS.maxFalseAbstention);
    expect(result.validation.unanswerableDeclined).toBeGreaterThan(0.5);
    expect(result.model.showAtLeast).toBeGreaterThanOrEqual(result.model.abstainBelow);
    expect(result.model.training).toMatchObject({
      trainedAt: '2026-12-01',
      trainedOn: ['synthetic'],
      trainQuestions: result.trainQuestions,
      validationQuestions: 600 - result.trainQuestions,
      falseAbstentionRate: result.validation.falseAbstentionRate,
    });
    expect(result.trainPassages).toBe(result.trainQuestions * 3);
  });

  it('cross-validates a trained-on set: each question measured once, by a model fitted without it', () => {
    const set = syntheticQuestions(150).map((q) => ({ ...q, source: 'docs', group: `docs#${q.group}`, id: `docs#${q.id}` }));
    const others = syntheticQuestions(300);
    const options = { modelId: 'm', features: ['signal', 'noise'], l2: 1, validationShare: 0.3, targets: DEFAULT_TARGETS, trainedOn: [], trainedAt: '' };
    const { report, abstainBelow } = crossValidate(set, others, options, 5);
    expect(report.questions).toBe(150);
    expect(abstainBelow).toHaveLength(5);
    // Separable enough that the held-out folds still meet the target roughly, and decline most unanswerable ones.
    expect(report.unanswerableDeclined).toBeGreaterThan(0.5);
  });
});
