// A/B in one process: main's engine (scratch/old/engine-main.ts) vs this worktree's, one loaded index, one real
// embedding worker, questions interleaved (random order per question). Usage: ab-overlap.mts <index dir> [queries]
import { createEmbedder, INDEX_BACKENDS, openEngineModels } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { loadIndex } from '../src/index-store/index-store.ts';
import { modelProfile } from '../src/embedding/model-profiles.ts';
import { createEngine, DEFAULT_CANDIDATES } from '../src/retrieval/engine.ts';
import { createEngine as createMainEngine } from './old/engine-main.ts';
import { benchConfig } from '../bench/citebot.ts';
import { readQueries } from '../bench/paragraphs.ts';
import { latency } from '../bench/stats.ts';
import path from 'node:path';
const repoRoot = path.resolve(import.meta.dirname, '..');
const dir = process.argv[2]!; const count = Number(process.argv[3] ?? 200);
const queries = (await readQueries(path.resolve(repoRoot, '../shared/eval/scifact/queries.jsonl'))).slice(0, 20 + count);
const config = benchConfig(loadConfig(repoRoot), dir);
const index = await loadIndex(config.indexDir, INDEX_BACKENDS, config.hnswEf);
const models = await openEngineModels(config); const profile = modelProfile(config.model.modelId);
const embedder = createEmbedder(config); await embedder.ready();
const settings = { ...(models.ranking === undefined ? {} : { ranking: models.ranking }), rootDir: config.rootDir, defaultResults: config.defaultResults, candidates: DEFAULT_CANDIDATES, relevance: models.decision, duplicateAbove: profile.duplicateAbove, backgroundRank: profile.backgroundRank, maxQuestionLength: config.maxQuestionLength, retrievalContext: config.retrievalContext, documentsDir: config.seedsDir, citationPrefix: config.citationPrefix };
const engines = { main: createMainEngine(index, embedder, settings), perf: createEngine(index, embedder, settings) };
for (const q of queries.slice(0, 20)) for (const e of Object.values(engines)) await e.search(q);
const t: Record<string, Record<string, number[]>> = { main: {}, perf: {} };
let differ = 0;
for (const q of queries.slice(20)) {
  const out: Record<string, unknown> = {};
  for (const name of (Math.random() < 0.5 ? ['main', 'perf'] : ['perf', 'main']) as ('main' | 'perf')[]) {
    const { timings: x, ...rest } = await engines[name].search(q); out[name] = rest;
    const push = (k: string, v: number) => (t[name]![k] ??= []).push(v);
    push('embed', x.embed); push('after embed', x.total - x.embed); push('full', x.total);
  }
  if (JSON.stringify(out.main) !== JSON.stringify(out.perf)) differ++;
}
for (const stage of ['embed', 'after embed', 'full']) {
  const b = latency(t.main![stage]!), a = latency(t.perf![stage]!);
  console.log(`${stage.padEnd(12)} main p50 ${b.p50.toFixed(2).padStart(6)} p99 ${b.p99.toFixed(2).padStart(6)} | perf p50 ${a.p50.toFixed(2).padStart(6)} p99 ${a.p99.toFixed(2).padStart(6)}`);
}
console.log('results differing:', differ, 'of', count);
await embedder.close();
