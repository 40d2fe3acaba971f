// Batch (ingest) embedding throughput under different ONNX session options, interleaved per batch. Usage: embed-batch.mts [batches]
import path from 'node:path';
import { env, pipeline } from '@huggingface/transformers';
import { cutParagraphs, readAbstracts } from '../bench/paragraphs.ts';
const repoRoot = path.resolve(import.meta.dirname, '..');
const batches = Number(process.argv[2] ?? 20);
const paragraphs = cutParagraphs(await readAbstracts(path.resolve(repoRoot, '../shared/eval/scifact/corpus.jsonl')), 32 * batches);
env.localModelPath = path.join(repoRoot, 'models') + path.sep; env.allowLocalModels = true; env.allowRemoteModels = false;
const configs: Record<string, object> = {
  't2-spin': { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential' },
  't2-nospin': { intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', extra: { session: { intra_op: { allow_spinning: '0' } } } },
};
const names = Object.keys(configs);
const pipes = new Map<string, any>();
for (const name of names) pipes.set(name, await pipeline('feature-extraction', 'Xenova/bge-small-en-v1.5', { dtype: 'q8', device: 'cpu', session_options: configs[name] as any }));
const wall = new Map<string, number>(names.map((n) => [n, 0])); const cpu = new Map<string, number>(names.map((n) => [n, 0]));
for (let b = 0; b < batches; b++) {
  const texts = paragraphs.slice(b * 32, (b + 1) * 32);
  for (let j = 0; j < names.length; j++) {
    const name = names[(b + j) % names.length]!;
    const c0 = process.cpuUsage(); const t0 = performance.now();
    const out = await pipes.get(name)(texts, { pooling: 'cls', normalize: true }); out.dispose?.();
    if (b > 0) { wall.set(name, wall.get(name)! + performance.now() - t0); const c = process.cpuUsage(c0); cpu.set(name, cpu.get(name)! + (c.user + c.system) / 1000); }
  }
}
for (const name of names) console.log(`${name.padEnd(10)} ${((32 * (batches - 1)) / (wall.get(name)! / 1000)).toFixed(1)} paragraphs/s wall, cpu ${(cpu.get(name)! / (batches - 1)).toFixed(0)} ms/batch`);
