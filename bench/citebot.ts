/**
 * citebot's side of the benchmark, through its real code paths: runIngest (load, chunk, embed in
 * the worker thread, HNSW, BM25, save) on a folder of files, then openCitebot and Engine.search
 * as the bot runs them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createEmbedder, INDEX_BACKENDS, openCitebot, runIngest } from '../src/app.ts';
import type { Config } from '../src/config/config.ts';
import { silentLogger } from '../src/core/logger.ts';
import type { SearchResult } from '../src/core/types.ts';
import type { IngestProgress } from '../src/index-store/ingest.ts';
import { loadIndex } from '../src/index-store/index-store.ts';
import { exactTopK, type Recall, recallAgainstExact } from './exact-search.ts';
import { latency, type Latency } from './stats.ts';

/** Paragraphs per file of the benchmark corpus (blank-line separated, one line each). */
const PARAGRAPHS_PER_FILE = 100;

/** A config whose documents and index live in `workDir` (never the project's seeds/ or embeddings/). */
export function benchConfig(base: Config, workDir: string): Config {
  return { ...base, rootDir: workDir, seedsDir: path.join(workDir, 'docs'), indexDir: path.join(workDir, 'index') };
}

/** Writes the paragraphs as text files, PARAGRAPHS_PER_FILE to a file, blank lines between. */
export async function writeParagraphFiles(paragraphs: readonly string[], folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let start = 0, n = 0; start < paragraphs.length; start += PARAGRAPHS_PER_FILE, n++) {
    const text = paragraphs.slice(start, start + PARAGRAPHS_PER_FILE).join('\n\n');
    await writeFile(path.join(folder, `part-${String(n).padStart(5, '0')}.txt`), `${text}\n`);
  }
}

export type StallPhase = 'load+chunk' | IngestProgress['phase'];

export interface EventLoopReport {
  /** Longest event-loop stall over the whole ingest (ms), and the phases it spanned ("index → save"). */
  readonly maxStallMs: number;
  readonly maxStallPhase: string;
  /** Longest stall per phase or span of phases (ms): `embed` holds stalls that began and ended while only embedding was under way. */
  readonly perPhase: Readonly<Record<string, number>>;
  /** perf_hooks.monitorEventLoopDelay's maximum over the ingest (ms), as a cross-check. */
  readonly histogramMaxMs: number;
}

export interface IngestMeasurement {
  /** Paragraphs indexed (after the chunker). */
  readonly paragraphs: number;
  /** Wall time of runIngest with the model already loaded. */
  readonly seconds: number;
  readonly modelLoadSeconds: number;
  /** Time from start until each phase ended (s): load+chunk ends when the embedder reports its first batch, embed when it reports its last. */
  readonly phaseEnds: Readonly<Partial<Record<StallPhase, number>>>;
  readonly eventLoop: EventLoopReport;
}

const PROBE_INTERVAL_MS = 2;

/**
 * A setInterval drift probe: each late tick is a stall of the main thread. A stall is recorded
 * under the phases that were current at some moment during it (ingest changes phase
 * synchronously, so one stall can span "index → save"): `embed` alone means the main thread
 * stalled while only embedding was under way.
 */
function startStallProbe(initial: StallPhase) {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const perPhase: Record<string, number> = {};
  let worst = { ms: 0, phases: [initial] };
  let last = performance.now();
  let current = initial;
  let seen: StallPhase[] = [initial];
  const timer = setInterval(() => {
    const now = performance.now();
    const stall = now - last - PROBE_INTERVAL_MS;
    const span = seen.join(' → ');
    perPhase[span] = Math.max(perPhase[span] ?? 0, stall);
    if (stall > worst.ms) worst = { ms: stall, phases: seen };
    last = now;
    seen = [current];
  }, PROBE_INTERVAL_MS);
  return {
    enter(phase: StallPhase) {
      current = phase;
      if (!seen.includes(phase)) seen = [...seen, phase];
    },
    stop(): EventLoopReport {
      clearInterval(timer);
      histogram.disable();
      return { maxStallMs: worst.ms, maxStallPhase: worst.phases.join(' → '), perPhase, histogramMaxMs: histogram.max / 1e6 };
    },
  };
}

export interface IngestRun extends IngestMeasurement {
  /** Query vectors of `queries`, embedded by the same worker after the ingest (for ANN recall). */
  readonly queryVectors: Float32Array[];
}

/** Ingests `paragraphs` into a fresh index in `workDir`, timing it and watching the main thread's event loop. */
export async function measureIngest(paragraphs: readonly string[], base: Config, workDir: string, queries: readonly string[]): Promise<IngestRun> {
  const config = benchConfig(base, workDir);
  await writeParagraphFiles(paragraphs, config.seedsDir);
  const embedder = createEmbedder(config);
  try {
    const loadStarted = performance.now();
    await embedder.ready();
    const modelLoadSeconds = (performance.now() - loadStarted) / 1000;

    let phase: StallPhase = 'load+chunk';
    const phaseEnds: Partial<Record<StallPhase, number>> = {};
    const probe = startStallProbe(phase);
    const started = performance.now();
    const enter = (next: StallPhase) => {
      if (next === phase) return;
      phaseEnds[phase] ??= (performance.now() - started) / 1000;
      phase = next;
      probe.enter(next);
    };
    const { report } = await runIngest(config, embedder, {
      logger: silentLogger,
      onProgress: (progress) => {
        enter(progress.phase);
        // The last batch is back: what follows on the main thread (receiving vectors, building HNSW) is indexing.
        if (progress.phase === 'embed' && progress.done === progress.total) enter('index');
      },
    });
    const seconds = (performance.now() - started) / 1000;
    phaseEnds[phase] ??= seconds;
    const eventLoop = probe.stop();
    const queryVectors = await embedder.embed(queries, 'query');
    return { paragraphs: report.paragraphs, seconds, modelLoadSeconds, phaseEnds, eventLoop, queryVectors };
  } finally {
    await embedder.close();
  }
}

type Stage = 'embed' | 'dense' | 'bm25' | 'fusion' | 'highlight' | 'total';

export interface QueryMeasurement {
  readonly queries: number;
  /**
   * Per stage, as Engine.search reports it; `retrieval` = everything but the highlight (total −
   * highlight: BM25 runs while the question is embedded, so the stages overlap and do not add up).
   */
  readonly latency: Readonly<Record<Stage | 'retrieval', Latency>>;
}

/** Opens the built index as the bot does and times warm queries (after `warmup` untimed ones). */
export async function measureQueries(base: Config, workDir: string, queries: readonly string[], warmup: number): Promise<QueryMeasurement> {
  const { engine } = await openCitebot(benchConfig(base, workDir), { logger: silentLogger });
  try {
    for (const query of queries.slice(0, warmup)) await engine.search(query);
    const results: SearchResult[] = [];
    for (const query of queries.slice(warmup)) results.push(await engine.search(query));
    const of = (pick: (timings: SearchResult['timings']) => number) => latency(results.map((result) => pick(result.timings)));
    return {
      queries: results.length,
      latency: {
        embed: of((t) => t.embed),
        dense: of((t) => t.dense),
        bm25: of((t) => t.bm25),
        fusion: of((t) => t.fusion),
        highlight: of((t) => t.highlight),
        total: of((t) => t.total),
        retrieval: of((t) => t.total - t.highlight),
      },
    };
  } finally {
    await engine.close();
  }
}

/** HNSW (as saved, with the configured ef) against exact search over the same vectors. */
export async function measureAnnRecall(base: Config, workDir: string, queryVectors: readonly Float32Array[]): Promise<{ at10: Recall; at50: Recall; ef: number }> {
  const config = benchConfig(base, workDir);
  const index = await loadIndex(config.indexDir, INDEX_BACKENDS, config.hnswEf);
  const vectors = Array.from({ length: index.paragraphs.length }, (_, label) => index.vectors.vector(label));
  const approximate = (k: number) => queryVectors.map((query) => index.vectors.search(query, k).map((hit) => hit.label));
  const exact = (k: number) => queryVectors.map((query) => exactTopK(vectors, query, k));
  return { at10: recallAgainstExact(approximate(10), exact(10)), at50: recallAgainstExact(approximate(50), exact(50)), ef: config.hnswEf };
}
