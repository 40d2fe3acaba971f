/**
 * Readable reports of relevance-model training and scoring: terminal lines and the Markdown
 * training report shipped next to the model (`citebot-relevance.report.md`). Pure.
 */
import type { RelevanceModel } from '../retrieval/relevance-model.ts';
import type { Rate, SourceScores } from './relevance-score.ts';
import type { DecisionReport } from './train-relevance.ts';

const fixed = (value: number) => value.toFixed(3);
const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** `0.917 (55/60)`. */
export function formatRate(value: Rate): string {
  return `${fixed(value.rate)} (${value.count}/${value.of})`;
}

/** The scores of one source for `--score`, one measurement a line. */
export function renderSourceScores(name: string, scores: SourceScores): string[] {
  return [
    `${name}: ${scores.answerable} answerable, ${scores.unanswerable} unanswerable questions`,
    `  Recall@1                 ${formatRate(scores.recall1)}`,
    `  Recall@5                 ${formatRate(scores.recall5)}`,
    `  MRR@5                    ${fixed(scores.mrr)}`,
    `  answer in highlight@1    ${scores.answerInHighlight1.of === 0 ? '— (no answer strings)' : formatRate(scores.answerInHighlight1)}`,
    `  answerable answered      ${formatRate(scores.answerableAnswered)}`,
    `  unanswerable declined    ${scores.unanswerable === 0 ? '— (none in the set)' : formatRate(scores.unanswerableDeclined)}`,
    ...Object.entries(scores.declinedByKind).map(([kind, value]) => `    ${kind.padEnd(21)}${formatRate(value)}`),
    `  passages per answer      ${fixed(scores.passagesPerAnswer)}`,
    `  shown passages relevant  ${formatRate(scores.shownRelevant)}`,
  ];
}

/** What the operating points do on one set of labelled questions (validation or held out). */
export function renderDecisions(name: string, report: DecisionReport): string[] {
  return [
    `${name}: ${report.questions} questions (${report.answerable} answerable, ${report.correctFirst} with a correct first passage; ${report.unanswerable} unanswerable)`,
    `  false abstentions        ${percent(report.falseAbstentionRate)} of answerable questions with a correct first passage`,
    `  answerable answered      ${percent(report.answerableAnswered)}`,
    `  abstention precision     ${fixed(report.abstentionPrecision)}   recall ${fixed(report.abstentionRecall)}`,
    ...Object.entries(report.declinedBy).map(([kind, value]) => `    declined ${kind.padEnd(24)}${value.declined}/${value.of}`),
    `  shown after the first    ${report.shownAfterFirst} passages, ${fixed(report.shownPrecision)} relevant; ${fixed(report.shownPerAnswer)} passages per answer`,
  ];
}

export interface TrainingReportInput {
  readonly model: RelevanceModel;
  /** Labelled questions (variants included) and passages per training source. */
  readonly trainSources: readonly { readonly name: string; readonly questions: number; readonly passages: number }[];
  readonly validation: DecisionReport;
  readonly heldOut: readonly { readonly name: string; readonly report: DecisionReport }[];
  /** Passages asked per question. */
  readonly k: number;
  /** `os.cpus()[0].model`, cores, platform, Node version — passed in (this module reads no system state). */
  readonly machine: string;
  /** Notes to print under "Choices" (what was trained on and why). */
  readonly notes: readonly string[];
}

function decisionRow(name: string, report: DecisionReport): string {
  const kinds = Object.entries(report.declinedBy)
    .map(([kind, value]) => `${kind} ${value.declined}/${value.of}`)
    .join(', ');
  return `| ${name} | ${report.questions} | ${percent(report.falseAbstentionRate)} | ${percent(report.answerableAnswered)} | ${fixed(report.abstentionPrecision)} | ${fixed(report.abstentionRecall)} | ${kinds} | ${fixed(report.shownPrecision)} | ${fixed(report.shownPerAnswer)} |`;
}

/** The Markdown training report written next to the model JSON. */
export function renderTrainingReport(input: TrainingReportInput): string {
  const { model } = input;
  const lines = [
    `# Relevance model for ${model.modelId}`,
    '',
    `Trained ${model.training.trainedAt} on ${input.machine} by \`npm run calibrate\`. Logistic regression (L2 λ = ${model.training.l2}, Newton's method) over the retrieval evidence of each passage (src/retrieval/evidence.ts); ${input.k} passages per question (\`explain: true\`), each labelled relevant when it overlaps a gold span.`,
    '',
    '## Data',
    '',
    'Every answerable question is asked twice: as written, and with all its gold spans excluded from the index (near-topic and unanswerable by construction). Question sets also contribute their own unanswerable questions.',
    '',
    '| training source | questions (with variants) | passages |',
    '|---|---|---|',
    ...input.trainSources.map((source) => `| ${source.name} | ${source.questions} | ${source.passages} |`),
    '',
    `Split by question (a question and its excluded variant on the same side): ${model.training.trainQuestions} questions (${model.training.trainPassages} passages) fitted, ${model.training.validationQuestions} held out to choose the operating points.`,
    '',
    '## Choices',
    '',
    ...input.notes.map((note) => `- ${note}`),
    '',
    '## Model',
    '',
    '| feature | mean | scale | weight |',
    '|---|---|---|---|',
    ...model.features.map((feature, i) => `| ${feature} | ${(model.mean[i] ?? 0).toFixed(4)} | ${(model.scale[i] ?? 0).toFixed(4)} | ${(model.weights[i] ?? 0).toFixed(4)} |`),
    `| (bias) | | | ${model.bias.toFixed(4)} |`,
    '',
    '## Operating points',
    '',
    `- \`abstainBelow\` = ${model.abstainBelow.toFixed(4)}: the highest top-passage probability that abstains on at most 3 % of the validation questions whose first passage is correct, on every training source's validation questions (the lowest of the per-source points, so the bound holds on each kind of corpus, not only on average).`,
    `- \`showAtLeast\` = ${model.showAtLeast.toFixed(4)}: the lowest probability at which passages after the first are still relevant three times in four on validation (never below \`abstainBelow\`; 1 means no threshold reached that precision, so an answer shows its first passage only).`,
    '',
    '## Quality',
    '',
    'False abstentions: answerable questions whose first passage is correct but that are abstained on, over those questions. Abstention precision: abstentions on unanswerable questions over all abstentions; recall: unanswerable questions abstained on. Shown precision: passages shown after the first (answered questions only) that are relevant.',
    '',
    '| set | questions | false abstentions | answerable answered | abstention precision | abstention recall | declined by kind | shown precision | passages per answer |',
    '|---|---|---|---|---|---|---|---|---|',
    decisionRow('validation (split of the training sources)', input.validation),
    // Cross-validated sets are named as such by the caller; only sets never trained on are "held out".
    ...input.heldOut.map((set) => decisionRow(/cross-validation/.test(set.name) ? set.name : `**held out** ${set.name}`, set.report)),
    '',
  ];
  return lines.join('\n');
}
