/**
 * Persistence of the index under `embeddings/`, crash-safe.
 *
 * Each build is written to a fresh generation folder (`gen-<time>/`); only when every file is
 * written and flushed does the `CURRENT` pointer switch to it, by an atomic rename. An ingest
 * killed half-way leaves an unreferenced folder and the previous index in service. (LevelDB's
 * CURRENT file works the same way.)
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CitebotError } from '../core/errors.ts';
import { PASSAGE_KINDS, type IndexedParagraph, type Paragraph } from '../core/types.ts';
import type { LexicalIndex, LexicalIndexFactory } from '../lexical-index/lexical-index.ts';
import type { VectorIndexFactory } from '../vector-index/vector-index.ts';
import type { VectorIndex } from '../vector-index/vector-index.ts';
import { NODE_DURABLE_FS, type DurableFs } from './durable-fs.ts';
import { ARTIFACT_FILES, manifestSchema, SCHEMA_VERSION, type ArtifactName, type Manifest } from './manifest.ts';

const POINTER_FILE = 'CURRENT';
const MANIFEST_FILE = 'manifest.json';
const GENERATION_PREFIX = 'gen-';

/** An index loaded into memory, read-only. Paragraph `id` = label in both indexes = position in `paragraphs`. */
/** The index implementations behind the ports, chosen by the composition root (app.ts). */
export interface IndexBackends {
  readonly vectors: VectorIndexFactory;
  readonly lexical: LexicalIndexFactory;
}

/**
 * The placeholder left at the label of a passage removed by an in-place update (labels are
 * positions in `paragraphs`, so removed passages cannot simply be spliced out). Searches never
 * return it: the vector index holds its label as deleted and the lexical index holds it empty. A
 * compaction (full rebuild) drops the placeholders and renumbers.
 */
export const TOMBSTONE: Paragraph = { file: '', startLine: 1, endLine: 1, text: '', headings: [], kind: 'text' };

/** Whether a paragraph is a {@link TOMBSTONE} (no real document has an empty path). */
export const isTombstone = (paragraph: Paragraph): boolean => paragraph.file === TOMBSTONE.file;

export interface LoadedIndex {
  readonly manifest: Manifest;
  readonly paragraphs: readonly IndexedParagraph[];
  readonly vectors: VectorIndex;
  readonly lexical: LexicalIndex;
}

const paragraphsSchema = z.array(
  z.object({
    file: z.string(),
    startLine: z.number().int().positive(),
    endLine: z.number().int().positive(),
    text: z.string(),
    headings: z.array(z.string()),
    kind: z.enum(PASSAGE_KINDS),
  }),
);

/** Size and sha256 of a file, read as a stream: hashing a 170 MB graph in one call would stall the event loop (a bot's heartbeats) for ~0.5 s. */
async function sha256File(file: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Paragraphs serialised per turn of the event loop when paragraphs.json is written: ~0.2 MB of
 * JSON, a few ms (2000 a piece stalled a save for 80–130 ms on the shared machine). Also the unit
 * in which a save copies unchanged paragraphs from the previous file ({@link paragraphsJson}).
 */
const PARAGRAPHS_PER_WRITE = 250;

/**
 * Where each piece of a paragraphs.json this process wrote lies in it: piece k holds paragraphs
 * [k·{@link PARAGRAPHS_PER_WRITE}, (k+1)·…) (with the comma before it, for k > 0).
 */
interface ParagraphsLayout {
  readonly file: string;
  readonly bytes: number;
  readonly paragraphs: readonly Paragraph[];
  readonly pieces: readonly { readonly at: number; readonly bytes: number }[];
}

/**
 * The layout of the paragraphs.json saved from each paragraphs array (weakly held: gone with the
 * index). An in-place update keeps every unchanged paragraph object, so the next save copies the
 * bytes of unchanged pieces from the previous file instead of serialising ~60 MB of JSON again
 * at 100k passages: that string garbage set off the major garbage collections that stalled saves.
 */
const savedLayouts = new WeakMap<readonly Paragraph[], ParagraphsLayout>();

/** Whether paragraphs [start, end) are the very objects a previous save wrote as one piece. */
function sameSlice(previous: readonly Paragraph[], paragraphs: readonly Paragraph[], start: number, end: number): boolean {
  if (Math.min(previous.length, start + PARAGRAPHS_PER_WRITE) !== end) return false;
  for (let i = start; i < end; i++) if (previous[i] !== paragraphs[i]) return false;
  return true;
}

const storedFields = ({ file, startLine, endLine, text, headings, kind }: Paragraph) => ({ file, startLine, endLine, text, headings, kind });

/**
 * The stored fields of `paragraphs` (no `id`) as one JSON array, in pieces: the same bytes as
 * JSON.stringify of the whole array, without one long synchronous stringify of 100k paragraphs.
 * Pieces whose paragraphs are unchanged since `previous` was written are read from its file
 * (falling back to serialising when that file is gone or not the one written). `pieces` receives
 * the new file's layout.
 */
async function* paragraphsJson(paragraphs: readonly Paragraph[], previous: ParagraphsLayout | undefined, pieces: { at: number; bytes: number }[]): AsyncGenerator<Uint8Array> {
  let handle = previous === undefined ? undefined : await open(previous.file, 'r').catch(() => undefined);
  try {
    if (handle !== undefined && (await handle.stat()).size !== previous?.bytes) {
      await handle.close();
      handle = undefined;
    }
    let at = 0;
    const emit = (piece: Uint8Array) => {
      pieces.push({ at, bytes: piece.length });
      at += piece.length;
      return piece;
    };
    yield Buffer.from('[');
    at = 1;
    for (let k = 0, start = 0; start < paragraphs.length; k++, start += PARAGRAPHS_PER_WRITE) {
      const end = Math.min(paragraphs.length, start + PARAGRAPHS_PER_WRITE);
      const old = previous?.pieces[k];
      let piece: Buffer | undefined;
      if (handle !== undefined && old !== undefined && sameSlice(previous!.paragraphs, paragraphs, start, end)) {
        const buffer = Buffer.allocUnsafe(old.bytes);
        const { bytesRead } = await handle.read(buffer, 0, old.bytes, old.at);
        if (bytesRead === old.bytes) piece = buffer;
      }
      piece ??= Buffer.from(`${start === 0 ? '' : ','}${JSON.stringify(paragraphs.slice(start, end).map(storedFields)).slice(1, -1)}`);
      yield emit(piece);
    }
    yield Buffer.from(']');
  } finally {
    await handle?.close();
  }
}

/** Atomically replaces `file` with `data`: temp file written and flushed, renamed over it, its folder flushed. */
async function replaceAtomically(file: string, data: string, fs: DurableFs): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await fs.writeFileSynced(temporary, data);
  await removeIfNotAFile(file);
  await fs.rename(temporary, file);
  await fs.syncDirectory(path.dirname(file));
}

/**
 * Removes `file` when something other than a regular file is in its place (a directory named
 * `CURRENT`): a rename cannot replace it (EISDIR), and it points at nothing. Only the writer-lock
 * holder gets here, and the new pointer is renamed in right after.
 */
async function removeIfNotAFile(file: string): Promise<void> {
  const info = await lstat(file).catch(() => undefined);
  if (info !== undefined && !info.isFile()) await rm(file, { recursive: true, force: true });
}

export interface IndexContents {
  readonly manifest: Omit<Manifest, 'artifacts'>;
  readonly paragraphs: readonly Paragraph[];
  readonly vectors: VectorIndex;
  readonly lexical: LexicalIndex;
  /**
   * The paragraphs of the generation this one updates in place, as saved by this process: the
   * unchanged paragraphs' JSON is copied from that generation's file instead of serialised again.
   */
  readonly replaces?: readonly Paragraph[];
}

/**
 * Saves a new generation and makes it current; generations older than the one it replaces are
 * removed afterwards. Callers hold the writer lock (writer-lock.ts), so no other writer's folder
 * is ever in progress here.
 */
export async function saveIndex(indexDir: string, contents: IndexContents, fs: DurableFs = NODE_DURABLE_FS): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const generation = `${GENERATION_PREFIX}${Date.now()}-${process.pid}`;
  const folder = path.join(indexDir, generation);
  await mkdir(folder);
  const paragraphsFile = path.join(folder, ARTIFACT_FILES.paragraphs);
  const vectorsFile = path.join(folder, ARTIFACT_FILES.vectors);
  const lexicalFile = path.join(folder, ARTIFACT_FILES.lexical);
  // Flush order: durable-fs.ts says why each step is needed.
  const pieces: { at: number; bytes: number }[] = [];
  const previousLayout = contents.replaces === undefined ? undefined : savedLayouts.get(contents.replaces);
  await fs.writeFileSynced(paragraphsFile, paragraphsJson(contents.paragraphs, previousLayout, pieces));
  await contents.vectors.save(vectorsFile);
  await fs.syncFile(vectorsFile);
  await fs.writeFileSynced(lexicalFile, await contents.lexical.serializeAsync());
  const manifest: Manifest = {
    ...contents.manifest,
    artifacts: {
      paragraphs: await sha256File(paragraphsFile),
      vectors: await sha256File(vectorsFile),
      lexical: await sha256File(lexicalFile),
    },
  };
  savedLayouts.set(contents.paragraphs, { file: paragraphsFile, bytes: manifest.artifacts.paragraphs.bytes, paragraphs: contents.paragraphs, pieces });
  await fs.writeFileSynced(path.join(folder, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  await fs.syncDirectory(folder);
  await fs.syncDirectory(indexDir);
  const replaced = await currentGenerationName(indexDir);
  await replaceAtomically(path.join(indexDir, POINTER_FILE), `${generation}\n`, fs);
  await removeOldGenerations(indexDir, [generation, ...(replaced === undefined ? [] : [replaced])]);
  return manifest;
}

/**
 * Garbage collection: removes every generation folder but `keep` — the new current one and the one
 * it replaced — including leftovers of interrupted ingests. Why this never removes a generation in
 * use: only the lock holder writes or removes, so no other writer's folder is in progress; readers
 * hold no files once loaded (the whole index is read into memory); a reader still loading the
 * generation just replaced keeps it, since that one is kept; and a reader so slow that two more
 * generations were switched in meanwhile finds its folder gone and loads the new current one
 * ({@link loadIndex} retries when `CURRENT` moved under it).
 */
async function removeOldGenerations(indexDir: string, keep: readonly string[]): Promise<void> {
  for (const entry of await readdir(indexDir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith(GENERATION_PREFIX) && !keep.includes(entry.name)) {
      await rm(path.join(indexDir, entry.name), { recursive: true, force: true });
    }
  }
}

/** The name `CURRENT` holds now, or undefined when it cannot be read (for bookkeeping, never for loading). */
async function currentGenerationName(indexDir: string): Promise<string | undefined> {
  const pointer = await readFile(path.join(indexDir, POINTER_FILE), 'utf8').catch(() => undefined);
  return pointer?.trim();
}

/** The current generation folder, or undefined when no index was ever completed. */
async function currentGeneration(indexDir: string): Promise<string | undefined> {
  const pointerFile = path.join(indexDir, POINTER_FILE);
  let pointer: string;
  try {
    pointer = await readFile(pointerFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // A directory (EISDIR), a file without read permission, …: damaged, so rebuilt — never "no index" (that hid it until the rename failed).
    throw new CitebotError('INDEX_CORRUPT', `The index pointer ${pointerFile} is not a readable file (${code ?? 'unreadable'}).`, { cause: error });
  }
  const name = pointer.trim();
  if (!name.startsWith(GENERATION_PREFIX) || name.includes('/') || name.includes('\\')) {
    throw new CitebotError('INDEX_CORRUPT', `The index pointer ${path.join(indexDir, POINTER_FILE)} is damaged.`);
  }
  return path.join(indexDir, name);
}

function corrupt(what: string, cause?: unknown): CitebotError {
  return new CitebotError('INDEX_CORRUPT', `The saved index is damaged: ${what}.`, { cause });
}

/** Reads and validates the manifest of the current index; undefined when there is none. */
export async function readManifest(indexDir: string): Promise<Manifest | undefined> {
  const folder = await currentGeneration(indexDir);
  if (folder === undefined) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(folder, MANIFEST_FILE), 'utf8'));
  } catch (cause) {
    throw corrupt(`cannot read ${path.join(folder, MANIFEST_FILE)}`, cause);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && version !== SCHEMA_VERSION) {
      throw new CitebotError('INDEX_STALE', `The index was written by another version of citebot (schema ${version}).`);
    }
    throw corrupt(`the manifest is invalid (${parsed.error.issues[0]?.message ?? 'unknown problem'})`);
  }
  return parsed.data;
}

/** Checks an artifact's size and checksum against the manifest: catches truncated and altered files. */
async function verifyArtifact(folder: string, name: ArtifactName, manifest: Manifest): Promise<string> {
  const file = path.join(folder, ARTIFACT_FILES[name]);
  const expected = manifest.artifacts[name];
  const size = await stat(file).then((s) => s.size, () => undefined);
  if (size === undefined) throw corrupt(`${ARTIFACT_FILES[name]} is missing`);
  if (size !== expected.bytes) throw corrupt(`${ARTIFACT_FILES[name]} has ${size} bytes, expected ${expected.bytes} (truncated?)`);
  const actual = await sha256File(file);
  if (actual.sha256 !== expected.sha256) throw corrupt(`${ARTIFACT_FILES[name]} does not match its checksum`);
  return file;
}

/** Loads tried when `CURRENT` moves on while a load is in progress (a writer switched twice meanwhile). */
const LOAD_ATTEMPTS = 3;

/**
 * Loads the current index. Throws INDEX_MISSING when there is none, INDEX_CORRUPT when a file is
 * damaged. Never takes the writer lock: a load that fails because the generation it read was
 * replaced and collected meanwhile starts again from the new `CURRENT`.
 */
export async function loadIndex(indexDir: string, backends: IndexBackends, efSearch: number): Promise<LoadedIndex> {
  for (let attempt = 1; ; attempt++) {
    const before = await currentGenerationName(indexDir);
    try {
      return await loadIndexOnce(indexDir, backends, efSearch);
    } catch (error) {
      const after = await currentGenerationName(indexDir);
      if (attempt >= LOAD_ATTEMPTS || before === after) throw error;
    }
  }
}

async function loadIndexOnce(indexDir: string, backends: IndexBackends, efSearch: number): Promise<LoadedIndex> {
  const manifest = await readManifest(indexDir);
  const folder = await currentGeneration(indexDir);
  if (manifest === undefined || folder === undefined) {
    throw new CitebotError('INDEX_MISSING', `There is no index in ${indexDir}.`);
  }
  const paragraphsFile = await verifyArtifact(folder, 'paragraphs', manifest);
  const vectorsFile = await verifyArtifact(folder, 'vectors', manifest);
  const lexicalFile = await verifyArtifact(folder, 'lexical', manifest);

  const parsedParagraphs = paragraphsSchema.safeParse(JSON.parse(await readFile(paragraphsFile, 'utf8')));
  if (!parsedParagraphs.success || parsedParagraphs.data.length !== manifest.paragraphCount) {
    throw corrupt('paragraphs.json does not match the manifest');
  }
  const paragraphs = parsedParagraphs.data.map((paragraph, id) => ({ ...paragraph, id }));
  let vectors: VectorIndex;
  try {
    const deleted = paragraphs.filter(isTombstone).map(({ id }) => id);
    vectors = await backends.vectors.load(vectorsFile, manifest.model.dimension, efSearch, deleted, manifest.paragraphCount);
  } catch (cause) {
    throw corrupt(`cannot load ${path.basename(vectorsFile)}${cause instanceof Error ? ` (${cause.message})` : ''}`, cause);
  }
  let lexical: LexicalIndex;
  try {
    lexical = backends.lexical.load(await readFile(lexicalFile));
  } catch (cause) {
    throw corrupt(`cannot load ${path.basename(lexicalFile)}: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  if (vectors.size !== paragraphs.length) throw corrupt(`the vector index holds ${vectors.size} vectors for ${paragraphs.length} paragraphs`);
  if (lexical.size !== paragraphs.length) throw corrupt(`the BM25 index holds ${lexical.size} paragraphs, not ${paragraphs.length}`);
  return { manifest, paragraphs, vectors, lexical };
}
