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
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CitebotError } from '../core/errors.ts';
import { PASSAGE_KINDS, type IndexedParagraph, type Paragraph } from '../core/types.ts';
import type { LexicalIndex, LexicalIndexFactory } from '../lexical-index/lexical-index.ts';
import type { VectorIndexFactory } from '../vector-index/vector-index.ts';
import type { VectorIndex } from '../vector-index/vector-index.ts';
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

/** Paragraphs serialised per turn of the event loop by {@link jsonArrayChunks}. */
const PARAGRAPHS_PER_WRITE = 2000;

/**
 * `items` as one JSON array in pieces: together the same bytes as JSON.stringify(items), without
 * one long synchronous stringify of 100k paragraphs (~45 MB).
 */
function* jsonArrayChunks(items: readonly unknown[]): Generator<string> {
  yield '[';
  for (let start = 0; start < items.length; start += PARAGRAPHS_PER_WRITE) {
    const slice = JSON.stringify(items.slice(start, start + PARAGRAPHS_PER_WRITE)).slice(1, -1);
    yield start === 0 ? slice : `,${slice}`;
  }
  yield ']';
}

/**
 * Writes `data` (or its pieces in order, one write each, so the event loop runs between them),
 * then flushes the file, so a rename after it never exposes a half-written file.
 */
async function writeDurable(file: string, data: string | Uint8Array | Iterable<string>): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (const piece of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) await handle.writeFile(piece);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Atomically replaces `file` with `data` (temp file + rename). */
async function replaceAtomically(file: string, data: string): Promise<void> {
  const temporary = `${file}.tmp-${process.pid}`;
  await writeDurable(temporary, data);
  await rename(temporary, file);
}

export interface IndexContents {
  readonly manifest: Omit<Manifest, 'artifacts'>;
  readonly paragraphs: readonly Paragraph[];
  readonly vectors: VectorIndex;
  readonly lexical: LexicalIndex;
}

/** Saves a new generation and makes it current; older generations are removed afterwards. */
export async function saveIndex(indexDir: string, contents: IndexContents): Promise<Manifest> {
  await mkdir(indexDir, { recursive: true });
  const generation = `${GENERATION_PREFIX}${Date.now()}-${process.pid}`;
  const folder = path.join(indexDir, generation);
  await mkdir(folder);
  const paragraphsFile = path.join(folder, ARTIFACT_FILES.paragraphs);
  const vectorsFile = path.join(folder, ARTIFACT_FILES.vectors);
  const lexicalFile = path.join(folder, ARTIFACT_FILES.lexical);
  const paragraphs = contents.paragraphs.map(({ file, startLine, endLine, text, headings, kind }) => ({ file, startLine, endLine, text, headings, kind }));
  await writeDurable(paragraphsFile, jsonArrayChunks(paragraphs));
  await contents.vectors.save(vectorsFile);
  await writeDurable(lexicalFile, await contents.lexical.serializeAsync());
  const manifest: Manifest = {
    ...contents.manifest,
    artifacts: {
      paragraphs: await sha256File(paragraphsFile),
      vectors: await sha256File(vectorsFile),
      lexical: await sha256File(lexicalFile),
    },
  };
  await writeDurable(path.join(folder, MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  await replaceAtomically(path.join(indexDir, POINTER_FILE), `${generation}\n`);
  await removeOtherGenerations(indexDir, generation);
  return manifest;
}

/** Removes every generation folder but `keep` (including leftovers of interrupted ingests). */
async function removeOtherGenerations(indexDir: string, keep: string): Promise<void> {
  for (const entry of await readdir(indexDir, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name.startsWith(GENERATION_PREFIX) && entry.name !== keep) {
      await rm(path.join(indexDir, entry.name), { recursive: true, force: true });
    }
  }
}

/** The current generation folder, or undefined when no index was ever completed. */
async function currentGeneration(indexDir: string): Promise<string | undefined> {
  const pointer = await readFile(path.join(indexDir, POINTER_FILE), 'utf8').catch(() => undefined);
  if (pointer === undefined) return undefined;
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

/** Loads the current index. Throws INDEX_MISSING when there is none, INDEX_CORRUPT when a file is damaged. */
export async function loadIndex(indexDir: string, backends: IndexBackends, efSearch: number): Promise<LoadedIndex> {
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
    vectors = await backends.vectors.load(vectorsFile, manifest.model.dimension, efSearch, deleted);
  } catch (cause) {
    throw corrupt(`cannot load ${path.basename(vectorsFile)}`, cause);
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
