/**
 * Child process: citebot's memory with an index loaded. Started with --expose-gc by bench/run.ts;
 * prints one JSON line. Memory is read after the model is loaded (in its worker thread, as in the
 * bot) and again after loadIndex, each after full garbage collections. The HNSW graph lives outside
 * the JS heap; its size is that of its saved file (hnswlib writes its memory layout as is).
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createEmbedder, INDEX_BACKENDS } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { loadIndex } from '../../src/index-store/index-store.ts';
import { benchConfig } from '../citebot.ts';

const [repoRoot, workDir] = process.argv.slice(2) as [string, string];
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
};
const config = benchConfig(loadConfig(repoRoot), workDir);
const embedder = createEmbedder(config);
await embedder.ready();
await embedder.embed(['warm up'], 'query');
const before = await settle();
const index = await loadIndex(config.indexDir, INDEX_BACKENDS, config.hnswEf);
const after = await settle();
const textBytes = index.paragraphs.reduce((sum, paragraph) => sum + Buffer.byteLength(paragraph.text), 0);
const generation = (await readFile(path.join(config.indexDir, 'CURRENT'), 'utf8')).trim();
const hnswBytes = (await stat(path.join(config.indexDir, generation, 'vectors.hnsw'))).size;
process.stdout.write(
  `${JSON.stringify({ paragraphs: index.paragraphs.length, textBytes, hnswBytes, rssBefore: before.rss, rssAfter: after.rss, heapBefore: before.heapUsed, heapAfter: after.heapUsed })}\n`,
);
await embedder.close();
