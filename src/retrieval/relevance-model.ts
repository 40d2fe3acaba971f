/**
 * The calibrated relevance model: a logistic regression over a passage's retrieval evidence
 * (evidence.ts) giving the probability that the passage answers the question, and the two
 * operating points citebot decides with. Fitted by `npm run calibrate`
 * (src/evaluation/train-relevance.ts) and shipped as reviewed JSON next to the embedding model it
 * was calibrated for (`models/<owner>/<model>/citebot-relevance.json`).
 *
 * Pure, except {@link loadRelevanceModel}, which reads the file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CitebotError } from '../core/errors.ts';
import type { Evidence } from '../core/types.ts';
import { BACKGROUND_COSINE, EVIDENCE_FEATURES } from './evidence.ts';

/** File name of a relevance model inside its embedding model's folder. */
export const RELEVANCE_MODEL_FILE = 'citebot-relevance.json';

/** Held-out quality measured when the model was trained, so a reviewer sees what a threshold buys. */
export interface RelevanceTrainingSummary {
  /** ISO date of the training run. */
  readonly trainedAt: string;
  /** Question sets the model was fitted on (`questions:…@…`, `beir:…`). */
  readonly trainedOn: readonly string[];
  readonly trainQuestions: number;
  readonly trainPassages: number;
  /** L2 penalty of the fit (on standardised features). */
  readonly l2: number;
  /** Questions of the validation split the operating points were chosen on (never fitted on). */
  readonly validationQuestions: number;
  /** On the validation split: share of answerable questions with a correct first passage that were abstained on. */
  readonly falseAbstentionRate: number;
  /** On the validation split: share of abstentions that were on unanswerable questions, and share of unanswerable questions abstained on. */
  readonly abstentionPrecision: number;
  readonly abstentionRecall: number;
  /** On the validation split: share of passages shown after the first that are relevant, and how many are shown per answer. */
  readonly shownPrecision: number;
  readonly shownPerAnswer: number;
}

export interface RelevanceModel {
  /** The embedding model whose cosines the model was fitted on (cosines are not comparable across models). */
  readonly modelId: string;
  /** Feature names in weight order; must equal {@link EVIDENCE_FEATURES}. */
  readonly features: readonly string[];
  /** Standardisation: each feature becomes (x − mean) / scale before it is weighed. */
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly bias: number;
  /** Top passage probability below which citebot abstains. */
  readonly abstainBelow: number;
  /** Probability a passage after the first needs to be shown. */
  readonly showAtLeast: number;
  readonly training: RelevanceTrainingSummary;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const probability = z.number().min(0).max(1);

const trainingSchema = z.object({
  trainedAt: z.string().min(1),
  trainedOn: z.array(z.string()),
  trainQuestions: z.number().int().nonnegative(),
  trainPassages: z.number().int().nonnegative(),
  l2: z.number().nonnegative(),
  validationQuestions: z.number().int().nonnegative(),
  falseAbstentionRate: probability,
  abstentionPrecision: probability,
  abstentionRecall: probability,
  shownPrecision: probability,
  shownPerAnswer: z.number().nonnegative(),
});

const modelSchema = z.object({
  modelId: z.string().min(1),
  features: z.array(z.string().min(1)).min(1),
  mean: z.array(finite),
  scale: z.array(finite.refine((value) => value > 0, 'must be > 0')),
  weights: z.array(finite),
  bias: finite,
  abstainBelow: probability,
  showAtLeast: probability,
  training: trainingSchema,
});

function modelError(source: string, problem: string): CitebotError {
  return new CitebotError('MODEL_MISSING', `The relevance model ${source} is not usable: ${problem}.`, {
    hint: 'Restore it from git, or train it again with `npm run calibrate` (it must be trained for this citebot\'s evidence features).',
  });
}

/**
 * Parses a relevance model from `unknown` (the file's JSON). Throws MODEL_MISSING naming `source`
 * and the first problem: a missing or mistyped field, arrays of the wrong length, or features that
 * are not this citebot's {@link EVIDENCE_FEATURES} (a model trained for other evidence would weigh
 * the wrong numbers silently).
 */
export function parseRelevanceModel(raw: unknown, source: string): RelevanceModel {
  const parsed = modelSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    throw modelError(source, `${where}${issue?.message ?? 'unexpected content'}`);
  }
  const model = parsed.data;
  const expected = EVIDENCE_FEATURES.join(', ');
  if (model.features.join(', ') !== expected) {
    throw modelError(source, `its features are [${model.features.join(', ')}], this citebot computes [${expected}]`);
  }
  for (const field of ['mean', 'scale', 'weights'] as const) {
    if (model[field].length !== model.features.length) {
      throw modelError(source, `${field} has ${model[field].length} values for ${model.features.length} features`);
    }
  }
  return model;
}

/** Reads and parses a relevance model file; MODEL_MISSING when it is absent, not JSON or not a model. */
export async function loadRelevanceModel(file: string): Promise<RelevanceModel> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new CitebotError('MODEL_MISSING', `The relevance model ${file} cannot be read.`, {
      cause,
      hint: 'Restore it from git, or train one with `npm run calibrate`.',
    });
  });
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw modelError(file, 'it is not valid JSON');
  }
  return parseRelevanceModel(raw, file);
}

/** The logistic function, written so that neither tail overflows. */
export function logistic(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * The linear score (log-odds) of a feature vector given in {@link RelevanceModel.features} order:
 * standardise, weigh, add the bias. Pure.
 */
export function relevanceLogit(model: Pick<RelevanceModel, 'mean' | 'scale' | 'weights' | 'bias'>, values: readonly number[]): number {
  let z = model.bias;
  for (let i = 0; i < values.length; i++) {
    z += (model.weights[i] ?? 0) * (((values[i] ?? 0) - (model.mean[i] ?? 0)) / (model.scale[i] ?? 1));
  }
  return z;
}

/**
 * Probability that the passage with this evidence answers the question. Pure. Throws an Error
 * when the evidence lacks one of the model's features: that is a programming error (the model was
 * checked against {@link EVIDENCE_FEATURES} when parsed), not a state to render.
 */
export function relevanceProbability(model: RelevanceModel, evidence: Evidence): number {
  const values = model.features.map((feature) => {
    const value = evidence[feature];
    if (value === undefined || !Number.isFinite(value)) throw new Error(`relevance evidence lacks a finite "${feature}"`);
    return value;
  });
  return logistic(relevanceLogit(model, values));
}

/** The training summary of a model nobody trained (the stand-in, the neutral model used to collect evidence). */
export const UNTRAINED: RelevanceTrainingSummary = {
  trainedAt: '',
  trainedOn: [],
  trainQuestions: 0,
  trainPassages: 0,
  l2: 0,
  validationQuestions: 0,
  falseAbstentionRate: 0,
  abstentionPrecision: 0,
  abstentionRecall: 0,
  shownPrecision: 0,
  shownPerAnswer: 0,
};

/**
 * How sharply the stand-in model's probability turns around its threshold: ±0.05 of cosine
 * moves it from 0.12 to 0.88 (bge's relevant passages spread over ~0.55–0.82).
 */
const COSINE_ONLY_STEEPNESS = 40;

/**
 * The stand-in for an embedding model that has no trained relevance model yet, and the rule the
 * shipped model decides with: a steep logistic, turning at `threshold`, of the cosine contrasted
 * with the question's background — cosine − `backgroundWeight` × background cosine (evidence.ts
 * `BACKGROUND_COSINE`; a weight of 0 is the plain cosine rule citebot used before). It abstains and
 * filters by meaning only, and since it weighs nothing lexical, the engine must not reorder by it
 * (see `trained`).
 */
export function cosineOnlyRelevanceModel(modelId: string, threshold: number, backgroundWeight = 0): RelevanceModel {
  const features = backgroundWeight === 0 ? ['cosine'] : ['cosine', BACKGROUND_COSINE];
  return {
    modelId,
    features,
    mean: features.map(() => 0),
    scale: features.map(() => 1),
    weights: [COSINE_ONLY_STEEPNESS, -COSINE_ONLY_STEEPNESS * backgroundWeight].slice(0, features.length),
    bias: -COSINE_ONLY_STEEPNESS * threshold,
    abstainBelow: 0.5,
    showAtLeast: 0.5,
    training: UNTRAINED,
  };
}

/** True for a model fitted by `npm run calibrate`, false for the cosine-only stand-in. */
export function isTrained(model: RelevanceModel): boolean {
  return model.training.trainQuestions > 0;
}
