/**
 * Child process for the live-update rows of `npm run bench` (bench/live-update.ts); prints one
 * JSON line. Started with --expose-gc.
 *
 *   write <repoRoot> <workDir> <corpus.jsonl> <size>
 *     Writes `size` SciFact paragraphs as files (plus `changed.txt`, CHANGED_PARAGRAPHS of them)
 *     and the later versions of `changed.txt` to VERSIONS_FILE. A process of its own: cutting
 *     100k paragraphs from the corpus holds ~100 MB of text, which is the benchmark's, not the
 *     ingest's, and would count in the build process's peak RSS.
 *   build-update <repoRoot> <workDir> [model]
 *     Builds the index of those files (the bulk embedded by the stand-in below, or with `model`
 *     by the model in its worker, as `npm run ingest` does), records the process's peak RSS, then replaces `changed.txt` with other
 *     paragraphs and updates the index in place UPDATE_RUNS times, as a running bot does (the
 *     index in service handed to the ingest, the model in its worker thread): time until the
 *     update is searchable, until it is saved, the model's time to embed that file alone, and the
 *     longest event-loop stall during each update.
 *   loaded <repoRoot> <workDir>
 *     RSS with the model ready and that index loaded, after garbage collection.
 *
 * The bulk of the index is embedded by a stand-in with the model's id and dimension (hashed
 * bags of words): embedding 100k paragraphs with the model takes an hour on 2 cores and is not
 * what these rows measure; the graph, BM25 and files are built and written exactly as with the
 * model, and the model is loaded (in its worker thread) during the build so its memory counts.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createEmbedder, INDEX_BACKENDS, runIngest } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { Embedder } from '../../src/embedding/embedder.ts';
import { loadIndex, type LoadedIndex } from '../../src/index-store/index-store.ts';
import { hashedVector } from '../../test/support/test-embedder.ts';
import { benchConfig, writeParagraphFiles } from '../citebot.ts';
import { cutParagraphs, readAbstracts } from '../paragraphs.ts';

/** "One changed file of ~20 paragraphs" (issue 9). */
const CHANGED_PARAGRAPHS = 20;
const UPDATE_RUNS = 3;
/** Event-loop probe period: a stall is a gap between two probes longer than this. */
const PROBE_INTERVAL_MS = 2;

/** In the work folder, beside docs/ and index/: the versions of `changed.txt` for the updates (JSON, one array of paragraphs each). */
const VERSIONS_FILE = 'changed-versions.json';

const [mode, repoRoot, workDir, corpus, sizeText] = process.argv.slice(2) as [string, string, string, string | undefined, string | undefined];
const config = benchConfig(loadConfig(repoRoot), workDir);
const changedFile = path.join(config.seedsDir, 'changed.txt');

if (mode === 'write') {
  const size = Number(sizeText);
  const pool = cutParagraphs(await readAbstracts(corpus as string), size + CHANGED_PARAGRAPHS * (UPDATE_RUNS + 1));
  await writeParagraphFiles(pool.slice(0, size - CHANGED_PARAGRAPHS), config.seedsDir);
  const versions = Array.from({ length: UPDATE_RUNS + 1 }, (_, run) => pool.slice(size - CHANGED_PARAGRAPHS + run * CHANGED_PARAGRAPHS, size + run * CHANGED_PARAGRAPHS));
  await writeFile(changedFile, `${(versions[0] as string[]).join('\n\n')}\n`);
  await writeFile(path.join(workDir, VERSIONS_FILE), JSON.stringify(versions));
  process.stdout.write(`${JSON.stringify({ written: size })}\n`);
  process.exit(0);
}
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().rss;
};

/** What the update is doing (for attributing stalls): the ingest's progress phase, or 'load+chunk' before the first. */
let phase = 'load+chunk';

/** The longest gap between event-loop turns while `work` runs (ms), and the phase(s) it spanned. */
async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; maxStallMs: number; maxStallPhase: string }> {
  let last = performance.now();
  let lastPhase = phase;
  let maxStallMs = 0;
  let maxStallPhase = phase;
  const note = () => {
    const now = performance.now();
    const stall = now - last - PROBE_INTERVAL_MS;
    if (stall > maxStallMs) {
      maxStallMs = stall;
      maxStallPhase = lastPhase === phase ? phase : `${lastPhase} → ${phase}`;
    }
    last = now;
    lastPhase = phase;
  };
  const probe = setInterval(note, PROBE_INTERVAL_MS);
  try {
    const result = await work();
    note();
    return { result, maxStallMs, maxStallPhase };
  } finally {
    clearInterval(probe);
  }
}

const model = createEmbedder(config);
await model.ready();
await model.embed(['warm up'], 'passage');

if (mode === 'loaded') {
  const index = await loadIndex(config.indexDir, INDEX_BACKENDS, config.hnswEf);
  const rssLoaded = await settle();
  // Read after the measurement, so the index (and its native graph) is still alive during it.
  process.stdout.write(`${JSON.stringify({ rssLoaded, passages: index.paragraphs.length })}\n`);
} else {
  const versions = JSON.parse(await readFile(path.join(workDir, VERSIONS_FILE), 'utf8')) as string[][];
  const version = (run: number) => versions[run] as string[];

  const standIn: Embedder = {
    modelId: model.modelId,
    dimension: model.dimension,
    ready: async () => {},
    embed: async (texts) => texts.map((text) => hashedVector(text, model.dimension)),
    close: async () => {},
  };
  const built = performance.now();
  const bulkEmbedder = corpus === 'model' ? model : standIn;
  let { index } = await runIngest(config, bulkEmbedder, { logger: silentLogger });
  const buildSeconds = (performance.now() - built) / 1000;
  const peakRssIngest = process.resourceUsage().maxRSS * 1024;

  const updates = [];
  // With the model (as the bot runs), then with the instant stand-in: the index work alone,
  // without the embedding worker competing for the two cores.
  for (let run = 1; run <= 2 * UPDATE_RUNS; run++) {
    const embedder = run <= UPDATE_RUNS ? model : standIn;
    const texts = version(run <= UPDATE_RUNS ? run : run - UPDATE_RUNS - 1);
    const embedStarted = performance.now();
    await embedder.embed(texts, 'passage');
    const embedSeconds = (performance.now() - embedStarted) / 1000;
    await writeFile(changedFile, `${texts.join('\n\n')}\n`);
    const started = performance.now();
    let searchableSeconds = Number.NaN;
    const current: LoadedIndex = index;
    phase = 'load+chunk';
    const { result, maxStallMs, maxStallPhase } = await longestStall(() =>
      runIngest(config, embedder, {
        logger: silentLogger,
        current,
        onProgress: (progress) => (phase = progress.phase),
        onSearchable: () => {
          searchableSeconds = (performance.now() - started) / 1000;
          phase = 'switch';
        },
      }),
    );
    index = result.index;
    updates.push({
      embedder: embedder === model ? 'model' : 'stand-in',
      update: result.report.update,
      embedded: result.report.embedded,
      searchableSeconds,
      savedSeconds: (performance.now() - started) / 1000,
      ingestEmbedSeconds: result.report.embedSeconds,
      embedSeconds,
      maxStallMs,
      maxStallPhase,
    });
  }
  const passages = index.manifest.files.reduce((sum, file) => sum + file.paragraphs, 0);
  process.stdout.write(`${JSON.stringify({ paragraphs: passages, buildSeconds, buildEmbedder: bulkEmbedder === model ? 'model' : 'stand-in', peakRssIngest, updates })}\n`);
}
await model.close();
