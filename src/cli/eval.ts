/**
 * `npm run eval -- --beir <dir> [--split test] [--mode hybrid|dense|bm25] [--json]`: retrieval
 * quality on a BEIR-format dataset (nDCG@10, MRR@10, Recall@1/5/10, AnswerHit@1/5), measured
 * through the real ingest and search pipeline in a temporary index.
 */
import { Command, Option } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../config/config.ts';
import { silentLogger } from '../core/logger.ts';
import type { SearchMode } from '../core/types.ts';
import { loadBeirDataset } from '../evaluation/beir-dataset.ts';
import { evaluateBeir, toEvalJson, type BeirScores } from '../evaluation/beir-eval.ts';
import { createPinoLogger } from '../logging/pino-logger.ts';
import { runEntry } from './entry.ts';
import { createProgressBar } from './progress-bar.ts';

interface EvalOptions {
  readonly beir: string;
  readonly split: string;
  readonly mode: SearchMode;
  readonly json?: boolean;
  readonly workDir?: string;
}

function renderScores(scores: BeirScores): string {
  const f = (value: number | null) => (value === null ? '—' : value.toFixed(3));
  return [
    `${scores.dataset} (${scores.queries} queries, mode ${scores.mode})`,
    `  nDCG@10   ${f(scores.ndcg10)}`,
    `  MRR@10    ${f(scores.mrr10)}`,
    `  Recall@1  ${f(scores.recall1)}`,
    `  Recall@5  ${f(scores.recall5)}`,
    `  Recall@10 ${f(scores.recall10)}`,
    ...(scores.answerHit1 === null
      ? []
      : [`  AnswerHit@1 ${f(scores.answerHit1)}`, `  AnswerHit@5 ${f(scores.answerHit5)}`, `  answer in highlight@1 ${f(scores.answerInHighlight1)}`]),
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('eval')
    .description('measure retrieval quality on a BEIR-format folder (corpus.jsonl, queries.jsonl, qrels/<split>.tsv, optional answers.jsonl)')
    .requiredOption('--beir <dir>', 'the BEIR dataset folder, e.g. ../shared/eval/scifact')
    .option('--split <name>', 'qrels split to evaluate', 'test')
    .addOption(new Option('-m, --mode <mode>', 'retrieval signals to use').choices(['hybrid', 'dense', 'bm25']).default('hybrid'))
    .option('--json', 'print one JSON object with the scores')
    .option('--work-dir <dir>', 'keep the corpus files and index here and reuse them next time (default: a temporary folder, removed afterwards)')
    .showHelpAfterError('(add --help for usage)');
  program.parse(argv);
  const options = program.opts<EvalOptions>();
  const started = performance.now();

  const config = loadConfig();
  const logger = options.json === true ? silentLogger : createPinoLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  // With --json, stdout carries the JSON object only; everything else goes to stderr.
  const say = (text: string) => (options.json === true ? process.stderr : process.stdout).write(`${text}\n`);

  const dataset = await loadBeirDataset(path.resolve(options.beir), options.split);
  const workDir = options.workDir === undefined ? await mkdtemp(path.join(tmpdir(), 'citebot-eval-')) : path.resolve(options.workDir, dataset.name);
  const progress = createProgressBar();
  try {
    say(`Indexing ${dataset.documents.length} documents of ${dataset.name} in ${workDir} …`);
    const run = await evaluateBeir(dataset, {
      config,
      workDir,
      modes: [options.mode],
      logger,
      onProgress: progress.onProgress,
      onMode: (mode) => {
        progress.stop();
        say(`Querying ${dataset.queries.length} queries (${mode}) …`);
      },
    });
    const [scores] = run.scores;
    if (scores === undefined) return;
    say(
      `Indexing took ${run.indexSeconds.toFixed(1)} s (${run.ingest.paragraphs} passages from ${run.ingest.files} documents, ${run.ingest.embedded} embedded); ` +
        `querying took ${scores.querySeconds.toFixed(1)} s (${((scores.querySeconds * 1000) / scores.queries).toFixed(1)} ms per query).`,
    );
    const seconds = (performance.now() - started) / 1000;
    if (options.json === true) process.stdout.write(`${JSON.stringify(toEvalJson(scores, seconds))}\n`);
    else say(renderScores(scores));
  } finally {
    progress.stop();
    if (options.workDir === undefined) await rm(workDir, { recursive: true, force: true });
  }
}

await runEntry(() => main(process.argv));
