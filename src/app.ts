/**
 * The composition root: the only module that knows every concrete adapter. It turns a Config
 * into a running Engine (building or updating the index first when it is missing or stale).
 */
import type { Config } from './config/config.ts';
import type { Engine } from './core/types.ts';
import type { Logger } from './core/logger.ts';
import { WorkerEmbedder } from './embedding/worker-embedder.ts';
import { modelProfile } from './embedding/model-profiles.ts';
import { loadIndex, readManifest, type IndexBackends, type LoadedIndex } from './index-store/index-store.ts';
import { ingest, type IngestOptions, type IngestProgress, type IngestReport } from './index-store/ingest.ts';
import { followDocuments, followGenerations, type DocumentFollower } from './index-store/follow-documents.ts';
import { DOCUMENT_EXTENSIONS } from './corpus/load-documents.ts';
import { createLiveEngine } from './retrieval/live-engine.ts';
import { watchFolder } from './watch/folder-watcher.ts';
import { describeOwner, withWriterLock } from './index-store/writer-lock.ts';
import { bm25IndexFactory } from './lexical-index/bm25-index.ts';
import type { BuildSettings } from './index-store/manifest.ts';
import { createEngine, DEFAULT_CANDIDATES } from './retrieval/engine.ts';
import { hnswIndexFactory } from './vector-index/hnsw-vector-index.ts';
import { DEFAULT_HNSW_SETTINGS, type VectorIndexSettings } from './vector-index/vector-index.ts';
import type { Embedder } from './embedding/embedder.ts';
import type { TokenCounter } from './corpus/split-paragraphs.ts';
import { PASSAGE_RULES_VERSION } from './corpus/chunk-document.ts';
import { ANALYZER_VERSION } from './lexical-index/analyzer.ts';
import { cosineOnlyRelevanceModel, loadRelevanceModel, RELEVANCE_MODEL_FILE, type RelevanceModel } from './retrieval/relevance-model.ts';
import type { CommunityStore } from './core/community-store.ts';
import { openSqliteStore } from './state/sqlite-store.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** An embedder to run on instead of the configured model (tests hand in a deterministic one). */
export interface EmbeddingOverride {
  /** The engine owns it: closing the engine closes it. */
  readonly embedder: Embedder;
  /** The relevance model calibrated for this embedder: the configured model's is fitted to that model's vectors and does not apply. */
  readonly relevance: RelevanceModel;
  /** Counts tokens as this embedder does, for the chunker's passage limit (instead of loading the model's tokenizer). */
  readonly countTokens: TokenCounter;
}

export interface OpenOptions {
  readonly logger: Logger;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Default: the configured model in its worker thread, with its relevance model. */
  readonly embedding?: EmbeddingOverride;
  /**
   * Called when a cited document is found changed, moved or swapped since it was indexed (by
   * `/source`): re-index it. The folder watcher re-indexes on the same change; wire its trigger
   * here. Default: a warning in the log (the next ingest or start brings the index up to date).
   */
  readonly onReindexRequest?: (file: string) => void;
  /**
   * Keep the index in line with the documents while serving (when `config.watch`): the folder is
   * watched and updated in place, and the engine switches to each new index without a restart.
   * A shard process (`config.shardProcess`) instead picks up the generations its manager saves.
   */
  readonly follow?: FollowHandlers;
}

/** What a server is told about live updates. */
export interface FollowHandlers {
  /** An update was applied (or found nothing to do: `report.upToDate`). */
  readonly onUpdate: (report: IngestReport) => void;
  /** A shard switched to a generation another process saved. */
  readonly onReload?: (summary: { paragraphs: number; builtAt: string }) => void;
  /** An update failed; the engine keeps answering from the index it had. */
  readonly onError: (error: unknown) => void;
}

export interface Citebot {
  /** Closing it also stops following the documents. */
  readonly engine: Engine;
  readonly ingestReport: IngestReport;
  /** How the engine follows changes: the documents folder, the saved generations (a shard), or not at all. */
  readonly following: 'documents' | 'generations' | 'off';
  /** Resolves when no live update is running or waiting (tests wait on it). */
  idle(): Promise<void>;
}

/** Model/chunking settings the index must be built with for this config and embedder. */
function buildSettings(config: Config, embedder: Embedder): Omit<BuildSettings, 'hnsw'> {
  const profile = modelProfile(config.model.modelId);
  return {
    model: {
      // The embedder's id, not the configured one: an index built by another embedder (a test's) is never mistaken for the model's.
      id: embedder.modelId,
      dtype: config.model.dtype,
      dimension: embedder.dimension,
      pooling: profile.pooling,
      queryPrefix: profile.queryPrefix,
      passagePrefix: profile.passagePrefix,
    },
    chunking: {
      maxTokens: config.chunkMaxTokens ?? profile.chunkTokens,
      headingMaxWords: config.headingMaxWords,
      context: config.retrievalContext,
      passageRules: PASSAGE_RULES_VERSION,
      analyzer: ANALYZER_VERSION,
    },
  };
}

/**
 * The index implementations behind the ports: HNSW for vectors, the packed BM25 for keywords. A
 * database-backed index would be a second pair of factories chosen here; ingest, index loading
 * and retrieval only know the ports.
 */
export const INDEX_BACKENDS: IndexBackends = { vectors: hnswIndexFactory, lexical: bm25IndexFactory };

function hnswSettings(config: Config): VectorIndexSettings {
  return { ...DEFAULT_HNSW_SETTINGS, efSearch: config.hnswEf };
}

/**
 * Brings the index up to date with the documents folder (embedding only what changed). With
 * `options.embedding`, its token counter chunks the documents (its embedder is `embedder`).
 */
export async function runIngest(config: Config, embedder: Embedder, options: OpenOptions & Pick<IngestOptions, 'current' | 'onSearchable'>) {
  const profile = modelProfile(config.model.modelId);
  await embedder.ready();
  // One writer at a time (index-store/writer-lock.ts): a second ingest waits for the first, then
  // finds the index up to date instead of embedding everything again.
  const locked = <T>(work: () => Promise<T>) =>
    withWriterLock(config.indexDir, work, {
      onWait: (owner) => options.logger.warn({ holder: owner }, `waiting for the ingest of ${describeOwner(owner)} to finish writing ${config.indexDir}`),
      onStale: (owner) => options.logger.warn({ holder: owner }, `taking over the index lock of ${owner === undefined ? 'a process' : describeOwner(owner)}, which is no longer running`),
    });
  return locked(() => ingest({
    seedsDir: config.seedsDir,
    rootDir: config.rootDir,
    citationPrefix: config.citationPrefix,
    indexDir: config.indexDir,
    embedder,
    // Imported only when documents need chunking (the tokenizer library alone, never
    // transformers.js on this thread: the worker embeds).
    tokenCounter: async () => options.embedding?.countTokens ?? (await import('./embedding/token-counter.ts')).loadTokenCounter(config.model),
    build: buildSettings(config, embedder),
    hnsw: hnswSettings(config),
    backends: INDEX_BACKENDS,
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    // Info, not a warning: the reason is also in the report, which every caller shows (the CLI's
    // summary, the bot's "index ready" log); this line is for a bot that rebuilds for minutes.
    onRebuild: (reason) => options.logger.info({ reason }, `rebuilding the index: ${reason}`),
    ...(options.current === undefined ? {} : { current: options.current }),
    ...(options.onSearchable === undefined ? {} : { onSearchable: options.onSearchable }),
  })).then((result) => ({ ...result, profile }));
}

/** The configured model in its worker thread; restarts of a dead worker are logged to `logger`. */
export function createEmbedder(config: Config, logger?: Logger): Embedder {
  return new WorkerEmbedder(config.model, logger === undefined ? {} : { logger });
}

/** Where the calibrated relevance model of an embedding model is kept: next to the model it was calibrated for. */
export function relevanceModelPath(config: Config): string {
  return path.join(config.model.modelsDir, config.model.modelId, RELEVANCE_MODEL_FILE);
}

/** The model profile's abstention rule (cosine against the question's background) as a relevance model. */
function profileRule(config: Config): RelevanceModel {
  const profile = modelProfile(config.model.modelId);
  return cosineOnlyRelevanceModel(config.model.modelId, profile.abstainBelow, profile.backgroundWeight);
}

/**
 * The relevance model for the configured embedding model, with the abstention point overridden if
 * the config says so. A model that has none trained yet gets the cosine-only stand-in built from
 * its profile's calibrated threshold (and a warning); a damaged file is an error, not a fallback.
 */
export async function openRelevanceModel(config: Config, logger?: Logger): Promise<RelevanceModel> {
  const file = relevanceModelPath(config);
  let model: RelevanceModel;
  if (existsSync(file)) {
    model = await loadRelevanceModel(file);
  } else {
    logger?.warn({ file }, `no relevance model for ${config.model.modelId}: abstaining on cosine alone (train one with npm run calibrate)`);
    model = profileRule(config);
  }
  return config.abstainThreshold === undefined ? model : { ...model, abstainBelow: config.abstainThreshold };
}

/** The models the engine decides and ranks with. */
export interface EngineModels {
  /** Decides: abstention and which passages after the first are shown. */
  readonly decision: RelevanceModel;
  /** Orders the candidate pool; absent, the fused order stands. */
  readonly ranking?: RelevanceModel;
}

/**
 * The shipped model's trained relevance model orders passages (it raised R@1 on every question
 * set: README "Retrieval quality"), but the decision stays on the cosine rule of the model's
 * profile: the trained abstention point answered clearly off-topic questions (on the seeds "How do
 * I configure ESLint …" scored 0.51) and declined 1 of 12 unanswerable ones, against 8 of 12.
 */
export async function openEngineModels(config: Config): Promise<EngineModels> {
  const cosineRule = profileRule(config);
  const decision = config.abstainThreshold === undefined ? cosineRule : { ...cosineRule, abstainBelow: config.abstainThreshold };
  const file = relevanceModelPath(config);
  return existsSync(file) ? { decision, ranking: await loadRelevanceModel(file) } : { decision };
}

/** Opens citebot: loads the model, updates the index if needed, returns the engine. */
export async function openCitebot(config: Config, options: OpenOptions): Promise<Citebot> {
  const embedder = options.embedding?.embedder ?? createEmbedder(config, options.logger);
  try {
    const models: EngineModels = options.embedding === undefined ? await openEngineModels(config) : { decision: options.embedding.relevance };
    const { report, index, profile } = await runIngest(config, embedder, options);
    let follower: DocumentFollower | undefined;
    const onDocumentChanged = (file: string) => {
      // A reader found a cited file changed before the watcher did (or with watching off).
      if (follower?.requestUpdate !== undefined) follower.requestUpdate(file);
      else if (options.onReindexRequest !== undefined) options.onReindexRequest(file);
      else options.logger.warn({ file }, `${file} changed after it was indexed: re-index requested`);
    };
    const engineFor = (loaded: LoadedIndex) =>
      createEngine(loaded, embedder, {
        ...(models.ranking === undefined ? {} : { ranking: models.ranking }),
        rootDir: config.rootDir,
        defaultResults: config.defaultResults,
        candidates: DEFAULT_CANDIDATES,
        relevance: models.decision,
        duplicateAbove: profile.duplicateAbove,
        backgroundRank: profile.backgroundRank,
        showFusedAtLeast: profile.showFusedAtLeast,
        maxQuestionLength: config.maxQuestionLength,
        retrievalContext: config.retrievalContext,
        documentsDir: config.seedsDir,
        citationPrefix: config.citationPrefix,
        onDocumentChanged,
      });
    if (options.follow === undefined || !config.watch) {
      return { engine: engineFor(index), ingestReport: report, following: 'off', idle: async () => {} };
    }
    const engine = createLiveEngine(engineFor(index), async () => follower?.close());
    let current = index;
    const serve = (next: LoadedIndex) => {
      if (next === current) return;
      current = next;
      engine.swap(engineFor(next));
    };
    const handlers = options.follow;
    follower = config.shardProcess
      ? followGenerations({
          currentBuild: () => current.manifest.builtAt,
          latestBuild: async () => (await readManifest(config.indexDir))?.builtAt,
          reload: async () => {
            const loaded = await loadIndex(config.indexDir, INDEX_BACKENDS, config.hnswEf);
            serve(loaded);
            handlers.onReload?.({ paragraphs: loaded.manifest.files.reduce((sum, file) => sum + file.paragraphs, 0), builtAt: loaded.manifest.builtAt });
          },
          onError: handlers.onError,
        })
      : await followDocumentsFolder(config, embedder, index, { ...options, follow: handlers, serve });
    return { engine, ingestReport: report, following: config.shardProcess ? 'generations' : 'documents', idle: () => follower?.idle() ?? Promise.resolve() };
  } catch (error) {
    await embedder.close();
    throw error;
  }
}

/**
 * The community state (answers, votes) for the bot and `npm run report`: SQLite in
 * `config.dataDir`. A server database would be a second adapter of the same port chosen here.
 */
export function openCommunityStore(config: Config, options: { readonly readOnly?: boolean } = {}): CommunityStore {
  return openSqliteStore({ dataDir: config.dataDir, ...(options.readOnly === undefined ? {} : { readOnly: options.readOnly }) });
}

/**
 * Watches the documents folder and brings the index up to date in place after each batch of
 * changes, starting from `initial` (the index in service). `serve` is handed each new index as
 * soon as it can answer (before it is saved) and again once saved. The sharded bot's manager
 * runs it without an engine (its shards reload the saved generations).
 */
export async function followDocumentsFolder(
  config: Config,
  embedder: Embedder,
  initial: LoadedIndex,
  options: OpenOptions & { readonly follow: FollowHandlers; readonly serve?: (index: LoadedIndex) => void },
): Promise<DocumentFollower> {
  let current = initial;
  const serve = (next: LoadedIndex) => {
    current = next;
    options.serve?.(next);
  };
  return followDocuments({
    watch: async (onChanges) => {
      // The tokenizer the chunker needs is loaded now, not in the first update: parsing
      // tokenizer.json blocks the event loop (~0.3 s), which an update must not do while the bot
      // serves. (Loaded once: loadTokenCounter caches it.)
      if (options.embedding === undefined) await (await import('./embedding/token-counter.ts')).loadTokenCounter(config.model);
      return watchFolder({ folder: config.seedsDir, relevant: isDocumentPath, onChanges, onError: options.follow.onError });
    },
    update: async () => {
      const { report, index } = await runIngest(config, embedder, {
        logger: options.logger,
        ...(options.embedding === undefined ? {} : { embedding: options.embedding }),
        current,
        onSearchable: serve,
      });
      serve(index);
      return report;
    },
    onUpdated: (report) => options.follow.onUpdate(report),
    onError: options.follow.onError,
  });
}

/** Whether a watched path is one the corpus loader would read (other files' events are noise: editor swap files, `.DS_Store`). */
function isDocumentPath(file: string): boolean {
  return DOCUMENT_EXTENSIONS.some((extension) => file.toLowerCase().endsWith(extension));
}
