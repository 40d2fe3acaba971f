// For the bench queries on a prebuilt index: which BM25 ranks end up in the fused duplicate window (their vectors are read after the embedding).
import path from 'node:path';
import { createEmbedder, INDEX_BACKENDS } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { loadIndex } from '../src/index-store/index-store.ts';
import { fuseRankings } from '../src/retrieval/fusion.ts';
import { collapseDuplicates } from '../src/retrieval/collapse-duplicates.ts';
import { readQueries } from '../bench/paragraphs.ts';
import { benchConfig } from '../bench/citebot.ts';
const repoRoot = path.resolve(import.meta.dirname, '..');
const n = Number(process.argv[2] ?? 10000);
const config = benchConfig(loadConfig(repoRoot), `/tmp/perf-bench/citebot-${n}`);
const index = await loadIndex(config.indexDir, INDEX_BACKENDS, config.hnswEf);
const queries = (await readQueries(path.resolve(repoRoot, '../shared/eval/scifact/queries.jsonl'))).slice(20, 220);
const embedder = createEmbedder(config); await embedder.ready();
const inWindow = new Array(50).fill(0); const asBest = new Array(50).fill(0); let denseOnly = 0, bm25Only = 0, both = 0;
for (const q of queries) {
  const [v] = await embedder.embed([q], 'query');
  const dense = index.vectors.search(v!, 50); const lexical = index.lexical.search(q, 50);
  const window = fuseRankings(dense, lexical, 'hybrid').slice(0, 60);
  const groups = collapseDuplicates(window.map((c) => ({ ...c, span: index.paragraphs[c.label]!, text: index.paragraphs[c.label]!.text, vector: index.vectors.vector(c.label) })), 0.95, 10);
  for (const g of groups) if (g.best.signals.bm25Rank !== null) asBest[g.best.signals.bm25Rank - 1]++;
  for (const c of window) { if (c.signals.bm25Rank !== null) inWindow[c.signals.bm25Rank - 1]++; if (c.signals.bm25Rank === null) denseOnly++; else if (c.signals.denseRank === null) bm25Only++; else both++; }
}
console.log('per query: denseOnly', denseOnly / queries.length, 'bm25Only', bm25Only / queries.length, 'both', both / queries.length);
console.log('share of queries where BM25 rank r is in the window, r=1..50:'); console.log(inWindow.map((c) => (c / queries.length).toFixed(2)).join(' '));
console.log('share where BM25 rank r is a group best:'); console.log(asBest.map((c) => (c / queries.length).toFixed(2)).join(' '));
await embedder.close();
