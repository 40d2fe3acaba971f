/** The relevance model file: parsing from unknown, clear errors, the shipped model, and prediction. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CitebotError } from '../../src/core/errors.ts';
import { BACKGROUND_COSINE, EVIDENCE_FEATURES } from '../../src/retrieval/evidence.ts';
import { cosineOnlyRelevanceModel, isTrained, loadRelevanceModel, logistic, parseRelevanceModel, relevanceProbability, type RelevanceModel } from '../../src/retrieval/relevance-model.ts';


/** A valid model: weight 2 on cosine (mean 0.5, scale 0.1), nothing on the rest, bias −1. */
function validModel(): Record<string, unknown> {
  return {
    modelId: 'Xenova/bge-small-en-v1.5',
    features: [...EVIDENCE_FEATURES],
    mean: EVIDENCE_FEATURES.map((feature) => (feature === 'cosine' ? 0.5 : 0)),
    scale: EVIDENCE_FEATURES.map((feature) => (feature === 'cosine' ? 0.1 : 1)),
    weights: EVIDENCE_FEATURES.map((feature) => (feature === 'cosine' ? 2 : 0)),
    bias: -1,
    abstainBelow: 0.3,
    showAtLeast: 0.6,
    training: {
      trainedAt: '2026-12-01',
      trainedOn: ['beir:scifact:train'],
      trainQuestions: 10,
      trainPassages: 50,
      l2: 1,
      validationQuestions: 5,
      falseAbstentionRate: 0.02,
      abstentionPrecision: 0.9,
      abstentionRecall: 0.5,
      shownPrecision: 0.8,
      shownPerAnswer: 1.4,
    },
  };
}

const evidenceWith = (values: Record<string, number>) => Object.fromEntries(EVIDENCE_FEATURES.map((feature) => [feature, values[feature] ?? 0]));

describe('parseRelevanceModel', () => {
  it('accepts a well-formed model', () => {
    const model = parseRelevanceModel(validModel(), 'test.json');
    expect(model.features).toEqual(EVIDENCE_FEATURES);
    expect(model.abstainBelow).toBe(0.3);
  });

  const broken: [string, (raw: Record<string, unknown>) => void, RegExp][] = [
    ['a missing field', (raw) => delete raw['bias'], /bias/],
    ['a probability above 1', (raw) => (raw['abstainBelow'] = 1.5), /abstainBelow/],
    ['a zero scale', (raw) => ((raw['scale'] as number[])[0] = 0), /scale\.0: must be > 0/],
    ['features of another citebot', (raw) => (raw['features'] = ['cosine', 'somethingElse']), /features are \[cosine, somethingElse\], this citebot computes/],
    ['features in another order', (raw) => (raw['features'] = [...EVIDENCE_FEATURES].reverse()), /features are/],
    ['too few weights', (raw) => (raw['weights'] = [1]), /weights has 1 values for \d+ features/],
    ['a weight that is not a number', (raw) => ((raw['weights'] as unknown[])[0] = 'x'), /weights\.0/],
    ['no training summary', (raw) => delete raw['training'], /training/],
  ];
  it.each(broken)('rejects %s with MODEL_MISSING naming the file and the problem', (_case, breakIt, problem) => {
    const raw = validModel();
    breakIt(raw);
    let error: unknown;
    try {
      parseRelevanceModel(raw, 'models/x/citebot-relevance.json');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CitebotError);
    expect((error as CitebotError).code).toBe('MODEL_MISSING');
    expect((error as CitebotError).message).toContain('models/x/citebot-relevance.json');
    expect((error as CitebotError).message).toMatch(problem);
  });

  it('rejects something that is not an object', () => {
    expect(() => parseRelevanceModel([1, 2], 'a.json')).toThrow(/a\.json is not usable/);
  });
});

describe('loadRelevanceModel', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'citebot-relevance-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('reads a model file', async () => {
    const file = path.join(folder, 'good.json');
    await writeFile(file, JSON.stringify(validModel()));
    expect((await loadRelevanceModel(file)).bias).toBe(-1);
  });

  it('says which file is missing', async () => {
    await expect(loadRelevanceModel(path.join(folder, 'absent.json'))).rejects.toThrow(/absent\.json cannot be read/);
  });

  it('says which file is not JSON', async () => {
    const file = path.join(folder, 'broken.json');
    await writeFile(file, '{"modelId": "x", ');
    await expect(loadRelevanceModel(file)).rejects.toThrow(/broken\.json is not usable: it is not valid JSON/);
  });

  // Models without a trained file (and the shipped one's decision) run on this stand-in.
  it('the cosine-only stand-in weighs the cosine alone, turns at the cosine threshold and is not "trained"', () => {
    const model = cosineOnlyRelevanceModel('Xenova/bge-small-en-v1.5', 0.635);
    expect(model.features).toEqual(['cosine']);
    expect(isTrained(model)).toBe(false);
    expect(relevanceProbability(model, evidenceWith({ cosine: 0.635 }))).toBeCloseTo(0.5, 10);
    expect(relevanceProbability(model, evidenceWith({ cosine: 0.7 }))).toBeGreaterThan(model.abstainBelow);
    expect(relevanceProbability(model, evidenceWith({ cosine: 0.6 }))).toBeLessThan(model.abstainBelow);
    // Only the cosine counts: lexical evidence cannot move the stand-in.
    expect(relevanceProbability(model, evidenceWith({ cosine: 0.6, termCoverage: 1, fused: 1 }))).toBe(relevanceProbability(model, evidenceWith({ cosine: 0.6 })));
  });

  it('with a background weight it turns where cosine − weight × background cosine reaches the threshold', () => {
    const model = cosineOnlyRelevanceModel('Xenova/bge-small-en-v1.5', 0.35, 0.5);
    expect(model.features).toEqual(['cosine', BACKGROUND_COSINE]);
    // 0.70 − 0.5 × 0.70 = 0.35: on the threshold.
    expect(relevanceProbability(model, { cosine: 0.7, [BACKGROUND_COSINE]: 0.7 })).toBeCloseTo(0.5, 10);
    // The same cosine is an answer where the corpus is far from the question (news), not where everything is near (docs).
    expect(relevanceProbability(model, { cosine: 0.7, [BACKGROUND_COSINE]: 0.45 })).toBeGreaterThan(model.abstainBelow);
    expect(relevanceProbability(model, { cosine: 0.7, [BACKGROUND_COSINE]: 0.75 })).toBeLessThan(model.abstainBelow);
    expect(() => relevanceProbability(model, { cosine: 0.7 })).toThrow(/backgroundCosine/);
  });
});

describe('relevanceProbability', () => {
  const model: RelevanceModel = parseRelevanceModel(validModel(), 'test.json');

  it.each([
    // z = −1 + 2 · (cosine − 0.5) / 0.1
    [0.5, logistic(-1)],
    [0.55, logistic(0)],
    [0.7, logistic(3)],
    [0.2, logistic(-7)],
  ])('cosine %f → σ(z) = %f', (cosine, expected) => {
    expect(relevanceProbability(model, evidenceWith({ cosine }))).toBeCloseTo(expected, 12);
  });

  it('ignores features weighted 0', () => {
    expect(relevanceProbability(model, evidenceWith({ cosine: 0.55, termCoverage: 0.9 }))).toBeCloseTo(0.5, 12);
  });

  it('throws on evidence lacking a feature (a programming error, not a state)', () => {
    expect(() => relevanceProbability(model, { cosine: 0.5 })).toThrow(/lacks a finite/);
  });
});

describe('logistic', () => {
  it.each([
    [0, 0.5],
    [800, 1],
    [-800, 0],
    [Math.log(3), 0.75],
  ])('σ(%f) = %f without overflow', (z, expected) => {
    expect(logistic(z)).toBeCloseTo(expected, 12);
  });
});
