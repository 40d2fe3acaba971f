/**
 * `npm run calibrate`: measures the question set (Recall@k, MRR) and the best-passage similarity
 * of answerable vs unanswerable questions, and prints the abstention threshold that separates
 * them for the configured model. Copy it into src/embedding/model-profiles.ts.
 */
import { Command } from 'commander';
import path from 'node:path';
import { openCitebot } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { silentLogger } from '../core/logger.ts';
import { calibrateThreshold, evaluateQuestionSet, loadQuestionSet } from '../evaluation/question-set.ts';
import { createProgressBar } from './progress-bar.ts';

const program = new Command('calibrate')
  .description('measure the question set and print the abstention threshold for the configured model')
  .option('-q, --questions <file>', 'question set (JSON)', 'test/fixtures/seed-questions.json')
  .option('-k, --results <n>', 'results per question', '5')
  .option('--json', 'print the measurements as JSON');
program.parse();
const options = program.opts<{ questions: string; results: string; json?: boolean }>();

const config = loadConfig();
const progress = createProgressBar();
const { engine } = await openCitebot(config, { logger: silentLogger, onProgress: progress.onProgress }).finally(progress.stop);
try {
  const set = await loadQuestionSet(path.resolve(options.questions));
  const report = await evaluateQuestionSet(engine, set, Number(options.results));
  const calibration = calibrateThreshold(
    report.answerable.filter((outcome) => outcome.rank !== null).map((outcome) => outcome.bestSimilarity),
    report.unanswerable.map((outcome) => outcome.bestSimilarity),
  );
  if (options.json === true) {
    process.stdout.write(`${JSON.stringify({ model: config.model.modelId, ...report, calibration }, null, 2)}\n`);
  } else {
    const fmt = (values: number[]) => values.sort((a, b) => a - b).map((v) => v.toFixed(3)).join(' ');
    process.stdout.write(
      [
        `model ${config.model.modelId}: Recall@${report.k} ${report.recallAtK.toFixed(3)}, MRR ${report.mrr.toFixed(3)} over ${report.answerable.length} questions`,
        `answered ${(report.answeredRate * 100).toFixed(0)}% of answerable, abstained on ${(report.abstainedRate * 100).toFixed(0)}% of unanswerable (current threshold)`,
        `best-passage similarity, answerable:   ${fmt(report.answerable.map((o) => o.bestSimilarity))}`,
        `best-passage similarity, unanswerable: ${fmt(report.unanswerable.map((o) => o.bestSimilarity))}`,
        `calibrated threshold: ${calibration.threshold.toFixed(3)} (balanced accuracy ${calibration.balancedAccuracy.toFixed(3)})`,
        ...report.answerable.filter((o) => o.rank === null).map((o) => `  missed: ${o.question}`),
      ].join('\n') + '\n',
    );
  }
} finally {
  await engine.close();
}
