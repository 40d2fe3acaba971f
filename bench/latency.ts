/**
 * `npm run bench:latency`: query latency only (retrieval and the full answer, per stage) on the
 * benchmark's indexes, built once into `--work-dir` and kept: a 100,000-passage build takes about
 * an hour on 2 cores, and a change to retrieval does not change the index, so measuring it before
 * and after should not pay for that twice. Same paragraphs, queries, warm-up and statistics as
 * `npm run bench` (bench/run.ts, bench/citebot.ts `measureQueries`), so the rows compare with its
 * table. The machine's load average is printed with every row: on a shared machine the numbers
 * mean little without it.
 */
import { Command, InvalidArgumentError } from 'commander';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.ts';
import { measureIngest, measureQueries, type QueryMeasurement } from './citebot.ts';
import { cutParagraphs, readAbstracts, readQueries } from './paragraphs.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Untimed questions first, as in bench/run.ts: the first ones pay for JIT and caches. */
const WARMUP = 20;
/** Written next to a finished index: a build that was stopped half-way is built again, not measured. */
const BUILT_MARKER = 'built.txt';

function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new InvalidArgumentError('must be a comma-separated list of paragraph counts ≥ 100.');
  return sizes;
}

/** One Markdown row of a size's latencies (ms) and the 1-minute load average before and after. Pure. */
export function latencyRow(paragraphs: number, latency: QueryMeasurement['latency'], load: readonly [number, number]): string {
  const at = (stage: keyof QueryMeasurement['latency'], p: 'p50' | 'p99') => latency[stage][p].toFixed(1);
  const both = (stage: keyof QueryMeasurement['latency']) => `${at(stage, 'p50')} / ${at(stage, 'p99')}`;
  return `| ${paragraphs} | ${both('retrieval')} | ${both('total')} | ${both('embed')} | ${both('dense')} | ${both('bm25')} | ${both('fusion')} | ${both('highlight')} | ${load[0].toFixed(1)} → ${load[1].toFixed(1)} |`;
}

export const LATENCY_HEADER = [
  '| paragraphs | retrieval p50 / p99 (ms) | full answer p50 / p99 | embed (wait for the vector) | vector search | BM25 | fusion, evidence, relevance | highlight | load average (1 min) |',
  '|---|---|---|---|---|---|---|---|---|',
].join('\n');

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const program = new Command('bench:latency')
    .description('query latency (retrieval and full answer) on kept benchmark indexes, built once')
    .option('--sizes <list>', 'index sizes in paragraphs', parseSizes, [10000])
    .option('--work-dir <dir>', 'where the indexes are built and kept (citebot-<size>/)', path.join(repoRoot, 'bench', '_dev', 'indexes'))
    .option('--queries <n>', 'timed questions (after the warm-up)', (value) => Number(value), 200)
    .option('--scifact <dir>', 'BEIR SciFact folder', path.resolve(repoRoot, '../shared/eval/scifact'));
  program.parse();
  const options = program.opts<{ sizes: number[]; workDir: string; queries: number; scifact: string }>();

  const config = loadConfig(repoRoot);
  const queries = (await readQueries(path.join(options.scifact, 'queries.jsonl'))).slice(0, WARMUP + options.queries);
  const rows: string[] = [LATENCY_HEADER];
  for (const n of options.sizes) {
    const workDir = path.join(options.workDir, `citebot-${n}`);
    if (!existsSync(path.join(workDir, BUILT_MARKER))) {
      process.stderr.write(`[${n}] building the index with the model (kept in ${workDir}) …\n`);
      const pool = cutParagraphs(await readAbstracts(path.join(options.scifact, 'corpus.jsonl')), n);
      const run = await measureIngest(pool, config, workDir, queries.slice(0, 1));
      await writeFile(path.join(workDir, BUILT_MARKER), `${run.paragraphs} paragraphs in ${run.seconds.toFixed(0)} s\n`);
    }
    const loadBefore = os.loadavg()[0] ?? Number.NaN;
    const { latency } = await measureQueries(config, workDir, queries, WARMUP);
    rows.push(latencyRow(n, latency, [loadBefore, os.loadavg()[0] ?? Number.NaN]));
    process.stderr.write(`${rows.at(-1)}\n`);
  }
  process.stdout.write(`${rows.join('\n')}\n`);
}
