/** The shape of one `npm run bench` result file (bench/results/*.json). */
import type { BeirScores } from '../src/evaluation/beir-eval.ts';
import type { EventLoopReport } from './citebot.ts';
import type { ColdStart } from './cold-start.ts';
import type { Recall } from './exact-search.ts';
import type { LiveUpdateResult } from './live-update.ts';
import type { Latency } from './stats.ts';

export interface MemoryReport {
  readonly paragraphs: number;
  /** RSS with the model and the index loaded (bytes). */
  readonly rss: number;
  /** Retained memory per paragraph beyond its text: JS heap growth from loading the index (after GC) + the HNSW graph (its file size) − the text's UTF-8 bytes. */
  readonly bytesPerParagraph: number;
  readonly heapBytesPerParagraph: number;
  readonly hnswBytesPerParagraph: number;
  /** RSS growth from loading the index, per paragraph (includes allocator slack and garbage not yet returned to the OS). */
  readonly rssBytesPerParagraph: number;
  readonly textBytesPerParagraph: number;
}

export interface SizeResult {
  readonly paragraphs: number;
  /** Model tokens of these paragraphs ([CLS]/[SEP] excluded). */
  readonly tokens: number;
  readonly citebot: {
    readonly ingestSeconds: number;
    readonly indexedParagraphs: number;
    readonly modelLoadSeconds: number;
    readonly phaseEnds: Readonly<Record<string, number>>;
    readonly eventLoop: EventLoopReport;
    readonly query: Readonly<Record<string, Latency>>;
    readonly ann: { readonly ef: number; readonly at10: Recall; readonly at50: Recall };
    readonly memory: MemoryReport;
  };
  /** Absent for sizes above --ceiling-max. */
  readonly ceiling?: { readonly seconds: number; readonly batchSize: number };
  /** LangChain.js at this size, or how it failed (e.g. killed for running out of memory). */
  readonly peer?: PeerSizeResult | { readonly failed: string };
}

export interface PeerSizeResult {
  readonly ingestSeconds: number;
  readonly modelLoadSeconds: number;
  readonly maxStallMs: number;
  /** Peak RSS of the process that ran the ingest, queries and recall. */
  readonly peakRssBytes: number;
  readonly query: Readonly<Record<string, Latency>>;
  readonly ann: { readonly ef: number; readonly at10: Recall };
  readonly memory: MemoryReport;
}

/** What bench/children/peer-run.ts prints. */
export interface PeerChildResult {
  readonly ingest: { readonly seconds: number; readonly modelLoadSeconds: number; readonly maxStallMs: number };
  readonly query: Readonly<Record<string, Latency>>;
  readonly ann: { readonly ef: number; readonly at10: Recall };
  readonly directory: string;
  readonly maxRssBytes: number;
}

export interface QualityResult {
  readonly dataset: string;
  readonly citebot: readonly BeirScores[];
  readonly citebotIndexSeconds: number;
  /** LangChain as shipped (search ef 10) and with ef raised to citebot's, on the same documents. */
  readonly peer?: { readonly asShipped: BeirScores; readonly ef128: BeirScores; readonly indexSeconds: number };
}

export interface BenchResult {
  readonly version: 1;
  readonly date: string;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGB: number; readonly node: string; readonly platform: string };
  readonly settings: { readonly model: string; readonly dtype: string; readonly threads: number; readonly batchSize: number; readonly hnswEf: number; readonly queries: number; readonly warmup: number };
  readonly sizes: readonly SizeResult[];
  readonly coldStart: ColdStart;
  readonly quality?: QualityResult;
  /** The live-update rows (bench/live-update.ts). */
  readonly liveUpdates?: readonly LiveUpdateResult[];
  readonly seconds: number;
}
