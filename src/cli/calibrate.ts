/**
 * `npm run calibrate`: fits the relevance model (abstention and per-passage relevance) on labelled
 * retrieval evidence and writes it, with its training report, next to the embedding model:
 *
 *   npm run calibrate [-- --train <source…>] [--holdout <source…>] [-k 5] [--out <file>] [--json]
 *   npm run calibrate -- --score <source…> [--model <file>] [-k 5] [--json]
 *
 * A source is `questions:<questions.json>@<documents folder>` or `beir:<folder>[:<split>][:<i>/<n>]`.
 * Training sources are fitted on (a share of their questions only chooses the operating points);
 * held-out sources are only measured. `--score` trains nothing: it measures the engine as users get
 * it (with the shipped model, or `--model`) on each source. Every argument is checked before any
 * model is loaded.
 */
import { Command } from 'commander';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmbedder, openRelevanceModel, relevanceModelPath, runIngest } from '../app.ts';
import { loadConfig, type Config } from '../config/config.ts';
import type { Parsed } from '../core/input.ts';
import type { Engine } from '../core/types.ts';
import { silentLogger } from '../core/logger.ts';
import { labelQuestions, neutralRelevanceModel, parseSourceSpec, prepareSource, sourceProblem, type PreparedSource, type SourceSpec } from '../evaluation/relevance-dataset.ts';
import { renderDecisions, renderSourceScores, renderTrainingReport } from '../evaluation/relevance-report.ts';
import { askQuestions, summariseOutcomes } from '../evaluation/relevance-score.ts';
import { DEFAULT_L2, DEFAULT_TARGETS, DEFAULT_VALIDATION_SHARE, evaluateDecisions, scoreQuestions, trainRelevanceModel, type LabelledQuestion } from '../evaluation/train-relevance.ts';
import { createEngine, DEFAULT_CANDIDATES } from '../retrieval/engine.ts';
import { EVIDENCE_FEATURES } from '../retrieval/evidence.ts';
import { loadRelevanceModel, type RelevanceModel } from '../retrieval/relevance-model.ts';
import { runEntry } from './entry.ts';
import { createProgressBar } from './progress-bar.ts';

/**
 * Default sources, used when they exist. Trained on: SciFact's train split (never its test split),
 * half of XQuAD's articles, and the project's seed questions. Held out: the Vitest docs set (never
 * trained on), the other half of XQuAD, and the pino docs set once it is in the tree.
 */
const DEFAULT_TRAIN = ['beir:../shared/eval/scifact:train', 'beir:../shared/eval/xquad-en:test:1/2', 'questions:test/fixtures/seed-questions.json@seeds'];
const DEFAULT_HOLDOUT = [
  'questions:../shared/eval/vitest-docs/questions.json@../shared/eval/vitest-docs/corpus',
  'beir:../shared/eval/xquad-en:test:2/2',
  'questions:test/fixtures/pino-docs/questions.json@test/fixtures/pino-docs',
];

/** Passages asked per question: the engine's default answer size. */
const DEFAULT_K = 5;
const MAX_K = 50;
/** Longest question asked: BEIR queries can be long (the model truncates at its input size anyway). */
const MAX_QUESTION_LENGTH = 100_000;
/** The report's file name next to the model: `citebot-relevance.json` → `citebot-relevance.report.md`. */
const reportPathOf = (modelFile: string) => modelFile.replace(/\.json$/, '') + '.report.md';

interface RawOptions {
  readonly train?: string[];
  readonly holdout?: string[];
  readonly score?: string[];
  readonly results: string;
  readonly out?: string;
  readonly model?: string;
  readonly work?: string;
  readonly l2: string;
  readonly note?: string[];
  readonly json?: boolean;
}

type Plan =
  | { readonly mode: 'train'; readonly train: SourceSpec[]; readonly holdout: SourceSpec[]; readonly k: number; readonly l2: number; readonly out: string | undefined; readonly work: string; readonly notes: string[]; readonly json: boolean }
  | { readonly mode: 'score'; readonly sources: SourceSpec[]; readonly k: number; readonly model: string | undefined; readonly work: string; readonly json: boolean };

/** Parses and checks the sources: explicit ones must exist; defaults are kept only when they do. */
async function resolveSources(given: readonly string[] | undefined, defaults: readonly string[], cwd: string): Promise<Parsed<SourceSpec[], string>> {
  const specs: SourceSpec[] = [];
  for (const spec of given ?? defaults) {
    const parsed = parseSourceSpec(spec, cwd);
    if (!parsed.ok) return parsed;
    const problem = await sourceProblem(parsed.value);
    if (problem === undefined) specs.push(parsed.value);
    else if (given !== undefined) return { ok: false, problem };
  }
  return { ok: true, value: specs };
}

/** Every argument checked, before any model or index is touched. */
async function planFrom(options: RawOptions, cwd: string): Promise<Parsed<Plan, string>> {
  const fail = (problem: string): Parsed<Plan, string> => ({ ok: false, problem });
  const k = Number(options.results);
  if (!/^\d+$/.test(options.results.trim()) || !Number.isInteger(k) || k < 1 || k > MAX_K) return fail(`-k must be a whole number from 1 to ${MAX_K}, not "${options.results}"`);
  const work = path.resolve(cwd, options.work ?? path.join(os.tmpdir(), 'citebot-calibrate'));
  const json = options.json === true;
  if (options.score !== undefined) {
    if (options.train !== undefined || options.holdout !== undefined) return fail('--score measures a model; it cannot be combined with --train or --holdout');
    const sources = await resolveSources(options.score, [], cwd);
    if (!sources.ok) return sources;
    if (sources.value.length === 0) return fail('--score needs at least one source');
    const model = options.model === undefined ? undefined : path.resolve(cwd, options.model);
    if (model !== undefined && (await stat(model).catch(() => undefined))?.isFile() !== true) return fail(`the relevance model ${model} does not exist`);
    return { ok: true, value: { mode: 'score', sources: sources.value, k, model, work, json } };
  }
  if (options.model !== undefined) return fail('--model is for --score; training writes --out');
  const l2 = Number(options.l2);
  if (!Number.isFinite(l2) || l2 < 0 || options.l2.trim() === '') return fail(`--l2 must be a number ≥ 0, not "${options.l2}"`);
  const train = await resolveSources(options.train, DEFAULT_TRAIN, cwd);
  if (!train.ok) return train;
  if (train.value.length === 0) return fail(`no training source: none of the defaults exist (${DEFAULT_TRAIN.join(', ')}); give --train`);
  const holdout = await resolveSources(options.holdout, DEFAULT_HOLDOUT, cwd);
  if (!holdout.ok) return holdout;
  const out = options.out === undefined ? undefined : path.resolve(cwd, options.out);
  if (out !== undefined && (await stat(path.dirname(out)).catch(() => undefined))?.isDirectory() !== true) return fail(`the folder of --out ${out} does not exist`);
  return { ok: true, value: { mode: 'train', train: train.value, holdout: holdout.value, k, l2, out, work, notes: options.note ?? [], json } };
}

/** Ingests a source into its own index in the work folder (reused when up to date) and runs `work` on an engine over it. */
async function withSourceEngine<T>(config: Config, source: PreparedSource, relevance: RelevanceModel, say: (text: string) => void, work: (engine: Engine) => Promise<T>): Promise<T> {
  const sourceConfig: Config = { ...config, rootDir: source.rootDir, seedsDir: source.documentsDir, indexDir: source.indexDir };
  const embedder = createEmbedder(sourceConfig);
  const progress = createProgressBar();
  try {
    say(`${source.name}: indexing ${source.documentsDir} …`);
    const { index, profile } = await runIngest(sourceConfig, embedder, { logger: silentLogger, onProgress: progress.onProgress }).finally(progress.stop);
    const engine = createEngine(index, embedder, {
      rootDir: sourceConfig.rootDir,
      defaultResults: config.defaultResults,
      candidates: DEFAULT_CANDIDATES,
      relevance,
      duplicateAbove: profile.duplicateAbove,
      maxQuestionLength: MAX_QUESTION_LENGTH,
      retrievalContext: sourceConfig.retrievalContext,
    });
    say(`${source.name}: asking ${source.questions.length} questions …`);
    return await work(engine);
  } finally {
    await embedder.close();
  }
}

/** Every source's labelled questions, asked with the neutral model (training must not depend on the model it replaces). */
async function labelSources(config: Config, specs: readonly SourceSpec[], k: number, work: string, cwd: string, say: (text: string) => void) {
  const labelled: { name: string; spec: string; questions: LabelledQuestion[] }[] = [];
  for (const spec of specs) {
    const source = await prepareSource(spec, work, cwd);
    const questions = await withSourceEngine(config, source, neutralRelevanceModel(config.model.modelId), say, (engine) =>
      labelQuestions(engine, source.name, source.questions, { k, excludeGold: true }),
    );
    labelled.push({ name: source.name, spec: spec.spec, questions });
  }
  return labelled;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'} (${cpus.length} cores), ${os.platform()} ${os.release()}, Node ${process.version}`;
}

async function train(plan: Extract<Plan, { mode: 'train' }>, config: Config, cwd: string, say: (text: string) => void): Promise<void> {
  const out = plan.out ?? relevanceModelPath(config);
  const trainSets = await labelSources(config, plan.train, plan.k, plan.work, cwd, say);
  const heldOutSets = await labelSources(config, plan.holdout, plan.k, plan.work, cwd, say);
  const result = trainRelevanceModel(
    trainSets.flatMap((set) => set.questions),
    {
      modelId: config.model.modelId,
      features: EVIDENCE_FEATURES,
      l2: plan.l2,
      validationShare: DEFAULT_VALIDATION_SHARE,
      targets: DEFAULT_TARGETS,
      trainedOn: trainSets.map((set) => set.spec),
      trainedAt: new Date().toISOString().slice(0, 10),
    },
  );
  const heldOut = heldOutSets.map((set) => ({ name: set.name, report: evaluateDecisions(scoreQuestions(result.model, set.questions), result.model.abstainBelow, result.model.showAtLeast) }));
  const report = renderTrainingReport({
    model: result.model,
    trainSources: trainSets.map((set) => ({ name: set.spec, questions: set.questions.length, passages: set.questions.reduce((sum, q) => sum + q.passages.length, 0) })),
    validation: result.validation,
    heldOut: heldOut.map((set, i) => ({ name: heldOutSets[i]?.spec ?? set.name, report: set.report })),
    k: plan.k,
    machine: machine(),
    notes: [
      `Trained on ${trainSets.map((set) => `\`${set.spec}\``).join(', ')}; held out (never fitted on, never used to choose a threshold): ${heldOutSets.map((set) => `\`${set.spec}\``).join(', ') || 'none'}.`,
      ...plan.notes,
    ],
  });
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(result.model, null, 2)}\n`);
  await writeFile(reportPathOf(out), report);
  if (plan.json) {
    process.stdout.write(`${JSON.stringify({ model: result.model, validation: result.validation, heldOut }, null, 2)}\n`);
    return;
  }
  say(`wrote ${out} and ${reportPathOf(out)}`);
  process.stdout.write(
    [
      `relevance model for ${config.model.modelId}: abstainBelow ${result.model.abstainBelow.toFixed(4)}, showAtLeast ${result.model.showAtLeast.toFixed(4)} (${result.fit.iterations} Newton steps)`,
      ...renderDecisions('validation', result.validation),
      ...heldOut.flatMap((set) => renderDecisions(`held out ${set.name}`, set.report)),
    ].join('\n') + '\n',
  );
}

async function score(plan: Extract<Plan, { mode: 'score' }>, config: Config, cwd: string, say: (text: string) => void): Promise<void> {
  const model = plan.model === undefined ? await openRelevanceModel(config) : await loadRelevanceModel(plan.model);
  const results: { name: string; scores: ReturnType<typeof summariseOutcomes> }[] = [];
  for (const spec of plan.sources) {
    const source = await prepareSource(spec, plan.work, cwd);
    const outcomes = await withSourceEngine(config, source, model, say, (engine) => askQuestions(engine, source.questions, plan.k));
    results.push({ name: source.name, scores: summariseOutcomes(outcomes) });
  }
  if (plan.json) {
    process.stdout.write(`${JSON.stringify({ model: plan.model ?? relevanceModelPath(config), k: plan.k, sources: results }, null, 2)}\n`);
    return;
  }
  process.stdout.write(
    [`relevance model ${plan.model ?? relevanceModelPath(config)} (abstainBelow ${model.abstainBelow.toFixed(4)}, showAtLeast ${model.showAtLeast.toFixed(4)}), k = ${plan.k}`, ...results.flatMap((result) => renderSourceScores(result.name, result.scores))].join('\n') + '\n',
  );
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('calibrate')
    .description('fit the relevance model (abstention and per-passage relevance) on labelled retrieval evidence, or --score a question set with it')
    .option('--train <sources...>', `training sources (default, those that exist: ${DEFAULT_TRAIN.join(' ')})`)
    .option('--holdout <sources...>', `held-out sources, measured only (default, those that exist: ${DEFAULT_HOLDOUT.join(' ')})`)
    .option('--score <sources...>', 'measure the engine on these sources with the relevance model; trains nothing')
    .option('-k, --results <n>', 'passages per question', String(DEFAULT_K))
    .option('--out <file>', 'where to write the trained model (default: next to the embedding model); the report goes beside it')
    .option('--model <file>', 'relevance model to --score with (default: the configured embedding model\'s)')
    .option('--work <dir>', 'folder for the sources\' indexes, reused between runs (default: <tmp>/citebot-calibrate)')
    .option('--l2 <lambda>', 'L2 penalty of the fit', String(DEFAULT_L2))
    .option('--note <text...>', 'notes for the training report (why these sources)')
    .option('--json', 'print the result as JSON')
    .showHelpAfterError('(add --help for usage)');
  program.parse(argv);
  const cwd = process.cwd();
  const planned = await planFrom(program.opts<RawOptions>(), cwd);
  if (!planned.ok) {
    process.stderr.write(`citebot calibrate: ${planned.problem}.\n`);
    process.exitCode = 1;
    return;
  }
  const plan = planned.value;
  const config = loadConfig();
  // With --json, stdout carries the JSON only; progress goes to stderr either way.
  const say = (text: string) => process.stderr.write(`${text}\n`);
  if (plan.mode === 'score') await score(plan, config, cwd, say);
  else await train(plan, config, cwd, say);
}

await runEntry(() => main(process.argv));
