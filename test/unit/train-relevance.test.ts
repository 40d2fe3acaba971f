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
  shownAfterFirst,
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
});
