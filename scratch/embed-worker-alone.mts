// A question's embedding through the worker (WorkerEmbedder) with nothing else running on the main thread.
import path from 'node:path';
import { createEmbedder } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { readQueries } from '../bench/paragraphs.ts';
import { latency } from '../bench/stats.ts';
const repoRoot = path.resolve(import.meta.dirname, '..');
const queries = (await readQueries(path.resolve(repoRoot, '../shared/eval/scifact/queries.jsonl'))).slice(0, 220);
const e = createEmbedder(loadConfig(repoRoot)); await e.ready();
const busy = Number(process.env.BUSY ?? 0);
const ms: number[] = [];
for (const [i, q] of queries.entries()) { const t = performance.now(); await e.embed([q], 'query'); if (i >= 20) ms.push(performance.now() - t); const b0 = performance.now(); while (performance.now() - b0 < busy); }
const l = latency(ms); console.log('worker embed p50', l.p50.toFixed(2), 'p99', l.p99.toFixed(2), 'busy', busy);
await e.close();
