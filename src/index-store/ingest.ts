/**
 * Ingest: bring the saved index in line with the documents folder.
 *
 * Incremental: only new or changed files are chunked and embedded, which is where the time goes.
 * Then, when an index with the same settings exists, it is updated *in place*: the passages of
 * changed and removed files are deleted from the vector and BM25 indexes (their labels become
 * tombstones) and the new passages are added under new labels — work proportional to the
 * changed files. Once tombstones would pass {@link COMPACT_TOMBSTONE_SHARE} of all labels, the
 * update is a compaction instead: HNSW and BM25 are rebuilt from the stored vectors (nothing is
 * re-embedded) with contiguous labels. A fresh index, or one built with other settings, is built
 * from scratch.
 */
import type { IndexedParagraph, Paragraph } from '../core/types.ts';
import { isCitebotError } from '../core/errors.ts';
import { loadDocuments, type SkippedFile, type SourceDocument } from '../corpus/load-documents.ts';
import { splitLines, type TokenCounter } from '../corpus/split-paragraphs.ts';
import { chunkDocument } from '../corpus/chunk-document.ts';
import { embeddedText, lexicalTextAt } from '../corpus/retrieval-context.ts';
import type { Embedder } from '../embedding/embedder.ts';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { VectorIndexSettings } from '../vector-index/vector-index.ts';
import { loadIndex, saveIndex, TOMBSTONE, type IndexBackends, type LoadedIndex } from './index-store.ts';
import { SCHEMA_VERSION, settingsMismatches, type BuildSettings, type Manifest } from './manifest.ts';

export type IngestPhase = 'embed' | 'index' | 'save';

/** HNSW inserts between two yields to the event loop (~20 ms of work at 384 dimensions). */
const HNSW_INSERTS_PER_TURN = 40;

/**
 * Above this share of tombstoned labels an update compacts (rebuilds HNSW + BM25 from the stored
 * vectors) instead of updating in place. Deleted HNSW points still cost graph traversal and
 * memory, and BM25 placeholders cost a few bytes each; at a quarter, searches visit at most ~1/3
 * more nodes, while compaction — seconds at 100k passages — stays rare (a 20-passage edit at 10k
 * passages compacts once in ~125 edits).
 */
export const COMPACT_TOMBSTONE_SHARE = 0.25;

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
  /**
   * The index in service (a running bot's), used instead of loading the saved one: updating it in
   * place leaves it untouched for its readers, and saves seconds of loading at 100k passages.
   */
  readonly current?: LoadedIndex;
  /** Called with the new index as soon as it can answer, before it is saved (a server switches to it here). */
  readonly onSearchable?: (index: LoadedIndex) => void;
}

/** How an ingest brought the index up to date. */
export type IngestUpdate = 'none' | 'in-place' | 'compaction' | 'full';

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
  /** 'in-place': deleted and added only the changed passages; 'compaction'/'full': rebuilt both indexes. */
  readonly update: IngestUpdate;
  /** Vectors inserted into the HNSW graph in this run (all of them on a rebuild). */
  readonly vectorsInserted: number;
  /** Passage texts analysed for BM25 in this run (all of them on a rebuild). */
  readonly lexicalAnalysed: number;
  /** New passages that took over the vector of a passage with the same indexed text in a file of the same content (a rename or copy), instead of being embedded. */
  readonly reusedVectors: number;
  /** Time spent embedding. */
  readonly embedSeconds: number;
  /** From the start until the new index could answer (before saving). */
  readonly searchableSeconds: number;
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
  if (options.current !== undefined) {
    const mismatches = settingsMismatches(options.current.manifest, wanted);
    return mismatches.length === 0 ? { index: options.current, reason: undefined } : { index: undefined, reason: mismatches.join('; ') };
  }
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
  const work = { update: 'none' as IngestUpdate, vectorsInserted: 0, lexicalAnalysed: 0, reusedVectors: 0, embedSeconds: 0, searchableSeconds: 0 };
  const report = (embedded: number, paragraphs: number, upToDate: boolean): IngestReport => ({
    ...work,
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
    return { report: report(0, livePassages(previous), true), index: previous };
  }

  // Unchanged files keep their paragraphs (and vectors); the rest is chunked and embedded.
  const unchanged = new Set(diff.unchanged);
  const fresh = documents.filter((document) => !unchanged.has(document.file));
  const countTokens = fresh.length > 0 ? await options.tokenCounter() : () => 0;
  const titles = new Map(previous?.manifest.files.map((entry) => [entry.file, entry.title]) ?? []);
  // Tokenizing for the chunker runs on this thread: yield between documents for the same reason.
  const freshParagraphs: Paragraph[] = [];
  const freshTexts: string[] = []; // what each is embedded as
  for (const document of fresh) {
    const chunked = chunkDocument(document.file, document.text, options.build.chunking, countTokens);
    titles.set(document.file, chunked.title);
    for (const passage of chunked.passages) {
      freshParagraphs.push(passage);
      freshTexts.push(embeddedText(passage, chunked.title, options.build.chunking.context));
    }
    await yieldToEventLoop();
  }
  // A renamed (or copied) file keeps its vectors: passages embedded from the same text under a
  // file of the same content are not embedded again.
  const sameContent = previous === undefined ? new Map<string, number>() : sameContentLabels(previous, fresh, options.build.chunking.context);
  const embedStarted = performance.now();
  const { vectors: freshVectors, embedded } = await embedFresh(options, freshTexts, sameContent, previous);
  work.reusedVectors = freshTexts.length - embedded;
  work.embedSeconds = (performance.now() - embedStarted) / 1000;

  // Line counts of unchanged files are carried over: splitting every file's text again would be
  // one synchronous pass over the whole corpus (~100 ms at 100k passages) on each update.
  const previousLines = new Map(previous?.manifest.files.map((entry) => [entry.file, entry.lines]) ?? []);
  const files = (perFile: ReadonlyMap<string, number>): Manifest['files'] =>
    documents.map((document) => ({
      file: document.file,
      title: titles.get(document.file) ?? '',
      sha256: document.sha256,
      lines: (unchanged.has(document.file) ? previousLines.get(document.file) : undefined) ?? splitLines(document.text).length,
      paragraphs: perFile.get(document.file) ?? 0,
    }));
  const searchable = (index: LoadedIndex) => {
    work.searchableSeconds = (performance.now() - started) / 1000;
    options.onSearchable?.(index);
  };

  if (previous !== undefined) {
    const stale = new Set([...diff.changed, ...diff.removed]);
    const removedLabels: number[] = [];
    await forEachInSlices(previous.paragraphs, (paragraph) => {
      if (stale.has(paragraph.file)) removedLabels.push(paragraph.id);
    });
    const tombstones = previous.paragraphs.length - livePassages(previous) + removedLabels.length;
    if (tombstones / (previous.paragraphs.length + freshParagraphs.length) <= COMPACT_TOMBSTONE_SHARE) {
      const updated = await updateInPlace(options, previous, removedLabels, freshParagraphs, titles, freshVectors);
      work.update = 'in-place';
      work.vectorsInserted = freshParagraphs.length;
      work.lexicalAnalysed = freshParagraphs.length + removedLabels.length;
      const perFile = new Map<string, number>();
      for (const paragraph of freshParagraphs) perFile.set(paragraph.file, (perFile.get(paragraph.file) ?? 0) + 1);
      for (const entry of previous.manifest.files) if (unchanged.has(entry.file)) perFile.set(entry.file, entry.paragraphs);
      const fields: Omit<Manifest, 'artifacts'> = { schemaVersion: SCHEMA_VERSION, builtAt: new Date().toISOString(), ...wanted, files: files(perFile), paragraphCount: updated.paragraphs.length };
      const contents = { manifest: fields, ...updated, replaces: previous.paragraphs };
      searchable({ ...updated, manifest: { ...fields, artifacts: previous.manifest.artifacts } });
      options.onProgress?.({ phase: 'save', done: 0, total: 1 });
      const manifest = await saveIndex(options.indexDir, contents);
      options.onProgress?.({ phase: 'save', done: 1, total: 1 });
      const index: LoadedIndex = { ...updated, manifest };
      return { report: report(embedded, livePassages(index), false), index };
    }
  }
  work.update = previous === undefined ? 'full' : 'compaction';
  // A rebuild holds each passage's text and vector only as long as it needs it: the retrieval
  // texts were for the embedder (BM25 makes its own one at a time), and each vector goes once
  // the graph holds its copy. At 100k passages these copies (~70 MB of text, ~150 MB of vectors)
  // all alive next to the growing graph and BM25's build buffers were most of the ingest's peak RSS.
  freshTexts.length = 0;
  // Each new label's source, in folder order (so labels, and therefore ties, are the same on every
  // machine): a fresh passage (its index) or an unchanged file's passage (−1 − its old label).
  const freshByFile = new Map<string, number[]>();
  freshParagraphs.forEach((paragraph, i) => appendTo(freshByFile, paragraph.file, i));
  const keptByFile = new Map<string, number[]>();
  for (const paragraph of previous?.paragraphs ?? []) if (unchanged.has(paragraph.file)) appendTo(keptByFile, paragraph.file, -1 - paragraph.id);
  const sources = documents.flatMap((document) => keptByFile.get(document.file) ?? freshByFile.get(document.file) ?? []);
  const paragraphOf = (source: number): Paragraph => (source >= 0 ? (freshParagraphs[source] as Paragraph) : (previous!.paragraphs[-1 - source] as Paragraph));
  const indexedParagraphs: IndexedParagraph[] = sources.map((source, id) => ({ ...paragraphOf(source), id }));
  const paragraphs: readonly Paragraph[] = indexedParagraphs;

  const vectors = options.backends.vectors.create(options.embedder.dimension, sources.length, options.hnsw);
  // Inserts are synchronous (hnswlib: ~0.5 ms a point): insert in slices and yield between them,
  // so a bot ingesting in-process keeps answering heartbeats while the graph is built. A
  // compaction reads an unchanged passage's vector back from the old graph just before inserting
  // it (~0.25 ms each), instead of copying them all out first.
  work.vectorsInserted = sources.length;
  work.lexicalAnalysed = sources.length;
  for (let start = 0; start < sources.length; start += HNSW_INSERTS_PER_TURN) {
    const end = Math.min(sources.length, start + HNSW_INSERTS_PER_TURN);
    for (let label = start; label < end; label++) {
      const source = sources[label] as number;
      if (source >= 0) {
        vectors.add(freshVectors[source] as Float32Array, label);
        freshVectors[source] = undefined;
      } else {
        vectors.add(previous!.vectors.vector(-1 - source), label);
      }
    }
    options.onProgress?.({ phase: 'index', done: end, total: sources.length });
    await yieldToEventLoop();
  }
  const titleOf = (file: string) => titles.get(file) ?? '';
  const { context } = options.build.chunking;
  // Made one at a time as BM25 reads them (see above).
  function* lexicalTexts(): Generator<string> {
    for (let i = 0; i < paragraphs.length; i++) yield lexicalTextAt(paragraphs, i, titleOf((paragraphs[i] as Paragraph).file), context);
  }
  const lexical = await options.backends.lexical.build(lexicalTexts());

  const perFile = new Map<string, number>();
  for (const paragraph of paragraphs) perFile.set(paragraph.file, (perFile.get(paragraph.file) ?? 0) + 1);
  const manifestFields: Omit<Manifest, 'artifacts'> = { schemaVersion: SCHEMA_VERSION, builtAt: new Date().toISOString(), ...wanted, files: files(perFile), paragraphCount: paragraphs.length };
  if (previous !== undefined) searchable({ manifest: { ...manifestFields, artifacts: previous.manifest.artifacts }, paragraphs: indexedParagraphs, vectors, lexical });
  options.onProgress?.({ phase: 'save', done: 0, total: 1 });
  // The array the index serves is the one saved, so the next in-place save can copy from this file.
  const manifest = await saveIndex(options.indexDir, { manifest: manifestFields, paragraphs: indexedParagraphs, vectors, lexical });
  options.onProgress?.({ phase: 'save', done: 1, total: 1 });
  if (previous === undefined) work.searchableSeconds = (performance.now() - started) / 1000;
  return {
    report: report(embedded, paragraphs.length, false),
    index: { manifest, paragraphs: indexedParagraphs, vectors, lexical },
  };
}

/**
 * The vector of each fresh passage: taken over from `previous` where `sameContent` has its text (a
 * renamed or copied file), embedded otherwise. A function of its own so that nothing but the
 * returned array refers to the vectors: the caller drops each one once the graph holds it.
 */
async function embedFresh(
  options: IngestOptions,
  texts: readonly string[],
  sameContent: ReadonlyMap<string, number>,
  previous: LoadedIndex | undefined,
): Promise<{ vectors: (Float32Array | undefined)[]; embedded: number }> {
  const vectors = new Array<Float32Array | undefined>(texts.length);
  const toEmbed: number[] = [];
  texts.forEach((text, i) => {
    const label = sameContent.get(text);
    if (label === undefined) toEmbed.push(i);
    else vectors[i] = previous!.vectors.vector(label);
  });
  await options.embedder.ready();
  if (toEmbed.length > 0) {
    const embedded = await options.embedder.embed(toEmbed.map((i) => texts[i] as string), 'passage', (progress) => options.onProgress?.({ phase: 'embed', ...progress }));
    toEmbed.forEach((i, j) => (vectors[i] = embedded[j]));
  }
  return { vectors, embedded: toEmbed.length };
}

/** Appends `value` to the list of `key`. */
function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

/**
 * Paragraphs visited per turn of the event loop by a pass over the whole index during an
 * in-place update: one pass over 100k passages took 20–40 ms on the shared machine.
 */
const PARAGRAPHS_PER_TURN = 10_000;

/** Calls `visit` on each item in order, yielding to the event loop every {@link PARAGRAPHS_PER_TURN}. */
async function forEachInSlices<T>(items: readonly T[], visit: (item: T) => void): Promise<void> {
  for (let start = 0; start < items.length; start += PARAGRAPHS_PER_TURN) {
    const end = Math.min(items.length, start + PARAGRAPHS_PER_TURN);
    for (let i = start; i < end; i++) visit(items[i] as T);
    if (end < items.length) await yieldToEventLoop();
  }
}

/** Passages of an index that are not tombstones. */
function livePassages(index: LoadedIndex): number {
  return index.manifest.files.reduce((sum, entry) => sum + entry.paragraphs, 0);
}

/**
 * Embedded text → label, for the passages of `previous` whose file has the content of one of the
 * `fresh` documents (the old path of a renamed file, or the original of a copy). Keyed by text,
 * not by position: a vector is reused only when it would be embedded from exactly that text again.
 */
function sameContentLabels(previous: LoadedIndex, fresh: readonly SourceDocument[], context: IngestOptions['build']['chunking']['context']): Map<string, number> {
  const freshHashes = new Set(fresh.map((document) => document.sha256));
  const titles = new Map(previous.manifest.files.filter((entry) => freshHashes.has(entry.sha256)).map((entry) => [entry.file, entry.title]));
  const labels = new Map<string, number>();
  if (titles.size === 0) return labels;
  for (const paragraph of previous.paragraphs) {
    const title = titles.get(paragraph.file);
    if (title !== undefined) labels.set(embeddedText(paragraph, title, context), paragraph.id);
  }
  return labels;
}

/**
 * The in-place update: removed labels become tombstones in both indexes, new passages get labels
 * after the last one (a file's passages contiguous, so "the previous passage" is still label − 1).
 * `previous` is left as it was for whoever still reads it.
 */
async function updateInPlace(
  options: IngestOptions,
  previous: LoadedIndex,
  removedLabels: readonly number[],
  freshParagraphs: readonly Paragraph[],
  titles: ReadonlyMap<string, string>,
  freshVectors: readonly (Float32Array | undefined)[],
): Promise<Pick<LoadedIndex, 'paragraphs' | 'vectors' | 'lexical'>> {
  const oldTitles = new Map(previous.manifest.files.map((entry) => [entry.file, entry.title]));
  const { context } = options.build.chunking;
  const removedTexts = removedLabels.map((label) => ({
    label,
    text: lexicalTextAt(previous.paragraphs, label, oldTitles.get((previous.paragraphs[label] as Paragraph).file) ?? '', context),
  }));
  const firstLabel = previous.paragraphs.length;
  const vectors = await previous.vectors.update({
    remove: removedLabels,
    add: freshVectors.map((vector, i) => ({ label: firstLabel + i, vector: vector as Float32Array })),
  });
  // Each fresh file's passages are contiguous in `freshParagraphs`, as they will be in the index.
  const added = freshParagraphs.map((paragraph, i) => ({ label: firstLabel + i, text: lexicalTextAt(freshParagraphs, i, titles.get(paragraph.file) ?? '', context) }));
  const lexical = await previous.lexical.update({ remove: removedTexts, add: added });
  const removed = new Set(removedLabels);
  const paragraphs: IndexedParagraph[] = [];
  await forEachInSlices(previous.paragraphs, (paragraph) => {
    paragraphs.push(removed.has(paragraph.id) ? { ...TOMBSTONE, id: paragraph.id } : paragraph);
  });
  freshParagraphs.forEach((paragraph, i) => paragraphs.push({ ...paragraph, id: firstLabel + i }));
  return { paragraphs, vectors, lexical };
}
