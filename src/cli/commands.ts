/**
 * The command-line interface: ingest, ask, search, source and the interactive console.
 * commander parses arguments; every command runs on the same engine as the Discord bot.
 * Arguments are validated before anything is loaded, so a bad question or reference is refused
 * at once instead of after the model and the index are.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createEmbedder, openCitebot, runIngest, type EmbeddingOverride, type FollowHandlers } from '../app.ts';
import { liveUpdateHandlers } from './live-updates.ts';
import { renderAnswer, renderExcerpt } from '../answer/render-terminal.ts';
import { toSearchJson } from '../answer/render-json.ts';
import { RESULTS_RANGE, type Config } from '../config/config.ts';
import { CitebotError } from '../core/errors.ts';
import { describeQuestionProblem, parseQuestion } from '../core/input.ts';
import type { Logger } from '../core/logger.ts';
import type { Engine, SearchMode } from '../core/types.ts';
import type { IngestReport } from '../index-store/ingest.ts';
import { runConsole } from './console.ts';
import { EXIT_CODES } from './entry.ts';
import { countOf } from './plural.ts';
import { createProgressBar } from './progress-bar.ts';
import type { PromptGuard } from './prompt-guard.ts';
import { checkSourceRange, parseSourceReference } from './source-reference.ts';

export { parseSourceReference } from './source-reference.ts';

export interface CliContext {
  readonly config: Config;
  readonly logger: Logger;
  /** Answers (and commander's help). */
  readonly stdout: NodeJS.WritableStream;
  /** Progress bars, the ingest summary and commander's errors. */
  readonly stderr: NodeJS.WritableStream;
  /** The console's input. Default: stdin. */
  readonly stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Keeps log lines off the console prompt (the logger writes through it). */
  readonly promptGuard?: PromptGuard;
  /** Builds the embedder (and its relevance model). Default: the configured model in its worker thread (app.ts). Tests hand in a deterministic one. */
  readonly createEmbedding?: (config: Config) => EmbeddingOverride;
}

/**
 * The log level of the command line: at the default `info`, only warnings and errors, because
 * the commands print their own summary of what they did. Pure.
 */
export function cliLogLevel(level: Config['logLevel']): Config['logLevel'] {
  return level === 'info' ? 'warn' : level;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < RESULTS_RANGE.min || count > RESULTS_RANGE.max) {
    throw new InvalidArgumentError(`must be a whole number from ${RESULTS_RANGE.min} to ${RESULTS_RANGE.max}.`);
  }
  return count;
}

export function describeIngest(report: IngestReport, modelId: string): string {
  const list = (files: readonly string[]) => (files.length === 0 ? '0' : `${files.length} (${files.join(', ')})`);
  const contents = `${countOf(report.files, 'file')}, ${countOf(report.paragraphs, 'paragraph')}`;
  const head = report.upToDate
    ? `Index is up to date: ${contents} (model ${modelId}).`
    : `Indexed ${contents} in ${report.seconds.toFixed(1)} s (model ${modelId}).`;
  const lines = [head];
  if (!report.upToDate) {
    lines.push(`  added: ${list(report.added)}`, `  changed: ${list(report.changed)}`, `  removed: ${list(report.removed)}`);
    lines.push(`  unchanged: ${countOf(report.unchanged, 'file')} · embedded: ${countOf(report.embedded, 'paragraph')}`);
  }
  if (report.rebuiltBecause !== undefined) lines.push(`  rebuilt because: ${report.rebuiltBecause}`);
  for (const skipped of report.skipped) lines.push(`  skipped ${skipped.file}: ${skipped.reason}`);
  return lines.join('\n');
}

/** Opens the engine, showing a progress bar if the index has to be (re)built. `follow`: keep it in line with the documents (the console). */
async function withEngine<T>(context: CliContext, work: (engine: Engine) => Promise<T>, follow?: FollowHandlers): Promise<T> {
  const progress = createProgressBar(context.stderr);
  const { engine, ingestReport } = await openCitebot(context.config, {
    logger: context.logger,
    onProgress: progress.onProgress,
    ...(context.createEmbedding === undefined ? {} : { embedding: context.createEmbedding(context.config) }),
    ...(follow === undefined ? {} : { follow }),
  }).finally(progress.stop);
  if (!ingestReport.upToDate) context.stderr.write(`${describeIngest(ingestReport, engine.summary().modelId)}\n`);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** A whole argument that looks like a mistyped long option (`--jsno`), not a question. */
const LONG_OPTION = /^--[a-z][\w-]*$/i;

/**
 * The question from its words, checked before anything is loaded. Words starting with one dash
 * belong to the question (`npm run ask -- -fold what?`, `what is -5 °C?`); a lone `--word` is
 * refused as a mistyped option (quote the question to ask about one: `ask -- "--run does what?"`).
 */
function questionFrom(words: readonly string[], command: Command, maxLength: number): string {
  const mistyped = words.find((word) => LONG_OPTION.test(word));
  if (mistyped !== undefined) {
    command.error(`error: unknown option '${mistyped}'\n(to ask about it, quote the question with it inside: "${mistyped} does what?")`);
  }
  const parsed = parseQuestion(words.join(' '), maxLength);
  if (!parsed.ok) throw new CitebotError(parsed.problem.kind === 'too-long' ? 'QUERY_TOO_LONG' : 'QUERY_EMPTY', describeQuestionProblem(parsed.problem));
  return parsed.value;
}

const modeOption = () => new Option('-m, --mode <mode>', 'retrieval signals to use').choices(['hybrid', 'dense', 'bm25']).default('hybrid');

const resultsOption = (config: Config) =>
  new Option('-k, --results <n>', `number of passages, ${RESULTS_RANGE.min}-${RESULTS_RANGE.max} (CITEBOT_RESULTS sets the default)`)
    .argParser(parseCount)
    .default(config.defaultResults);

interface SearchFlags {
  readonly results: number;
  readonly mode: SearchMode;
  readonly debug?: boolean;
}

export function buildProgram(context: CliContext): Command {
  const out = (text: string) => context.stdout.write(`${text}\n`);
  const program = new Command('citebot')
    .description('Answer questions from a folder of documents, citing the exact source lines.')
    .showHelpAfterError('(add --help for usage)')
    // Errors and --help become CommanderErrors for the entry helper (src/cli/entry.ts), not process.exit.
    .exitOverride()
    .configureOutput({ writeOut: (text) => context.stdout.write(text), writeErr: (text) => context.stderr.write(text) });

  program
    .command('ingest')
    .description('build or update the index of the documents folder (only new or changed files are embedded)')
    .action(async () => {
      const embedding = context.createEmbedding?.(context.config);
      const embedder = embedding?.embedder ?? createEmbedder(context.config, context.logger);
      const progress = createProgressBar(context.stderr);
      try {
        const { report } = await runIngest(context.config, embedder, {
          logger: context.logger,
          onProgress: progress.onProgress,
          ...(embedding === undefined ? {} : { embedding }),
        });
        progress.stop();
        out(describeIngest(report, embedder.modelId));
      } finally {
        progress.stop();
        await embedder.close();
      }
    });

  program
    .command('ask')
    .description('answer a question: the best sentence, the quoted passages and their citations')
    .argument('<question...>', 'the question (quote it)')
    .addOption(resultsOption(context.config))
    .addOption(modeOption())
    .option('--debug', 'show per-signal scores and timings')
    .allowUnknownOption()
    .action(async (words: string[], options: SearchFlags, command: Command) => {
      const question = questionFrom(words, command, context.config.maxQuestionLength);
      await withEngine(context, async (engine) => {
        const result = await engine.search(question, { mode: options.mode, k: options.results });
        out(renderAnswer(result, { debug: options.debug === true, ansi: process.stdout.isTTY === true }));
      });
    });

  program
    .command('search')
    .description('retrieve passages; with --json, print {query, abstained, results[]} for programs')
    .argument('<query...>', 'the question (quote it)')
    .addOption(resultsOption(context.config))
    .addOption(modeOption())
    .option('--json', 'machine-readable output')
    .option('--debug', 'show per-signal scores and timings')
    .allowUnknownOption()
    .action(async (words: string[], options: SearchFlags & { json?: boolean }, command: Command) => {
      const query = questionFrom(words, command, context.config.maxQuestionLength);
      await withEngine(context, async (engine) => {
        // A search lists the best k, ranked; `ask` shows only the passages that are themselves relevant.
        const result = await engine.search(query, { mode: options.mode, k: options.results, explain: true });
        out(options.json === true ? JSON.stringify(toSearchJson(result)) : renderAnswer(result, { debug: options.debug === true, ansi: process.stdout.isTTY === true }));
      });
    });

  program
    .command('source')
    .description('print lines of an indexed document verbatim, with line numbers')
    .argument('<reference>', 'FILE:START-END as cited, e.g. seeds/000_e4409a72bea0ec59.txt:24-26')
    .action(async (reference: string) => {
      const parsed = parseSourceReference(reference);
      await withEngine(context, async (engine) => {
        checkSourceRange(parsed, engine.summary());
        out(renderExcerpt(await engine.source(parsed.file, parsed.startLine, parsed.endLine)));
      });
    });

  program
    .command('console', { isDefault: true })
    .description('interactive question answering in the terminal (/help lists its commands)')
    .action(async () =>
      withEngine(context, async (engine) => {
        const input = context.stdin ?? process.stdin;
        const end = await runConsole(engine, { stdout: context.stdout, input, ...(context.promptGuard === undefined ? {} : { promptGuard: context.promptGuard }) });
        if (end === 'interrupted') process.exitCode = EXIT_CODES.interrupted;
      }, liveUpdateHandlers(context.logger, (line) => (context.promptGuard?.stream ?? context.stderr).write(`${line}\n`))),
    );

  return program;
}
