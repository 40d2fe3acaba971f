/**
 * The command-line interface: ingest, ask, search, source and the interactive console.
 * commander parses arguments; every command runs on the same engine as the Discord bot.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createInterface } from 'node:readline/promises';
import { openCitebot, createEmbedder, runIngest } from '../app.ts';
import { renderAnswer, renderExcerpt } from '../answer/render-terminal.ts';
import { toSearchJson } from '../answer/render-json.ts';
import type { Config } from '../config/config.ts';
import { CitebotError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Engine, SearchMode } from '../core/types.ts';
import type { IngestReport } from '../index-store/ingest.ts';
import { parseLineRange } from '../core/input.ts';
import { createProgressBar } from './progress-bar.ts';

export interface CliContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly stdout: NodeJS.WritableStream;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1 || count > 50) throw new InvalidArgumentError('must be a whole number from 1 to 50.');
  return count;
}

/** `seeds/file.txt:24-26` → file and range. */
export function parseSourceReference(reference: string): { file: string; startLine: number; endLine: number } {
  const colon = reference.lastIndexOf(':');
  const range = colon <= 0 ? undefined : parseLineRange(reference.slice(colon + 1));
  if (range === undefined || !range.ok) {
    const why = range !== undefined && !range.ok && range.problem.kind === 'reversed' ? ' (the range ends before it starts)' : '';
    throw new CitebotError('SOURCE_BAD_RANGE', `"${reference}" is not a file and line range${why}.`, {
      hint: 'Write it as seeds/000_e4409a72bea0ec59.txt:24-26 (or :24 for one line).',
    });
  }
  return { file: reference.slice(0, colon), startLine: range.value.start, endLine: range.value.end };
}

export function describeIngest(report: IngestReport, modelId: string): string {
  const list = (files: readonly string[]) => (files.length === 0 ? '0' : `${files.length} (${files.join(', ')})`);
  const head = report.upToDate
    ? `Index is up to date: ${report.files} files, ${report.paragraphs} paragraphs (model ${modelId}).`
    : `Indexed ${report.files} files, ${report.paragraphs} paragraphs in ${report.seconds.toFixed(1)} s (model ${modelId}).`;
  const lines = [head];
  if (!report.upToDate) {
    lines.push(`  added: ${list(report.added)}`, `  changed: ${list(report.changed)}`, `  removed: ${list(report.removed)}`);
    lines.push(`  unchanged: ${report.unchanged} files · embedded: ${report.embedded} paragraphs`);
  }
  if (report.rebuiltBecause !== undefined) lines.push(`  rebuilt because: ${report.rebuiltBecause}`);
  for (const skipped of report.skipped) lines.push(`  skipped ${skipped.file}: ${skipped.reason}`);
  return lines.join('\n');
}

/** Opens the engine, showing a progress bar if the index has to be (re)built. */
async function withEngine<T>(context: CliContext, work: (engine: Engine) => Promise<T>): Promise<T> {
  const progress = createProgressBar();
  const { engine, ingestReport } = await openCitebot(context.config, { logger: context.logger, onProgress: progress.onProgress }).finally(progress.stop);
  if (!ingestReport.upToDate) process.stderr.write(`${describeIngest(ingestReport, context.config.model.modelId)}\n`);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

const modeOption = () => new Option('-m, --mode <mode>', 'retrieval signals to use').choices(['hybrid', 'dense', 'bm25']).default('hybrid');

/** Runs the interactive console until the user quits or input ends. */
export async function runConsole(engine: Engine, context: CliContext, input: NodeJS.ReadableStream = process.stdin): Promise<void> {
  const out = context.stdout;
  const summary = engine.summary();
  out.write(
    `citebot — ${summary.documents.length} documents, ${summary.paragraphs} paragraphs indexed (model ${summary.modelId}).\n` +
      'Ask a question, or type /source FILE:LINES, /sources, /quit.\n' +
      'To run the Discord bot instead, set DISCORD_TOKEN (see README, "Discord bot").\n\n',
  );
  const terminal = createInterface({ input, output: out as NodeJS.WritableStream, terminal: (input as { isTTY?: boolean }).isTTY === true });
  terminal.setPrompt('citebot> ');
  terminal.prompt();
  for await (const rawLine of terminal) {
    const line = rawLine.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line !== '') {
      try {
        if (line === '/sources') {
          out.write(`${summary.documents.map((d) => `${d.file}  (${d.paragraphs} paragraphs, ${d.lines} lines)`).join('\n')}\n`);
        } else if (line.startsWith('/source ')) {
          const { file, startLine, endLine } = parseSourceReference(line.slice('/source '.length).trim());
          out.write(`${renderExcerpt(await engine.source(file, startLine, endLine))}\n`);
        } else {
          out.write(`${renderAnswer(await engine.search(line))}\n`);
        }
      } catch (error) {
        if (!(error instanceof CitebotError)) throw error;
        out.write(`${error.message}\n${error.hint}\n`);
      }
      out.write('\n');
    }
    terminal.prompt();
  }
  terminal.close();
}

export function buildProgram(context: CliContext): Command {
  const out = (text: string) => context.stdout.write(`${text}\n`);
  const program = new Command('citebot')
    .description('Answer questions from a folder of documents, citing the exact source lines.')
    .showHelpAfterError('(add --help for usage)');

  program
    .command('ingest')
    .description('build or update the index of the documents folder (only new or changed files are embedded)')
    .action(async () => {
      const embedder = createEmbedder(context.config);
      const progress = createProgressBar();
      try {
        const { report } = await runIngest(context.config, embedder, { logger: context.logger, onProgress: progress.onProgress });
        progress.stop();
        out(describeIngest(report, context.config.model.modelId));
      } finally {
        progress.stop();
        await embedder.close();
      }
    });

  program
    .command('ask')
    .description('answer a question: the best sentence, the quoted passages and their citations')
    .argument('<question...>', 'the question (quote it)')
    .option('-k, --results <n>', 'number of passages', parseCount)
    .addOption(modeOption())
    .option('--debug', 'show per-signal scores and timings')
    .action(async (words: string[], options: { results?: number; mode: SearchMode; debug?: boolean }) => {
      await withEngine(context, async (engine) => {
        const result = await engine.search(words.join(' '), { mode: options.mode, ...(options.results === undefined ? {} : { k: options.results }) });
        out(renderAnswer(result, { debug: options.debug === true }));
      });
    });

  program
    .command('search')
    .description('retrieve passages; with --json, print {query, abstained, results[]} for programs')
    .argument('<query...>', 'the question (quote it)')
    .option('-k, --results <n>', 'number of passages', parseCount)
    .addOption(modeOption())
    .option('--json', 'machine-readable output')
    .option('--debug', 'show per-signal scores and timings')
    .action(async (words: string[], options: { results?: number; mode: SearchMode; json?: boolean; debug?: boolean }) => {
      await withEngine(context, async (engine) => {
        const result = await engine.search(words.join(' '), { mode: options.mode, ...(options.results === undefined ? {} : { k: options.results }) });
        out(options.json === true ? JSON.stringify(toSearchJson(result)) : renderAnswer(result, { debug: options.debug === true }));
      });
    });

  program
    .command('source')
    .description('print lines of an indexed document verbatim, with line numbers')
    .argument('<reference>', 'FILE:START-END as cited, e.g. seeds/000_e4409a72bea0ec59.txt:24-26')
    .action(async (reference: string) => {
      const { file, startLine, endLine } = parseSourceReference(reference);
      await withEngine(context, async (engine) => out(renderExcerpt(await engine.source(file, startLine, endLine))));
    });

  program
    .command('console', { isDefault: true })
    .description('interactive question answering in the terminal')
    .action(async () => withEngine(context, (engine) => runConsole(engine, context)));

  return program;
}
