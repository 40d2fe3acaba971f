/**
 * Turns bench results into markdown tables. One result file gives one value per cell; several
 * (repeated runs) give the median with the range in brackets. Pure.
 */
import type { BenchResult, PeerSizeResult, SizeResult } from './results-schema.ts';
import { median } from './stats.ts';

/** One table row: a label, a value per run (undefined when not measured), a format and the issue's target. */
interface Row {
  readonly label: string;
  readonly value: (size: SizeResult) => number | undefined;
  readonly format: (value: number) => string;
  readonly target?: string;
}

/** The peer's measurements at this size, when it ran to the end. */
const peerOf = (size: SizeResult): PeerSizeResult | undefined => (size.peer === undefined || 'failed' in size.peer ? undefined : size.peer);

const fixed = (digits: number) => (value: number) => value.toFixed(digits);
const ms = (value: number) => value.toFixed(1);
const kb = (value: number) => (value / 1024).toFixed(2);
const mb = (value: number) => (value / 1024 / 1024).toFixed(0);

const ROWS: readonly Row[] = [
  { label: 'citebot ingest, paragraphs/s', value: (s) => s.citebot.indexedParagraphs / s.citebot.ingestSeconds, format: fixed(1) },
  { label: 'citebot ingest, tokens/s', value: (s) => s.tokens / s.citebot.ingestSeconds, format: fixed(0) },
  { label: 'LangChain.js ingest, paragraphs/s', value: (s) => ratio(s.paragraphs, peerOf(s)?.ingestSeconds), format: fixed(1) },
  { label: 'bare onnxruntime ceiling, paragraphs/s', value: (s) => (s.ceiling === undefined ? undefined : s.paragraphs / s.ceiling.seconds), format: fixed(1) },
  { label: 'ingest speed, citebot / LangChain.js', value: (s) => ratio(peerOf(s)?.ingestSeconds, s.citebot.ingestSeconds), format: (v) => `${v.toFixed(2)}×`, target: '≥ 2×' },
  { label: 'ingest speed, citebot / ceiling', value: (s) => (s.ceiling === undefined ? undefined : s.ceiling.seconds / s.citebot.ingestSeconds), format: (v) => `${(v * 100).toFixed(0)}%`, target: '≥ 85%' },
  { label: 'query p50, retrieval (ms)', value: (s) => s.citebot.query['retrieval']?.p50, format: ms, target: '≤ 15 at 100k' },
  { label: 'query p95, retrieval (ms)', value: (s) => s.citebot.query['retrieval']?.p95, format: ms },
  { label: 'query p99, retrieval (ms)', value: (s) => s.citebot.query['retrieval']?.p99, format: ms, target: '≤ 50 at 100k' },
  { label: '  embed p50 (ms)', value: (s) => s.citebot.query['embed']?.p50, format: ms },
  { label: '  embed p99 (ms)', value: (s) => s.citebot.query['embed']?.p99, format: ms },
  { label: '  vector search p50 (ms)', value: (s) => s.citebot.query['dense']?.p50, format: fixed(2) },
  { label: '  vector search p99 (ms)', value: (s) => s.citebot.query['dense']?.p99, format: fixed(2) },
  { label: '  BM25 p50 (ms)', value: (s) => s.citebot.query['bm25']?.p50, format: fixed(2) },
  { label: '  BM25 p99 (ms)', value: (s) => s.citebot.query['bm25']?.p99, format: fixed(2) },
  { label: '  fusion p50 (ms)', value: (s) => s.citebot.query['fusion']?.p50, format: fixed(2) },
  { label: '  fusion p99 (ms)', value: (s) => s.citebot.query['fusion']?.p99, format: fixed(2) },
  { label: '  + highlight p50 (ms)', value: (s) => s.citebot.query['highlight']?.p50, format: ms },
  { label: 'query p50, full answer incl. highlight (ms)', value: (s) => s.citebot.query['total']?.p50, format: ms, target: '≤ 25 at 10k and 100k' },
  { label: 'query p99, full answer incl. highlight (ms)', value: (s) => s.citebot.query['total']?.p99, format: ms, target: '≤ 60 at 10k and 100k' },
  { label: 'LangChain.js query p50 (ms)', value: (s) => peerOf(s)?.query['total']?.p50, format: ms },
  { label: 'LangChain.js query p99 (ms)', value: (s) => peerOf(s)?.query['total']?.p99, format: ms },
  { label: 'query p50, citebot retrieval / LangChain.js', value: (s) => ratio(s.citebot.query['retrieval']?.p50, peerOf(s)?.query['total']?.p50), format: fixed(2) },
  { label: 'RSS with index loaded (MB)', value: (s) => s.citebot.memory.rss, format: mb },
  { label: 'memory per paragraph beyond its text (KB)', value: (s) => s.citebot.memory.bytesPerParagraph, format: kb, target: '≤ 2.5 KB' },
  { label: '  JS heap (paragraphs + BM25), incl. text (KB)', value: (s) => s.citebot.memory.heapBytesPerParagraph, format: kb },
  { label: '  HNSW graph, vectors + links (KB)', value: (s) => s.citebot.memory.hnswBytesPerParagraph, format: kb },
  { label: '  − text, UTF-8 (KB)', value: (s) => s.citebot.memory.textBytesPerParagraph, format: kb },
  { label: '  RSS growth on loading, cross-check (KB)', value: (s) => s.citebot.memory.rssBytesPerParagraph, format: kb },
  { label: 'LangChain.js peak RSS while ingesting (MB)', value: (s) => peerOf(s)?.peakRssBytes, format: mb },
  { label: 'LangChain.js RSS with index loaded (MB)', value: (s) => peerOf(s)?.memory.rss, format: mb },
  { label: 'LangChain.js memory per paragraph beyond text (KB)', value: (s) => peerOf(s)?.memory.bytesPerParagraph, format: kb },
  { label: 'RSS, citebot / LangChain.js', value: (s) => ratio(s.citebot.memory.rss, peerOf(s)?.memory.rss), format: fixed(2) },
  { label: 'ANN recall@10 vs exact (citebot, ef 128)', value: (s) => s.citebot.ann.at10.mean, format: fixed(4), target: '≥ 0.99' },
  { label: 'ANN recall@50 vs exact (citebot, ef 128)', value: (s) => s.citebot.ann.at50.mean, format: fixed(4) },
  { label: 'ANN recall@10 vs exact (LangChain.js, ef 10)', value: (s) => peerOf(s)?.ann.at10.mean, format: fixed(4) },
  { label: 'longest event-loop stall, embedding (ms)', value: (s) => s.citebot.eventLoop.perPhase['embed'], format: ms, target: '≤ 50' },
  { label: 'longest event-loop stall, whole ingest (ms)', value: (s) => s.citebot.eventLoop.maxStallMs, format: ms },
  { label: 'LangChain.js longest event-loop stall (ms)', value: (s) => peerOf(s)?.maxStallMs, format: ms },
];

function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a / b;
}

/** The median of the runs' values, with their range when there are several. */
function cell(values: readonly (number | undefined)[], format: (value: number) => string): string {
  const present = values.filter((value): value is number => value !== undefined && Number.isFinite(value));
  if (present.length === 0) return '—';
  if (present.length === 1) return format(present[0] as number);
  return `${format(median(present))} (${format(Math.min(...present))}–${format(Math.max(...present))})`;
}

/** Paragraph counts measured in every run, in order. */
function sizesOf(runs: readonly BenchResult[]): number[] {
  return [...new Set(runs.flatMap((run) => run.sizes.map((size) => size.paragraphs)))].sort((a, b) => a - b);
}

export function renderPerformance(runs: readonly BenchResult[]): string {
  const sizes = sizesOf(runs);
  const header = `| measure | ${sizes.map((n) => `${n.toLocaleString('en')} paragraphs`).join(' | ')} | target |`;
  const lines = [header, `|---|${sizes.map(() => '---:').join('|')}|---|`];
  for (const row of ROWS) {
    const cells = sizes.map((n) => cell(runs.map((run) => {
      const size = run.sizes.find((s) => s.paragraphs === n);
      return size === undefined ? undefined : row.value(size);
    }), row.format));
    if (cells.every((c) => c === '—')) continue;
    lines.push(`| ${row.label} | ${cells.join(' | ')} | ${row.target ?? ''} |`);
  }
  // Memory per paragraph from the growth between the smallest and largest size: fixed costs cancel out.
  const [small, large] = [sizes[0], sizes.at(-1)];
  if (small !== undefined && large !== undefined && large > small) {
    const slope = runs.map((run) => {
      const a = run.sizes.find((s) => s.paragraphs === small);
      const b = run.sizes.find((s) => s.paragraphs === large);
      if (a === undefined || b === undefined) return undefined;
      return (b.citebot.memory.rss - a.citebot.memory.rss) / (large - small) - b.citebot.memory.textBytesPerParagraph;
    });
    lines.push('', `Memory growth from ${small.toLocaleString('en')} to ${large.toLocaleString('en')} paragraphs: ${cell(slope, kb)} KB of RSS per paragraph beyond its text.`);
  }
  for (const n of sizes) {
    const failures = runs.flatMap((run) => run.sizes.filter((s) => s.paragraphs === n && s.peer !== undefined && 'failed' in s.peer).map((s) => (s.peer as { failed: string }).failed));
    if (failures.length > 0) lines.push('', `LangChain.js at ${n.toLocaleString('en')} paragraphs did not finish: ${failures.join('; ')}.`);
  }
  const cold = cell(runs.map((run) => run.coldStart.firstAnswerMs.median), (v) => `${(v / 1000).toFixed(2)} s`);
  lines.push('', `Cold start, process start → first answer (\`node --import tsx src/cli/run.ts ask\`, seeds): ${cold} (target ≤ 2 s).`);
  return lines.join('\n');
}

export function renderQuality(runs: readonly BenchResult[]): string | undefined {
  const withQuality = runs.filter((run) => run.quality !== undefined);
  if (withQuality.length === 0) return undefined;
  const f = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
  const last = withQuality.at(-1)?.quality;
  const queries = last?.citebot[0]?.queries ?? 0;
  const lines = [`${last?.dataset ?? ''} (${queries} test queries):`, '', '| system | nDCG@10 | MRR@10 | Recall@1 | Recall@5 | Recall@10 |', '|---|---:|---:|---:|---:|---:|'];
  for (const scores of last?.citebot ?? []) {
    lines.push(`| citebot ${scores.mode} | ${f(scores.ndcg10)} | ${f(scores.mrr10)} | ${f(scores.recall1)} | ${f(scores.recall5)} | ${f(scores.recall10)} |`);
  }
  if (last?.peer !== undefined) {
    for (const [label, scores] of [['LangChain.js as shipped (ef 10)', last.peer.asShipped], ['LangChain.js with ef 128', last.peer.ef128]] as const) {
      lines.push(`| ${label} | ${f(scores.ndcg10)} | ${f(scores.mrr10)} | ${f(scores.recall1)} | ${f(scores.recall5)} | ${f(scores.recall10)} |`);
    }
  }
  return lines.join('\n');
}

export function renderMachine(run: BenchResult): string {
  const m = run.machine;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB RAM, Node ${m.node} (${m.platform}); model ${run.settings.model} (${run.settings.dtype}), ${run.settings.threads} ONNX threads, batch ${run.settings.batchSize}, HNSW ef ${run.settings.hnswEf}; ${run.settings.queries} timed queries after ${run.settings.warmup} warm-up.`;
}
