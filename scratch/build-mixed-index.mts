// Builds a 100k-passage bench index without an hour of embedding: the bench's paragraphs, the first 10k
// with their real model vectors (read back from the real 10k index, /tmp/perf-bench/citebot-10000), the
// rest with hashed stand-in vectors (test/support/test-embedder.ts; near-orthogonal to real questions,
// so dense results come from the real 10k while HNSW searches a 100k graph and BM25 a 100k corpus).
// Usage: build-mixed-index.mts [n]  → /tmp/perf-bench/mixed-<n>
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { INDEX_BACKENDS, runIngest } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/core/logger.ts';
import type { Embedder } from '../src/embedding/embedder.ts';
import { loadIndex } from '../src/index-store/index-store.ts';
import { hashedVector } from '../test/support/test-embedder.ts';
import { benchConfig, writeParagraphFiles } from '../bench/citebot.ts';
import { cutParagraphs, readAbstracts } from '../bench/paragraphs.ts';
const repoRoot = path.resolve(import.meta.dirname, '..');
const n = Number(process.argv[2] ?? 100000);
const base = loadConfig(repoRoot);
const real = await loadIndex('/tmp/perf-bench/citebot-10000/index', INDEX_BACKENDS, base.hnswEf);
const byText = new Map<string, Float32Array>();
real.paragraphs.forEach((p, label) => { if (p !== undefined) byText.set(p.text, real.vectors.vector(label)); });
let realHits = 0;
const embedder: Embedder = {
  modelId: base.model.modelId, dimension: real.vectors.dimension,
  ready: async () => undefined, close: async () => undefined,
  embed: async (texts, _kind, onProgress) => {
    const out = texts.map((t) => { const v = byText.get(t.slice(t.lastIndexOf('\n') + 1)); if (v) realHits++; return v ?? hashedVector(t, real.vectors.dimension); });
    onProgress?.({ done: texts.length, total: texts.length });
    return out;
  },
};
const config = benchConfig(base, `/tmp/perf-bench/mixed-${n}`);
const pool = cutParagraphs(await readAbstracts(path.resolve(repoRoot, '../shared/eval/scifact/corpus.jsonl')), n);
await writeParagraphFiles(pool, config.seedsDir);
const t = performance.now();
const { report } = await runIngest(config, embedder, { logger: silentLogger });
await writeFile(path.join(config.indexDir, 'DONE'), `${report.paragraphs} paragraphs, ${realHits} real vectors, ${((performance.now() - t) / 1000).toFixed(0)} s\n`);
console.error(`${report.paragraphs} paragraphs, ${realHits} with real vectors, ${((performance.now() - t) / 1000).toFixed(0)} s`);
