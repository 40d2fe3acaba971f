// Query-embedding latency alone under different ONNX session options, interleaved per query (so machine load hits all alike).
// Usage: embed-threads.mts [queries]. Prints p50/p99 wall ms per config, and max |Δ| of vectors against the first config.
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { readQueries } from '../bench/paragraphs.ts';
import { latency } from '../bench/stats.ts';
const repoRoot = path.resolve(import.meta.dirname, '..');
const count = Number(process.argv[2] ?? 200);
const queries = (await readQueries(path.resolve(repoRoot, '../shared/eval/scifact/queries.jsonl'))).slice(0, 20 + count);
env.localModelPath = path.join(repoRoot, 'models') + path.sep; env.allowLocalModels = true; env.allowRemoteModels = false;
const prefix = 'Represent this sentence for searching relevant passages: ';
const configs: Record<string, object> = {
  't2-spin': { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential' },
  't2-nospin': { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', extra: { session: { intra_op: { allow_spinning: '0' } } } },
  't1': { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential' },
};
const only = process.env.ONLY?.split(',');
const names = Object.keys(configs).filter((n) => !only || only.includes(n));
const pipes = new Map<string, any>();
for (const name of names) pipes.set(name, await pipeline('feature-extraction', 'Xenova/bge-small-en-v1.5', { dtype: 'q8', device: 'cpu', session_options: configs[name] as any }));
const times = new Map<string, number[]>(names.map((n) => [n, []]));
const cpu = new Map<string, number>(names.map((n) => [n, 0]));
const maxDiff = new Map<string, number>(names.map((n) => [n, 0]));
for (const [qi, q] of queries.entries()) {
  const vecs = new Map<string, Float32Array>();
  for (let j = 0; j < names.length; j++) {
    const name = names[(qi + j) % names.length]!;
    const c0 = process.cpuUsage(); const t0 = performance.now();
    const out = await pipes.get(name)(prefix + q, { pooling: 'cls', normalize: true });
    const dt = performance.now() - t0; const c = process.cpuUsage(c0);
    vecs.set(name, (out.data as Float32Array).slice());
    const busy = Number(process.env.BUSY ?? 0); const b0 = performance.now(); while (performance.now() - b0 < busy);
    if (qi >= 20) { times.get(name)!.push(dt); cpu.set(name, cpu.get(name)! + (c.user + c.system) / 1000); }
  }
  const ref = vecs.get(names[0]!)!;
  for (const name of names) { const v = vecs.get(name)!; let m = 0; for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]! - ref[i]!)); maxDiff.set(name, Math.max(maxDiff.get(name)!, m)); }
}
for (const name of names) { const l = latency(times.get(name)!); console.log(`${name.padEnd(10)} p50 ${l.p50.toFixed(2)} p95 ${l.p95.toFixed(2)} p99 ${l.p99.toFixed(2)} cpu/query ${(cpu.get(name)! / count).toFixed(2)} ms  max|Δ| vs ${names[0]} ${maxDiff.get(name)!.toExponential(2)}`); }
