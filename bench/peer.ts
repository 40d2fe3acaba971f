/**
 * The peer's side of the benchmark: LangChain.js doing the same work on the same paragraphs —
 * `HNSWLib.fromTexts` (embed + graph) and `save`, then `similaritySearch` — as it ships.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildPeerStore, createPeerEmbeddings, type LangchainStore, type PeerSettings } from './langchain-peer/peer.ts';
import { exactTopK, recallAgainstExact, type Recall } from './exact-search.ts';
import { latency, type Latency } from './stats.ts';

export interface PeerIngest {
  readonly seconds: number;
  readonly modelLoadSeconds: number;
  /** Longest event-loop stall during the ingest (ms): LangChain embeds on the calling thread. */
  readonly maxStallMs: number;
}

export interface PeerRun {
  readonly ingest: PeerIngest;
  readonly store: LangchainStore;
  readonly directory: string;
}

/** Builds and saves the store in `workDir`, timing it (model loading excluded, as for citebot). */
export async function measurePeerIngest(paragraphs: readonly string[], settings: PeerSettings, workDir: string): Promise<PeerRun> {
  const loadStarted = performance.now();
  const embeddings = await createPeerEmbeddings(settings);
  await embeddings.embedQuery('warm up'); // loads the model
  const modelLoadSeconds = (performance.now() - loadStarted) / 1000;

  let maxStallMs = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    maxStallMs = Math.max(maxStallMs, now - last - 2);
    last = now;
  }, 2);
  const started = performance.now();
  const store = await buildPeerStore(paragraphs, embeddings);
  const directory = path.join(workDir, 'langchain-store');
  await mkdir(directory, { recursive: true });
  await store.save(directory);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(timer);
  return { ingest: { seconds, modelLoadSeconds, maxStallMs }, store, directory };
}

export interface PeerQueries {
  readonly queries: number;
  readonly latency: Readonly<Record<'embed' | 'search' | 'total', Latency>>;
}

/** `similaritySearch(query, 10)`, split into its two steps (embedQuery, then the vector search). */
export async function measurePeerQueries(store: LangchainStore, queries: readonly string[], warmup: number): Promise<PeerQueries> {
  for (const query of queries.slice(0, warmup)) await store.similaritySearch(query, 10);
  const embed: number[] = [];
  const search: number[] = [];
  for (const query of queries.slice(warmup)) {
    const t0 = performance.now();
    const vector = await store.embeddings.embedQuery(query);
    const t1 = performance.now();
    await store.similaritySearchVectorWithScore(vector, 10);
    const t2 = performance.now();
    embed.push(t1 - t0);
    search.push(t2 - t1);
  }
  return { queries: embed.length, latency: { embed: latency(embed), search: latency(search), total: latency(embed.map((e, i) => e + (search[i] as number))) } };
}

/** The peer's HNSW (its ef, never set: hnswlib's 10) against exact search over its own vectors. */
export async function measurePeerAnnRecall(store: LangchainStore, queries: readonly string[]): Promise<{ at10: Recall; ef: number }> {
  const vectors = Array.from({ length: store.index.getCurrentCount() }, (_, label) => store.index.getPoint(label));
  const queryVectors = [];
  for (const query of queries) queryVectors.push(await store.embeddings.embedQuery(query));
  const approximate = queryVectors.map((query) => store.index.searchKnn(query, 10).neighbors);
  const exact = queryVectors.map((query) => exactTopK(vectors, query, 10));
  return { at10: recallAgainstExact(approximate, exact), ef: store.index.getEf() };
}
