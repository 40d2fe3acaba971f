/**
 * `npm run bench`: citebot against LangChain.js and against the bare-onnxruntime ceiling, on
 * this machine, in one run. Prints a table and writes the full results as JSON under
 * bench/results/. See docs/benchmarks.md for what each number means and how it was measured.
 *
 * Heavy work runs one thing at a time (the machine's cores are all given to ONNX): never run two
 * benchmarks at once.
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config/config.ts';
import { silentLogger } from '../src/core/logger.ts';
import { loadBeirDataset, type BeirDataset } from '../src/evaluation/beir-dataset.ts';
import { evaluateBeir } from '../src/evaluation/beir-eval.ts';
import { countTokens, measureCeiling } from './ceiling.ts';
import { ChildFailed, runChild } from './child-process.ts';
import { measureAnnRecall, measureIngest, measureQueries } from './citebot.ts';
import { measureColdStart } from './cold-start.ts';
import { measureLiveUpdate, renderLiveUpdates, type LiveUpdateResult } from './live-update.ts';
import { peerInstalled } from './langchain-peer/peer.ts';
import { cutParagraphs, readAbstracts, readQueries } from './paragraphs.ts';
import { renderMachine, renderPerformance, renderQuality } from './report.ts';
import type { BenchResult, MemoryReport, PeerChildResult, QualityResult, SizeResult } from './results-schema.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseSizes(value: string): number[] {
  const sizes = value.split(',').map((part) => Number(part.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 100)) throw new InvalidArgumentError('must be a comma-separated list of paragraph counts ≥ 100.');
  return sizes;
}

const program = new Command('bench')
  .description('measure ingest throughput, query latency, memory, ANN recall, cold start and event-loop stalls; citebot vs LangChain.js vs bare onnxruntime')
  .option('--sizes <list>', 'corpus sizes in paragraphs', parseSizes, [1000, 10000])
  .option('--large', 'also measure 100,000 paragraphs (citebot and ceiling only; about 1 h on 2 cores)')
  .option('--peer-sizes <list>', 'sizes at which LangChain.js is measured too (it embeds ~12 paragraphs/s on 2 cores)', parseSizes, [1000])
  .option('--no-peer', 'skip LangChain.js')
  .option('--ceiling-max <n>', 'largest size at which the ceiling is measured (10000 adds ~4 min)', (v) => Number(v), 1000)
  .option('--quality', 'also measure SciFact retrieval quality for citebot and LangChain.js (about 25 min)')
  .option('--queries <n>', 'timed queries per size (after 20 warm-up queries)', (v) => Number(v), 200)
  .option('--cold-runs <n>', 'cold starts to time', (v) => Number(v), 5)
  .option('--scifact <dir>', 'BEIR SciFact folder (paragraphs, queries)', path.resolve(repoRoot, '../shared/eval/scifact'))
  .option('--out <dir>', 'where to write the JSON result', path.join(repoRoot, 'bench', 'results'))
  .option('--live-sizes <list>', 'index sizes (passages) at which one changed file of ~20 paragraphs is updated in place (--large adds 100,000)', parseSizes, [10000])
  .option('--only-live', 'measure only the live-update rows (in-place update latency, event-loop stall, ingest peak RSS)')
  .option('--live-build-model', "embed the live rows' index with the model instead of the stand-in (its peak RSS as `npm run ingest` has it; ~10 min at 10k, an hour at 100k)");
program.parse();
const options = program.opts<{
  sizes: number[];
  large?: boolean;
  peerSizes: number[];
  peer: boolean;
  quality?: boolean;
  ceilingMax: number;
  queries: number;
  coldRuns: number;
  scifact: string;
  out: string;
  liveSizes: number[];
  onlyLive?: boolean;
  liveBuildModel?: boolean;
}>();

const WARMUP = 20;
const say = (text: string) => process.stderr.write(`${text}\n`);

async function memoryOf(script: string, args: string[]): Promise<MemoryReport> {
  const raw = await runChild<{ paragraphs: number; textBytes: number; hnswBytes: number; rssBefore: number; rssAfter: number; heapBefore: number; heapAfter: number }>(
    path.join(repoRoot, 'bench', 'children', script),
    args,
    { cwd: repoRoot, nodeFlags: ['--expose-gc'] },
  );
  const perParagraph = (bytes: number) => bytes / raw.paragraphs;
  const textBytesPerParagraph = perParagraph(raw.textBytes);
  return {
    paragraphs: raw.paragraphs,
    rss: raw.rssAfter,
    bytesPerParagraph: perParagraph(raw.heapAfter - raw.heapBefore) + perParagraph(raw.hnswBytes) - textBytesPerParagraph,
    heapBytesPerParagraph: perParagraph(raw.heapAfter - raw.heapBefore),
    hnswBytesPerParagraph: perParagraph(raw.hnswBytes),
    rssBytesPerParagraph: perParagraph(raw.rssAfter - raw.rssBefore),
    textBytesPerParagraph,
  };
}

async function measureSize(config: Config, paragraphs: readonly string[], queries: readonly string[], workRoot: string, withPeer: boolean, withCeiling: boolean): Promise<SizeResult> {
  const n = paragraphs.length;
  const workDir = path.join(workRoot, `citebot-${n}`);
  say(`[${n}] citebot ingest …`);
  const ingest = await measureIngest(paragraphs, config, workDir, queries);
  say(`[${n}]   ${ingest.paragraphs} paragraphs in ${ingest.seconds.toFixed(1)} s (${(ingest.paragraphs / ingest.seconds).toFixed(1)}/s); longest stall ${ingest.eventLoop.maxStallMs.toFixed(0)} ms (${ingest.eventLoop.maxStallPhase})`);
  let ceiling: { seconds: number; tokens: number } | undefined;
  if (withCeiling) {
    say(`[${n}] bare onnxruntime ceiling …`);
    ceiling = await measureCeiling(paragraphs, { modelsDir: config.model.modelsDir, modelId: config.model.modelId, threads: config.model.threads, batchSize: config.model.batchSize, maxTokens: 512 });
    say(`[${n}]   ${ceiling.seconds.toFixed(1)} s (${(n / ceiling.seconds).toFixed(1)}/s)`);
  }
  say(`[${n}] ANN recall, query latency, memory …`);
  const ann = await measureAnnRecall(config, workDir, ingest.queryVectors);
  const query = await measureQueries(config, workDir, queries, WARMUP);
  const memory = await memoryOf('citebot-memory.ts', [repoRoot, workDir]);
  say(`[${n}]   recall@10 ${ann.at10.mean.toFixed(4)}; retrieval p50 ${query.latency.retrieval.p50.toFixed(1)} ms; ${(memory.bytesPerParagraph / 1024).toFixed(2)} KB/paragraph`);

  let peer: SizeResult['peer'];
  if (withPeer) {
    say(`[${n}] LangChain.js ingest (in a child process) …`);
    const input = path.join(workDir, 'peer-input.json');
    await writeFile(input, JSON.stringify({ paragraphs, queries }));
    const started = performance.now();
    try {
      const run = await runChild<PeerChildResult>(path.join(repoRoot, 'bench', 'children', 'peer-run.ts'), [input, config.model.modelsDir, config.model.modelId, workDir, String(WARMUP)], { cwd: repoRoot });
      say(`[${n}]   ${run.ingest.seconds.toFixed(1)} s (${(n / run.ingest.seconds).toFixed(1)}/s), peak RSS ${(run.maxRssBytes / 1024 ** 3).toFixed(1)} GB`);
      const peerMemory = await memoryOf('peer-memory.ts', [config.model.modelsDir, config.model.modelId, run.directory]);
      peer = {
        ingestSeconds: run.ingest.seconds,
        modelLoadSeconds: run.ingest.modelLoadSeconds,
        maxStallMs: run.ingest.maxStallMs,
        peakRssBytes: run.maxRssBytes,
        query: run.query,
        ann: run.ann,
        memory: peerMemory,
      };
    } catch (error) {
      if (!(error instanceof ChildFailed)) throw error;
      const failed = `${error.message} after ${((performance.now() - started) / 1000).toFixed(0)} s`;
      say(`[${n}]   LangChain.js failed: ${failed}`);
      peer = { failed };
    }
  }
  await rm(workDir, { recursive: true, force: true });
  return {
    paragraphs: n,
    tokens: ceiling?.tokens ?? (await countTokens(config, paragraphs)),
    citebot: {
      ingestSeconds: ingest.seconds,
      indexedParagraphs: ingest.paragraphs,
      modelLoadSeconds: ingest.modelLoadSeconds,
      phaseEnds: ingest.phaseEnds,
      eventLoop: ingest.eventLoop,
      query: query.latency,
      ann: { ef: ann.ef, at10: ann.at10, at50: ann.at50 },
      memory,
    },
    ...(ceiling === undefined ? {} : { ceiling: { seconds: ceiling.seconds, batchSize: config.model.batchSize } }),
    ...(peer === undefined ? {} : { peer }),
  };
}

/** SciFact through both systems: citebot's eval pipeline (three modes) and LangChain on the same document texts. */
async function measureQuality(config: Config, dataset: BeirDataset, workRoot: string, withPeer: boolean): Promise<QualityResult> {
  say('[quality] citebot on SciFact …');
  const run = await evaluateBeir(dataset, { config, workDir: path.join(workRoot, 'scifact'), modes: ['hybrid', 'dense', 'bm25'], logger: silentLogger });
  const citebot = run.scores.map(({ querySeconds: _, ...scores }) => scores);
  if (!withPeer) return { dataset: dataset.name, citebot, citebotIndexSeconds: run.indexSeconds };

  say('[quality] LangChain.js on SciFact (in a child process) …');
  try {
    const peer = await runChild<NonNullable<QualityResult['peer']>>(
      path.join(repoRoot, 'bench', 'children', 'peer-quality.ts'),
      [options.scifact, config.model.modelsDir, config.model.modelId, String(config.hnswEf)],
      { cwd: repoRoot },
    );
    return { dataset: dataset.name, citebot, citebotIndexSeconds: run.indexSeconds, peer };
  } catch (error) {
    if (!(error instanceof ChildFailed)) throw error;
    say(`[quality]   LangChain.js failed: ${error.message}`);
    return { dataset: dataset.name, citebot, citebotIndexSeconds: run.indexSeconds };
  }
}

const started = performance.now();
const config = loadConfig(repoRoot);
const withPeer = options.peer && peerInstalled();
if (options.peer && !withPeer) say('LangChain.js is not installed for the benchmark: run `npm run bench:setup` once. Measuring without it.');
const sizes = [...new Set([...options.sizes, ...(options.large === true ? [100_000] : [])])].sort((a, b) => a - b);

const abstracts = await readAbstracts(path.join(options.scifact, 'corpus.jsonl'));
// Timed queries: SciFact's claims, in file order (warm-up first); real questions about this text.
const queries = (await readQueries(path.join(options.scifact, 'queries.jsonl'))).slice(0, WARMUP + options.queries);
if (queries.length < WARMUP + options.queries) say(`Only ${queries.length} queries available.`);

const workRoot = await mkdtemp(path.join(os.tmpdir(), 'citebot-bench-'));
const date = new Date().toISOString();
const file = path.join(options.out, `bench-${date.replace(/[:.]/g, '-')}.json`);
const cpus = os.cpus();
const header = {
  version: 1,
  date,
  machine: {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  },
  settings: {
    model: config.model.modelId,
    dtype: config.model.dtype,
    threads: config.model.threads,
    batchSize: config.model.batchSize,
    hnswEf: config.hnswEf,
    queries: options.queries,
    warmup: WARMUP,
  },
} as const;
/** Written after every stage, so a run that is stopped half-way still leaves what it measured. */
const save = async (result: BenchResult) => {
  await mkdir(options.out, { recursive: true });
  await writeFile(file, `${JSON.stringify(result, null, 2)}\n`);
};
/** The live-update rows: one changed file in an index of each size, in fresh child processes. */
async function measureLiveUpdates(): Promise<LiveUpdateResult[]> {
  const liveSizes = [...new Set([...options.liveSizes, ...(options.large === true ? [100_000] : [])])].sort((a, b) => a - b);
  const rows: LiveUpdateResult[] = [];
  for (const n of liveSizes) {
    say(`[live ${n}] build, then update one changed file in place …`);
    const row = await measureLiveUpdate(repoRoot, path.join(options.scifact, 'corpus.jsonl'), n, path.join(workRoot, `live-${n}`), options.liveBuildModel === true ? 'model' : 'stand-in');
    say(`[live ${n}]   searchable after ${row.updates.map((run) => run.searchableSeconds.toFixed(2)).join(', ')} s; stalls ${row.updates.map((run) => `${run.maxStallMs.toFixed(0)} ms (${run.maxStallPhase})`).join(', ')}`);
    rows.push(row);
    await rm(path.join(workRoot, `live-${n}`), { recursive: true, force: true });
  }
  return rows;
}

if (options.onlyLive === true) {
  try {
    const liveUpdates = await measureLiveUpdates();
    await mkdir(options.out, { recursive: true });
    const liveFile = path.join(options.out, `live-${date.replace(/[:.]/g, '-')}.json`);
    await writeFile(liveFile, `${JSON.stringify({ ...header, liveUpdates, seconds: (performance.now() - started) / 1000 }, null, 2)}\n`);
    process.stdout.write([renderMachine({ ...header, sizes: [], coldStart: undefined as never, seconds: 0 }), '', renderLiveUpdates(liveUpdates), '', `Written to ${path.relative(repoRoot, liveFile)}.`, ''].join('\n'));
  } finally {
    await rm(workRoot, { recursive: true, force: true });
  }
  process.exit(0);
}

try {
  say('cold start …');
  const coldStart = await measureColdStart(repoRoot, path.join(workRoot, 'seeds-index'), options.coldRuns);
  const results: SizeResult[] = [];
  const snapshot = (quality?: QualityResult): BenchResult => ({
    ...header,
    sizes: results,
    coldStart,
    ...(quality === undefined ? {} : { quality }),
    seconds: (performance.now() - started) / 1000,
  });
  const pool = cutParagraphs(abstracts, Math.max(...sizes));
  for (const n of sizes) {
    results.push(await measureSize(config, pool.slice(0, n), queries, workRoot, withPeer && options.peerSizes.includes(n), n <= options.ceilingMax));
    await save(snapshot());
  }
  const quality = options.quality === true ? await measureQuality(config, await loadBeirDataset(options.scifact, 'test'), workRoot, withPeer) : undefined;
  const liveUpdates = await measureLiveUpdates();
  const result = { ...snapshot(quality), liveUpdates };
  await save(result);
  const qualityTable = renderQuality([result]);
  process.stdout.write(
    [renderMachine(result), '', renderPerformance([result]), ...(qualityTable === undefined ? [] : ['', qualityTable]), '', renderLiveUpdates(liveUpdates), '', `Written to ${path.relative(repoRoot, file)} (${(result.seconds / 60).toFixed(1)} min).`, ''].join('\n'),
  );
} finally {
  await rm(workRoot, { recursive: true, force: true });
}
