// Where a question's embedding time goes inside transformers.js: tokenizer vs ONNX run vs the rest (pooling, normalising).
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { readQueries } from '../bench/paragraphs.ts';
import { latency } from '../bench/stats.ts';
import { SESSION_CONFIG_ENTRIES } from '../src/embedding/transformers-model.ts';
const repoRoot = path.resolve(import.meta.dirname, '..');
const queries = (await readQueries(path.resolve(repoRoot, '../shared/eval/scifact/queries.jsonl'))).slice(0, 220);
env.localModelPath = path.join(repoRoot, 'models') + path.sep; env.allowLocalModels = true; env.allowRemoteModels = false;
const p: any = await pipeline('feature-extraction', 'Xenova/bge-small-en-v1.5', { dtype: 'q8', device: 'cpu', session_options: { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', extra: SESSION_CONFIG_ENTRIES } as any });
const session = p.model.sessions.model;
const origRun = session.run.bind(session); let runMs = 0; session.run = async (...a: any[]) => { const t = performance.now(); const r = await origRun(...a); runMs += performance.now() - t; return r; };
const tok: number[] = [], run: number[] = [], total: number[] = [];
for (const [i, q] of queries.entries()) {
  const text = 'Represent this sentence for searching relevant passages: ' + q;
  let t = performance.now(); p.tokenizer(text, { padding: true, truncation: true }); const tk = performance.now() - t;
  runMs = 0; t = performance.now(); await p(text, { pooling: 'cls', normalize: true }); const tt = performance.now() - t;
  if (i >= 20) { tok.push(tk); run.push(runMs); total.push(tt); }
}
for (const [n, v] of [['tokenizer', tok], ['onnx run', run], ['pipeline total', total]] as const) { const l = latency(v); console.log(n.padEnd(15), 'p50', l.p50.toFixed(2), 'p99', l.p99.toFixed(2)); }
