/**
 * Ingest: bring the saved index in line with the documents folder.
 *
 * Incremental: paragraphs of unchanged files keep their vectors (read back from the current
 * index); only new or changed files are chunked and embedded, which is where the time goes.
 * The HNSW graph and BM25 index are then rebuilt from all vectors — seconds even at 100k
 * paragraphs — so removed files vanish from results with no tombstones to manage.
 */
import type { Paragraph } from '../core/types.ts';
import { isCitebotError } from '../core/errors.ts';
import { loadDocuments, type SkippedFile, type SourceDocument } from '../corpus/load-documents.ts';
import { splitLines, type TokenCounter } from '../corpus/split-paragraphs.ts';
import { chunkDocument } from '../corpus/chunk-document.ts';
import { retrievalText } from '../corpus/retrieval-context.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { VectorIndexSettings } from '../vector-index/vector-index.ts';
import { loadIndex, saveIndex, type IndexBackends, type LoadedIndex } from './index-store.ts';
import { SCHEMA_VERSION, settingsMismatches, type BuildSettings, type Manifest } from './manifest.ts';

export type IngestPhase = 'embed' | 'index' | 'save';

/** HNSW inserts between two yields to the event loop (~20 ms of work at 384 dimensions). */
const HNSW_INSERTS_PER_TURN = 40;

export interface IngestProgress {
  readonly phase: IngestPhase;
  readonly done: number;
  readonly total: number;
}

export interface IngestOptions {
  readonly seedsDir: string;
  readonly rootDir: string;
  /** CITEBOT_CITATION_PREFIX (load-documents.ts citeDocument). */
  readonly citationPrefix?: string | undefined;
  readonly indexDir: string;
  readonly embedder: Embedder;
  /** Loaded only when something must be chunked (a fresh start needs no tokenizer). */
  readonly tokenCounter: () => Promise<TokenCounter>;
  /** Model and chunking settings, as the manifest records them. */
  readonly build: Omit<BuildSettings, 'hnsw'>;
  readonly hnsw: VectorIndexSettings;
  /** The vector and lexical index implementations (app.ts chooses them). */
  readonly backends: IndexBackends;
  readonly onProgress?: (progress: IngestProgress) => void;
  /** Called once when an existing index cannot be reused as a whole (corrupt, other model, other settings). */
  readonly onRebuild?: (reason: string) => void;
}

export interface IngestReport {
  readonly files: number;
  readonly paragraphs: number;
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: number;
  /** Paragraphs that were embedded in this run. */
  readonly embedded: number;
  readonly skipped: readonly SkippedFile[];
  /** Why the previous index was not reused, if it was not. */
  readonly rebuiltBecause: string | undefined;
  readonly upToDate: boolean;
  readonly seconds: number;
}

/** Files in the folder compared with those of the manifest. Pure. */
export function diffFiles(documents: readonly SourceDocument[], previous: Manifest['files']) {
  const before = new Map(previous.map((entry) => [entry.file, entry.sha256]));
  const now = new Set(documents.map((document) => document.file));
  return {
    added: documents.filter((document) => !before.has(document.file)).map((document) => document.file),
    changed: documents.filter((document) => before.has(document.file) && before.get(document.file) !== document.sha256).map((document) => document.file),
    unchanged: documents.filter((document) => before.get(document.file) === document.sha256).map((document) => document.file),
    removed: previous.filter((entry) => !now.has(entry.file)).map((entry) => entry.file),
  };
}

/** The current index if it can be reused for these settings; otherwise undefined with the reason reported. */
async function reusableIndex(options: IngestOptions, wanted: BuildSettings): Promise<{ index: LoadedIndex | undefined; reason: string | undefined }> {
  try {
    const index = await loadIndex(options.indexDir, options.backends, options.hnsw.efSearch);
    const mismatches = settingsMismatches(index.manifest, wanted);
    return mismatches.length === 0 ? { index, reason: undefined } : { index: undefined, reason: mismatches.join('; ') };
  } catch (error) {
    if (isCitebotError(error) && error.code === 'INDEX_MISSING') return { index: undefined, reason: undefined };
    if (isCitebotError(error) && (error.code === 'INDEX_CORRUPT' || error.code === 'INDEX_STALE')) return { index: undefined, reason: error.message };
    throw error;
  }
}

export interface IngestResult {
  readonly report: IngestReport;
  /** The index now in service (what was saved, or the previous one when nothing changed). */
  readonly index: LoadedIndex;
}

export async function ingest(options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const { documents, skipped } = await loadDocuments(options.seedsDir, options.rootDir, { citationPrefix: options.citationPrefix });
  const wanted: BuildSettings = { ...options.build, hnsw: { m: options.hnsw.m, efConstruction: options.hnsw.efConstruction } };
  const { index: previous, reason } = await reusableIndex(options, wanted);
  if (reason !== undefined) options.onRebuild?.(reason);

  const diff = diffFiles(documents, previous?.manifest.files ?? []);
  const report = (embedded: number, paragraphs: number, upToDate: boolean): IngestReport => ({
    files: documents.length,
    paragraphs,
    added: diff.added,
    changed: diff.changed,
    removed: diff.removed,
    unchanged: diff.unchanged.length,
    embedded,
    skipped,
    rebuiltBecause: reason,
    upToDate,
    seconds: (performance.now() - started) / 1000,
  });
  if (previous !== undefined && diff.added.length === 0 && diff.changed.length === 0 && diff.removed.length === 0) {
    return { report: report(0, previous.paragraphs.length, true), index: previous };
  }

  // Carry over unchanged files' paragraphs and vectors; chunk the rest.
  const unchanged = new Set(diff.unchanged);
  const kept = new Map<string, { paragraph: Paragraph; vector: Float32Array }[]>();
  for (const paragraph of previous?.paragraphs ?? []) {
    if (!unchanged.has(paragraph.file)) continue;
    const list = kept.get(paragraph.file) ?? [];
    list.push({ paragraph, vector: previous!.vectors.vector(paragraph.id) });
    kept.set(paragraph.file, list);
  }
  const fresh = documents.filter((document) => !unchanged.has(document.file));
  const countTokens = fresh.length > 0 ? await options.tokenCounter() : () => 0;
  const titles = new Map(previous?.manifest.files.map((entry) => [entry.file, entry.title]) ?? []);
  // Tokenizing for the chunker runs on this thread: yield between documents for the same reason.
  const freshParagraphs: Paragraph[] = [];
  const freshTexts: string[] = [];
  for (const document of fresh) {
    const chunked = chunkDocument(document.file, document.text, options.build.chunking, countTokens);
    titles.set(document.file, chunked.title);
    chunked.passages.forEach((passage, i) => {
      freshParagraphs.push(passage);
      freshTexts.push(retrievalText(passage, chunked.title, chunked.passages[i - 1], options.build.chunking.context));
    });
    await yieldToEventLoop();
  }
  await options.embedder.ready();
  const freshVectors = await options.embedder.embed(freshTexts, 'passage', (progress) => options.onProgress?.({ phase: 'embed', ...progress }));
  const freshByFile = new Map<string, { paragraph: Paragraph; vector: Float32Array }[]>();
  freshParagraphs.forEach((paragraph, i) => {
    const list = freshByFile.get(paragraph.file) ?? [];
    list.push({ paragraph, vector: freshVectors[i] as Float32Array });
    freshByFile.set(paragraph.file, list);
  });

  // Documents in folder order, so labels (and therefore ties) are the same on every machine.
  const entries = documents.flatMap((document) => kept.get(document.file) ?? freshByFile.get(document.file) ?? []);
  const vectors = options.backends.vectors.create(options.embedder.dimension, entries.length, options.hnsw);
  // Inserts are synchronous (hnswlib: ~0.5 ms a point): insert in slices and yield between them,
  // so a bot ingesting in-process keeps answering heartbeats while the graph is built.
  for (let start = 0; start < entries.length; start += HNSW_INSERTS_PER_TURN) {
    const end = Math.min(entries.length, start + HNSW_INSERTS_PER_TURN);
    for (let label = start; label < end; label++) vectors.add((entries[label] as { vector: Float32Array }).vector, label);
    options.onProgress?.({ phase: 'index', done: end, total: entries.length });
    await yieldToEventLoop();
  }
  const paragraphs = entries.map(({ paragraph }) => paragraph);
  const titleOf = (file: string) => titles.get(file) ?? '';
  const lexical = await options.backends.lexical.build(
    paragraphs.map((paragraph, i) => {
      const before = paragraphs[i - 1];
      return retrievalText(paragraph, titleOf(paragraph.file), before?.file === paragraph.file ? before : undefined, options.build.chunking.context);
    }),
  );

  options.onProgress?.({ phase: 'save', done: 0, total: 1 });
  const perFile = new Map<string, number>();
  for (const paragraph of paragraphs) perFile.set(paragraph.file, (perFile.get(paragraph.file) ?? 0) + 1);
  const manifest = await saveIndex(options.indexDir, {
    manifest: {
      schemaVersion: SCHEMA_VERSION,
      builtAt: new Date().toISOString(),
      ...wanted,
      files: documents.map((document) => ({
        file: document.file,
        title: titleOf(document.file),
        sha256: document.sha256,
        lines: splitLines(document.text).length,
        paragraphs: perFile.get(document.file) ?? 0,
      })),
      paragraphCount: paragraphs.length,
    },
    paragraphs,
    vectors,
    lexical,
  });
  options.onProgress?.({ phase: 'save', done: 1, total: 1 });
  return {
    report: report(freshParagraphs.length, paragraphs.length, false),
    index: { manifest, paragraphs: paragraphs.map((paragraph, id) => ({ ...paragraph, id })), vectors, lexical },
  };
}
