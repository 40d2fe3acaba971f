/**
 * Fitting the relevance model (retrieval/relevance-model.ts) and choosing its operating points.
 * Pure: examples in, a model and its measurements out.
 *
 * The model is an L2-regularised logistic regression on standardised evidence, fitted by Newton's
 * method (iteratively reweighted least squares): with ten features and ~10⁴ passages each step is
 * a 10×10 solve, it converges in a handful of steps, and the answer does not depend on a learning
 * rate or a random start.
 *
 * Questions, not passages, are split into training and validation: the passages of one question
 * share its words and its best cosine, so splitting them would let the validation side see its
 * own question in training. A question asked again with its gold passages excluded (the near-topic
 * variant, relevance-dataset.ts) is the same question and goes to the same side.
 */
import type { Evidence } from '../core/types.ts';
import { logistic, relevanceLogit, type RelevanceModel, type RelevanceTrainingSummary } from '../retrieval/relevance-model.ts';

/**
 * How a question was made. `answerable`: asked as written, its gold passages are in the index.
 * `excluded`: an answerable question asked again with every gold span excluded from the index —
 * near-topic and unanswerable by construction (the rest of its page stays). `unanswerable`: one
 * of the set's own unanswerable questions.
 */
export type QuestionOrigin = 'answerable' | 'excluded' | 'unanswerable';

/** One question asked of the engine with `explain: true`, its passages in rank order, each labelled. */
export interface LabelledQuestion {
  /** Unique per example question (e.g. `vitest-docs#12`, `vitest-docs#12/excluded`). */
  readonly id: string;
  /** The split is made on this: a question and its excluded variant share it. */
  readonly group: string;
  /** The source the question came from (`questions:…@…` or `beir:…`). */
  readonly source: string;
  readonly origin: QuestionOrigin;
  /** What the question file says an unanswerable question is (`near-topic`, `off-topic`), when it says. */
  readonly unanswerableKind: string | undefined;
  /** Passages, best first: 1 when the passage (or a duplicate collapsed into it) overlaps a gold span. */
  readonly passages: readonly { readonly label: 0 | 1; readonly evidence: Evidence }[];
}

/** True when the question has an answer in the index: the engine should answer it. */
export function isAnswerable(question: LabelledQuestion): boolean {
  // An excluded variant that still reaches a relevant passage (one gold span overlapping another
  // file's duplicate, say) is answerable after all; never count it as a correct abstention.
  return question.origin === 'answerable' || question.passages.some((passage) => passage.label === 1);
}

/**
 * 32-bit FNV-1a followed by MurmurHash3's finaliser: a fixed, platform-independent hash, so the
 * split is the same on every machine and run. FNV-1a alone mixes its last bytes into the high bits
 * poorly — ids that differ only in a trailing digit (`set#a1` … `set#a9`) land in the same narrow
 * range — and the split reads the high bits; the finaliser spreads every input bit over all of them.
 */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

const UINT32_RANGE = 2 ** 32;

/**
 * Deterministic split of questions by {@link LabelledQuestion.group}: a group goes to validation
 * when the hash of `salt:group` falls in the first `validationShare` of the hash range. Pure.
 */
export function splitByGroup<T extends { readonly group: string }>(items: readonly T[], validationShare: number, salt = ''): { train: T[]; validation: T[] } {
  const train: T[] = [];
  const validation: T[] = [];
  for (const item of items) (stableHash(`${salt}:${item.group}`) / UINT32_RANGE < validationShare ? validation : train).push(item);
  return { train, validation };
}

/** The part (0 … parts − 1) a key falls in, by the same hash: for splitting a dataset by article. Pure. */
export function hashPart(key: string, parts: number, salt = ''): number {
  return Math.floor((stableHash(`${salt}:${key}`) / UINT32_RANGE) * parts);
}

export interface LogisticFit {
  readonly mean: number[];
  readonly scale: number[];
  readonly weights: number[];
  readonly bias: number;
  readonly iterations: number;
}

/** Newton steps allowed; each one roughly squares the error, so convergence takes well under ten. */
const MAX_NEWTON_STEPS = 100;
/** Converged when no coefficient moves by more than this in a step. */
const NEWTON_TOLERANCE = 1e-9;

/** Solves A·x = b for a small dense symmetric positive-definite A (Gaussian elimination with partial pivoting). Pure. */
export function solveLinearSystem(matrix: readonly (readonly number[])[], rhs: readonly number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i] ?? 0]);
  const at = (i: number, j: number) => a[i]?.[j] ?? 0;
  for (let column = 0; column < n; column++) {
    let pivot = column;
    for (let row = column + 1; row < n; row++) if (Math.abs(at(row, column)) > Math.abs(at(pivot, column))) pivot = row;
    if (at(pivot, column) === 0) throw new Error('the system is singular');
    [a[column], a[pivot]] = [a[pivot] as number[], a[column] as number[]];
    const pivotRow = a[column] as number[];
    for (let row = column + 1; row < n; row++) {
      const current = a[row] as number[];
      const factor = (current[column] ?? 0) / (pivotRow[column] ?? 1);
      for (let j = column; j <= n; j++) current[j] = (current[j] ?? 0) - factor * (pivotRow[j] ?? 0);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = at(row, n);
    for (let j = row + 1; j < n; j++) sum -= at(row, j) * (x[j] ?? 0);
    x[row] = sum / at(row, row);
  }
  return x;
}

/** Mean and standard deviation per column; a constant column gets scale 1 (it carries nothing, and dividing by 0 would). */
export function standardisation(rows: readonly (readonly number[])[], width: number): { mean: number[]; scale: number[] } {
  const mean = new Array<number>(width).fill(0);
  const scale = new Array<number>(width).fill(0);
  for (const row of rows) for (let j = 0; j < width; j++) mean[j] = (mean[j] ?? 0) + (row[j] ?? 0) / rows.length;
  for (const row of rows) for (let j = 0; j < width; j++) scale[j] = (scale[j] ?? 0) + ((row[j] ?? 0) - (mean[j] ?? 0)) ** 2 / rows.length;
  return { mean, scale: scale.map((variance) => (variance > 0 ? Math.sqrt(variance) : 1)) };
}

/**
 * L2-regularised logistic regression on standardised features, by Newton's method. `l2` is λ in
 * Σ sᵢ·log-likelihoodᵢ − λ/2·‖w‖² (the bias is not penalised), with sample weights sᵢ (default 1).
 * Pure and deterministic.
 */
export function fitLogisticRegression(rows: readonly (readonly number[])[], labels: readonly number[], l2: number, sampleWeights?: readonly number[]): LogisticFit {
  if (rows.length === 0) throw new Error('no examples to fit');
  const width = rows[0]?.length ?? 0;
  const { mean, scale } = standardisation(rows, width);
  const standardised = rows.map((row) => row.map((value, j) => (value - (mean[j] ?? 0)) / (scale[j] ?? 1)));
  // Coefficients: weights 0 … width − 1, then the bias.
  const size = width + 1;
  let beta = new Array<number>(size).fill(0);
  let iterations = 0;
  for (; iterations < MAX_NEWTON_STEPS; iterations++) {
    const gradient = new Array<number>(size).fill(0);
    const hessian = Array.from({ length: size }, () => new Array<number>(size).fill(0));
    standardised.forEach((x, i) => {
      const features = [...x, 1];
      const p = logistic(features.reduce((sum, value, j) => sum + value * (beta[j] ?? 0), 0));
      const sample = sampleWeights?.[i] ?? 1;
      const residual = sample * ((labels[i] ?? 0) - p);
      const weight = sample * p * (1 - p);
      for (let j = 0; j < size; j++) {
        const fj = features[j] ?? 0;
        gradient[j] = (gradient[j] ?? 0) + residual * fj;
        const hessianRow = hessian[j] as number[];
        for (let m = j; m < size; m++) hessianRow[m] = (hessianRow[m] ?? 0) + weight * fj * (features[m] ?? 0);
      }
    });
    for (let j = 0; j < size; j++) {
      const hessianRow = hessian[j] as number[];
      for (let m = 0; m < j; m++) hessianRow[m] = hessian[m]?.[j] ?? 0;
      if (j < width) {
        gradient[j] = (gradient[j] ?? 0) - l2 * (beta[j] ?? 0);
        hessianRow[j] = (hessianRow[j] ?? 0) + l2;
      }
    }
    const step = solveLinearSystem(hessian, gradient);
    beta = beta.map((value, j) => value + (step[j] ?? 0));
    if (Math.max(...step.map(Math.abs)) < NEWTON_TOLERANCE) {
      iterations++;
      break;
    }
  }
  return { mean, scale, weights: beta.slice(0, width), bias: beta[width] ?? 0, iterations };
}

/** What the operating points are chosen for. */
export interface OperatingTargets {
  /** Most answerable questions with a correct first passage that may be abstained on (held-out share). */
  readonly maxFalseAbstention: number;
  /** Share of the passages shown after the first that must be relevant. */
  readonly showPrecision: number;
}

/** The brief's targets: ≤ 3 % false abstentions; passages after the first "mostly relevant" — three in four. */
export const DEFAULT_TARGETS: OperatingTargets = { maxFalseAbstention: 0.03, showPrecision: 0.75 };

/** A question's passages under a model, in the order the engine shows them, with their probabilities. */
export interface ScoredQuestion {
  /** The question with its passages reordered as the engine orders them (most probable first). */
  readonly question: LabelledQuestion;
  readonly probabilities: readonly number[];
}

/**
 * Each question's passages weighed by the model and ordered as the engine orders its candidate
 * pool (engine.ts: by probability, ties in the fused order), so that the first passage is the one
 * the engine answers with. `rerank: false` keeps the fused order. Pure.
 */
export function scoreQuestions(
  model: Pick<RelevanceModel, 'features' | 'mean' | 'scale' | 'weights' | 'bias'>,
  questions: readonly LabelledQuestion[],
  rerank = true,
): ScoredQuestion[] {
  return questions.map((question) => {
    const weighed = question.passages.map((passage, i) => ({
      passage,
      i,
      probability: logistic(relevanceLogit(model, model.features.map((feature) => passage.evidence[feature] ?? 0))),
    }));
    if (rerank) weighed.sort((a, b) => b.probability - a.probability || a.i - b.i);
    return { question: { ...question, passages: weighed.map((item) => item.passage) }, probabilities: weighed.map((item) => item.probability) };
  });
}

const correctFirst = (scored: ScoredQuestion) => scored.question.origin === 'answerable' && scored.question.passages[0]?.label === 1;

/**
 * The highest abstention threshold that abstains on at most `maxFalseAbstention` of the answerable
 * questions whose first passage is correct — which declines as many of the others as any threshold
 * can at that cost. Abstention is `probability < threshold`, so the threshold is the probability
 * of the first correct answer that must still be kept. Pure.
 */
export function chooseAbstainBelow(scored: readonly ScoredQuestion[], maxFalseAbstention: number): number {
  const keep = scored
    .filter(correctFirst)
    .map((item) => item.probabilities[0] ?? 0)
    .sort((a, b) => a - b);
  if (keep.length === 0) return 0;
  const allowed = Math.floor(maxFalseAbstention * keep.length);
  return keep[Math.min(allowed, keep.length - 1)] ?? 0;
}

/** Fewest passages after the first the show threshold is chosen on: a precision over a handful is noise. */
const MIN_SHOWN_FOR_THRESHOLD = 20;

/**
 * How many passages after the first an answer shows at `showAtLeast`: the engine's rule
 * (engine.ts `passagesToShow`): passages are shown in rank order while each is relevant enough,
 * so the first one below the bar ends the answer — a later passage is never shown to fill k. Pure.
 */
export function shownAfterFirst(probabilities: readonly number[], showAtLeast: number): number {
  let shown = 0;
  while (shown + 1 < probabilities.length && (probabilities[shown + 1] ?? 0) >= showAtLeast) shown++;
  return shown;
}

/** Passages shown after the first over the answered questions at `showAtLeast`, and how many of them are relevant. */
function shownCounts(answered: readonly ScoredQuestion[], showAtLeast: number): { shown: number; relevant: number } {
  let shown = 0;
  let relevant = 0;
  for (const item of answered) {
    const count = shownAfterFirst(item.probabilities, showAtLeast);
    shown += count;
    for (let i = 1; i <= count; i++) relevant += item.question.passages[i]?.label ?? 0;
  }
  return { shown, relevant };
}

/**
 * The lowest probability at which the passages shown after the first, in the questions that are
 * answered, are relevant at `precision` or better, over at least a few passages. Never below
 * `abstainBelow`: a supporting passage should be at least as credible as an answer. 1 (show only
 * the first) when no threshold reaches the precision. Pure.
 */
export function chooseShowAtLeast(scored: readonly ScoredQuestion[], abstainBelow: number, precision: number): number {
  const answered = scored.filter((item) => item.probabilities.length > 0 && (item.probabilities[0] ?? 0) >= abstainBelow);
  const candidates = [...new Set(answered.flatMap((item) => item.probabilities.slice(1)))].filter((p) => p >= abstainBelow).sort((a, b) => a - b);
  for (const threshold of candidates) {
    const { shown, relevant } = shownCounts(answered, threshold);
    if (shown >= MIN_SHOWN_FOR_THRESHOLD && relevant / shown >= precision) return threshold;
  }
  return 1;
}

/** How a model with its operating points behaves on a set of questions. */
export interface DecisionReport {
  readonly questions: number;
  readonly answerable: number;
  /** Answerable questions whose first passage is relevant. */
  readonly correctFirst: number;
  readonly unanswerable: number;
  /** Abstentions on answerable questions whose first passage is correct, over those questions. */
  readonly falseAbstentionRate: number;
  /** Answerable questions answered (not abstained on), over all answerable. */
  readonly answerableAnswered: number;
  /** Unanswerable questions abstained on, over all unanswerable: the abstention recall. */
  readonly unanswerableDeclined: number;
  /** Per `origin/kind` of unanswerable question (`excluded`, `unanswerable/near-topic`, …): declined share and count. */
  readonly declinedBy: Readonly<Record<string, { readonly declined: number; readonly of: number }>>;
  /** Abstentions on unanswerable questions, over all abstentions (0 when there are none). */
  readonly abstentionPrecision: number;
  readonly abstentionRecall: number;
  /** Passages shown after the first (answered questions) and the share of them that is relevant. */
  readonly shownAfterFirst: number;
  readonly shownPrecision: number;
  /** Passages shown per answered question, the first included. */
  readonly shownPerAnswer: number;
}

const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

/** What `abstainBelow` and `showAtLeast` do on these questions. Pure. */
export function evaluateDecisions(scored: readonly ScoredQuestion[], abstainBelow: number, showAtLeast: number): DecisionReport {
  return evaluateDecisionsEach(scored.map((item) => ({ ...item, abstainBelow, showAtLeast })));
}

/** As {@link evaluateDecisions}, each question under its own operating points (cross-validation folds each have theirs). Pure. */
export function evaluateDecisionsEach(scored: readonly (ScoredQuestion & { readonly abstainBelow: number; readonly showAtLeast: number })[]): DecisionReport {
  let answerable = 0;
  let answered = 0;
  let correct = 0;
  let falseAbstentions = 0;
  let unanswerable = 0;
  let declined = 0;
  let abstentions = 0;
  let shown = 0;
  let shownRelevant = 0;
  let answers = 0;
  const declinedBy: Record<string, { declined: number; of: number }> = {};
  for (const item of scored) {
    const { abstainBelow, showAtLeast } = item;
    const abstained = item.probabilities.length === 0 || (item.probabilities[0] ?? 0) < abstainBelow;
    if (abstained) abstentions++;
    if (isAnswerable(item.question)) {
      answerable++;
      if (!abstained) answered++;
      if (correctFirst(item)) {
        correct++;
        if (abstained) falseAbstentions++;
      }
    } else {
      unanswerable++;
      const kind = item.question.origin === 'excluded' ? 'excluded' : `unanswerable/${item.question.unanswerableKind ?? 'unlabelled'}`;
      const bucket = (declinedBy[kind] ??= { declined: 0, of: 0 });
      bucket.of++;
      if (abstained) {
        declined++;
        bucket.declined++;
      }
    }
    if (!abstained) {
      answers++;
      const counts = shownCounts([item], showAtLeast);
      shown += counts.shown;
      shownRelevant += counts.relevant;
    }
  }
  return {
    questions: scored.length,
    answerable,
    correctFirst: correct,
    unanswerable,
    falseAbstentionRate: ratio(falseAbstentions, correct),
    answerableAnswered: ratio(answered, answerable),
    unanswerableDeclined: ratio(declined, unanswerable),
    declinedBy,
    abstentionPrecision: ratio(declined, abstentions),
    abstentionRecall: ratio(declined, unanswerable),
    shownAfterFirst: shown,
    shownPrecision: ratio(shownRelevant, shown),
    shownPerAnswer: ratio(answers + shown, answers),
  };
}

export interface TrainingOptions {
  readonly modelId: string;
  /** Evidence features to fit on, in order (the shipped model uses EVIDENCE_FEATURES). */
  readonly features: readonly string[];
  readonly l2: number;
  /** Share of question groups held out of the fit to choose the operating points on. */
  readonly validationShare: number;
  readonly targets: OperatingTargets;
  /** Names of the training sources, recorded in the model. */
  readonly trainedOn: readonly string[];
  /** ISO date recorded in the model (passed in: this module reads no clock). */
  readonly trainedAt: string;
  /** Changes the split (default: none), for checking that results do not hinge on one split. */
  readonly splitSalt?: string;
  /**
   * Weigh every source equally in the fit (each passage by 1 / its source's share), instead of by
   * its number of passages: otherwise SciFact's and XQuAD's thousands of questions drown a docs set.
   */
  readonly balanceSources?: boolean;
  /**
   * How the false-abstention target is applied to the validation questions of several sources:
   * `pooled` (default) over all of them; `every-source` on each separately, keeping the lowest
   * threshold (with a handful of correct answers in a small source, that is its least confident
   * one); `source-average` on the mean of the sources' rates, each source weighing the same.
   */
  readonly abstainPoint?: AbstainPoint;
}

/** Sample weights giving each source the same total weight (mean weight 1). Pure. */
export function sourceBalancedWeights(questions: readonly LabelledQuestion[]): number[] {
  const passagesBySource = new Map<string, number>();
  for (const question of questions) passagesBySource.set(question.source, (passagesBySource.get(question.source) ?? 0) + question.passages.length);
  const total = [...passagesBySource.values()].reduce((sum, count) => sum + count, 0);
  return questions.flatMap((question) => question.passages.map(() => total / (passagesBySource.size * (passagesBySource.get(question.source) ?? 1))));
}

export type AbstainPoint = 'pooled' | 'every-source' | 'source-average';

/**
 * The highest threshold at which the false-abstention rate, averaged over the sources with a
 * correct first passage to protect (each source weighing the same), is at most
 * `maxFalseAbstention`. Pure.
 */
export function chooseAbstainBelowSourceAverage(scored: readonly ScoredQuestion[], maxFalseAbstention: number): number {
  const bySource = new Map<string, number[]>();
  for (const item of scored.filter(correctFirst)) {
    const kept = bySource.get(item.question.source) ?? [];
    kept.push(item.probabilities[0] ?? 0);
    bySource.set(item.question.source, kept);
  }
  if (bySource.size === 0) return 0;
  const averageRate = (threshold: number) =>
    [...bySource.values()].reduce((sum, probabilities) => sum + probabilities.filter((p) => p < threshold).length / probabilities.length, 0) / bySource.size;
  // The rate only grows with the threshold, and only changes at a kept probability.
  const candidates = [...new Set([...bySource.values()].flat())].sort((a, b) => a - b);
  let best = candidates[0] ?? 0;
  for (const threshold of candidates) {
    if (averageRate(threshold) > maxFalseAbstention) break;
    best = threshold;
  }
  return best;
}

/** {@link chooseAbstainBelow} per source, the lowest of them (sources without a correct first passage to protect are skipped). Pure. */
export function chooseAbstainBelowPerSource(scored: readonly ScoredQuestion[], maxFalseAbstention: number): number {
  const sources = [...new Set(scored.map((item) => item.question.source))];
  const thresholds = sources
    .map((source) => scored.filter((item) => item.question.source === source))
    .filter((items) => items.some(correctFirst))
    .map((items) => chooseAbstainBelow(items, maxFalseAbstention));
  return thresholds.length === 0 ? 0 : Math.min(...thresholds);
}

/** Defaults: λ = 1 barely regularises ~10⁴ passages, only keeping correlated features from running off; 30 % of questions choose the thresholds. */
export const DEFAULT_L2 = 1;
export const DEFAULT_VALIDATION_SHARE = 0.3;

export interface TrainingResult {
  readonly model: RelevanceModel;
  readonly fit: LogisticFit;
  /** The validation split, under the chosen operating points. */
  readonly validation: DecisionReport;
  readonly trainQuestions: number;
  readonly trainPassages: number;
}

/** Rows (features in order) and labels of every passage of the questions. */
export function designMatrix(questions: readonly LabelledQuestion[], features: readonly string[]): { rows: number[][]; labels: number[] } {
  const rows: number[][] = [];
  const labels: number[] = [];
  for (const question of questions) {
    for (const passage of question.passages) {
      rows.push(features.map((feature) => passage.evidence[feature] ?? 0));
      labels.push(passage.label);
    }
  }
  return { rows, labels };
}

/**
 * Fits the model on the training side of the split, then chooses `abstainBelow` and
 * `showAtLeast` on the validation side (questions never fitted on). Pure.
 */
export function trainRelevanceModel(questions: readonly LabelledQuestion[], options: TrainingOptions): TrainingResult {
  const { train, validation } = splitByGroup(questions, options.validationShare, options.splitSalt);
  if (train.length === 0 || validation.length === 0) throw new Error(`the split left ${train.length} training and ${validation.length} validation questions`);
  const { rows, labels } = designMatrix(train, options.features);
  const fit = fitLogisticRegression(rows, labels, options.l2, options.balanceSources === true ? sourceBalancedWeights(train) : undefined);
  const coefficients = { features: options.features, mean: fit.mean, scale: fit.scale, weights: fit.weights, bias: fit.bias };
  const scored = scoreQuestions(coefficients, validation);
  const choose = { pooled: chooseAbstainBelow, 'every-source': chooseAbstainBelowPerSource, 'source-average': chooseAbstainBelowSourceAverage }[options.abstainPoint ?? 'pooled'];
  const abstainBelow = choose(scored, options.targets.maxFalseAbstention);
  const showAtLeast = chooseShowAtLeast(scored, abstainBelow, options.targets.showPrecision);
  const report = evaluateDecisions(scored, abstainBelow, showAtLeast);
  const training: RelevanceTrainingSummary = {
    trainedAt: options.trainedAt,
    trainedOn: options.trainedOn,
    trainQuestions: train.length,
    trainPassages: rows.length,
    l2: options.l2,
    validationQuestions: validation.length,
    falseAbstentionRate: report.falseAbstentionRate,
    abstentionPrecision: report.abstentionPrecision,
    abstentionRecall: report.abstentionRecall,
    shownPrecision: report.shownPrecision,
    shownPerAnswer: report.shownPerAnswer,
  };
  return {
    model: { modelId: options.modelId, ...coefficients, features: [...options.features], abstainBelow, showAtLeast, training },
    fit,
    validation: report,
    trainQuestions: train.length,
    trainPassages: rows.length,
  };
}

/** Folds of a cross-validation; each fold's questions are measured by a model fitted without them. */
export const CROSS_VALIDATION_FOLDS = 5;

/**
 * Held-out numbers for a question set that is trained on: `folds`-fold cross-validation by question
 * group. Each fold is measured by a model trained (and its operating points chosen, as
 * {@link trainRelevanceModel} does) on `others` plus the other folds — never on the fold itself. Pure.
 */
export function crossValidate(
  questions: readonly LabelledQuestion[],
  others: readonly LabelledQuestion[],
  options: TrainingOptions,
  folds = CROSS_VALIDATION_FOLDS,
): { report: DecisionReport; abstainBelow: number[] } {
  const measured: (ScoredQuestion & { abstainBelow: number; showAtLeast: number })[] = [];
  const thresholds: number[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const inFold = (question: LabelledQuestion) => hashPart(question.group, folds, 'cross-validation') === fold;
    const test = questions.filter(inFold);
    if (test.length === 0) continue;
    const { model } = trainRelevanceModel([...others, ...questions.filter((question) => !inFold(question))], options);
    thresholds.push(model.abstainBelow);
    measured.push(...scoreQuestions(model, test).map((item) => ({ ...item, abstainBelow: model.abstainBelow, showAtLeast: model.showAtLeast })));
  }
  return { report: evaluateDecisionsEach(measured), abstainBelow: thresholds };
}
