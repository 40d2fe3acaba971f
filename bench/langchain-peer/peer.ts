/**
 * The peer a TypeScript user would otherwise pick: LangChain.js's HNSWLib vector store with
 * HuggingFaceTransformersEmbeddings, as documented, on the same vendored model.
 *
 * Configured the way its documentation shows, plus only what this model needs to load and to be
 * the same model: the local model folder (remote loading off), `dtype: 'q8'` (the vendored int8
 * file; transformers.js would otherwise look for fp32) and CLS pooling (bge's; LangChain defaults
 * to mean pooling). Everything else is LangChain's default: batches of 512 texts padded to their
 * longest, run on the calling thread; HNSW with M=16, efConstruction=200 and hnswlib's search ef of
 * 10, which LangChain never changes; no query instruction.
 *
 * LangChain lives in its own package (this folder) because its optional peer dependencies conflict
 * with citebot's; its imports of @huggingface/transformers and hnswlib-node resolve to citebot's
 * copies. It is imported by name at run time and typed by the small interfaces below, so citebot
 * type-checks without it installed.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PeerSettings {
  readonly modelsDir: string;
  readonly modelId: string;
  /** Texts per model call; unset = LangChain's default (512). */
  readonly batchSize?: number;
}

interface LangchainDocument {
  readonly pageContent: string;
  readonly metadata: Record<string, unknown>;
}

interface HierarchicalNswLike {
  getCurrentCount(): number;
  getPoint(label: number): number[];
  searchKnn(query: number[], k: number): { neighbors: number[]; distances: number[] };
  getEf(): number;
  setEf(ef: number): void;
}

export interface LangchainStore {
  readonly index: HierarchicalNswLike;
  readonly embeddings: LangchainEmbeddings;
  addDocuments(documents: LangchainDocument[]): Promise<void>;
  similaritySearch(query: string, k: number): Promise<LangchainDocument[]>;
  similaritySearchVectorWithScore(query: number[], k: number): Promise<[LangchainDocument, number][]>;
  save(directory: string): Promise<void>;
}

export interface LangchainEmbeddings {
  embedQuery(text: string): Promise<number[]>;
  embedDocuments(texts: string[]): Promise<number[][]>;
}

interface HnswlibModule {
  HNSWLib: {
    fromTexts(texts: string[], metadatas: object[] | object, embeddings: LangchainEmbeddings): Promise<LangchainStore>;
    load(directory: string, embeddings: LangchainEmbeddings): Promise<LangchainStore>;
  };
}

interface EmbeddingsModule {
  HuggingFaceTransformersEmbeddings: new (fields: {
    model: string;
    pretrainedOptions?: Record<string, unknown>;
    pipelineOptions?: Record<string, unknown>;
  }) => LangchainEmbeddings;
}

interface TransformersEnv {
  env: { localModelPath: string; allowRemoteModels: boolean; allowLocalModels: boolean };
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** True when `npm run bench:setup` has installed LangChain into this folder. */
export function peerInstalled(): boolean {
  return existsSync(path.join(here, 'node_modules', '@langchain', 'community', 'package.json'));
}

// Imported by a computed name: the modules exist only after `npm run bench:setup`.
const load = <T>(specifier: string) => import(specifier) as Promise<T>;

/** LangChain's embeddings on the vendored model (see the file comment for what is configured and why). */
export async function createPeerEmbeddings(settings: PeerSettings): Promise<LangchainEmbeddings> {
  // The @huggingface/transformers LangChain imports: the same module instance citebot's adapter configures.
  const { env } = await load<TransformersEnv>('@huggingface/transformers');
  env.localModelPath = settings.modelsDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = false;
  const { HuggingFaceTransformersEmbeddings } = await load<EmbeddingsModule>('@langchain/community/embeddings/huggingface_transformers');
  return new HuggingFaceTransformersEmbeddings({
    model: settings.modelId,
    pretrainedOptions: { dtype: 'q8', device: 'cpu' },
    pipelineOptions: { pooling: 'cls', normalize: true },
    ...(settings.batchSize === undefined ? {} : { batchSize: settings.batchSize }),
  });
}

/** `HNSWLib.fromTexts`: embeds every text and builds the graph, as LangChain's docs show. */
export async function buildPeerStore(texts: readonly string[], embeddings: LangchainEmbeddings): Promise<LangchainStore> {
  const { HNSWLib } = await load<HnswlibModule>('@langchain/community/vectorstores/hnswlib');
  return HNSWLib.fromTexts([...texts], texts.map((_, id) => ({ id })), embeddings);
}

/**
 * The same store built `slice` texts at a time (`fromTexts` on the first slice, `addDocuments` on
 * the rest): the workaround a user needs once `fromTexts` runs out of memory, because
 * embedDocuments starts every batch of 512 texts at once.
 */
export async function buildPeerStoreInSlices(texts: readonly string[], embeddings: LangchainEmbeddings, slice = 512): Promise<LangchainStore> {
  const store = await buildPeerStore(texts.slice(0, slice), embeddings);
  for (let start = slice; start < texts.length; start += slice) {
    await store.addDocuments(texts.slice(start, start + slice).map((pageContent, i) => ({ pageContent, metadata: { id: start + i } })));
  }
  return store;
}

export async function loadPeerStore(directory: string, embeddings: LangchainEmbeddings): Promise<LangchainStore> {
  const { HNSWLib } = await load<HnswlibModule>('@langchain/community/vectorstores/hnswlib');
  return HNSWLib.load(directory, embeddings);
}
