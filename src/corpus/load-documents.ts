/**
 * Finds and reads the documents of a corpus folder: `.txt` and `.md` files, recursively, in a
 * stable order. Files that are not valid UTF-8 text are skipped with a warning, not fatal.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CitebotError } from '../core/errors.ts';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md'] as const;

export interface SourceDocument {
  /** Path as cited (see {@link citeDocument}): `/`-separated, never absolute. */
  readonly file: string;
  readonly absolutePath: string;
  readonly text: string;
  /** sha256 of the file's bytes: the manifest uses it to see what changed. */
  readonly sha256: string;
}

export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

export interface LoadedCorpus {
  readonly documents: readonly SourceDocument[];
  readonly skipped: readonly SkippedFile[];
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Path as cited: relative to `rootDir` with `/` separators (absolute when outside the root). */
export function citedPath(rootDir: string, absolutePath: string): string {
  const relative = path.relative(rootDir, absolutePath);
  const usable = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return (usable ? relative : absolutePath).split(path.sep).join('/');
}

/**
 * How a document is named in citations. Inside the project root a document is cited relative to
 * the root (`seeds/a.txt`), as before. A documents folder outside the root is cited relative to
 * that folder, never by its absolute server path (which the bot would show to Discord users).
 * With a `prefix`, every document is cited as `prefix/<path inside the documents folder>`.
 */
export interface CitationScheme {
  readonly rootDir: string;
  readonly documentsDir: string;
  /** Display prefix (CITEBOT_CITATION_PREFIX), `/`-separated, no leading or trailing slash. */
  readonly prefix?: string | undefined;
}

const toSlashes = (p: string) => p.split(path.sep).join('/');

/** True when `child` is `parent` or below it (both absolute, resolved). Pure. */
export function isInside(parent: string, child: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The prefix cleaned of surrounding slashes and whitespace; undefined when empty. Pure. */
function cleanPrefix(prefix: string | undefined): string | undefined {
  const cleaned = prefix?.trim().replace(/^[/\\]+|[/\\]+$/g, '');
  return cleaned === undefined || cleaned === '' ? undefined : cleaned;
}

/** True when documents are cited relative to the documents folder (outside the root, or with a prefix). */
function citesFromDocumentsFolder(scheme: CitationScheme): boolean {
  return cleanPrefix(scheme.prefix) !== undefined || !isInside(scheme.rootDir, scheme.documentsDir);
}

/** The citation of the document at `absolutePath` (a path inside the documents folder). Pure. */
export function citeDocument(scheme: CitationScheme, absolutePath: string): string {
  const prefix = cleanPrefix(scheme.prefix);
  if (!citesFromDocumentsFolder(scheme)) return toSlashes(path.relative(scheme.rootDir, absolutePath));
  const inside = toSlashes(path.relative(scheme.documentsDir, absolutePath));
  return prefix === undefined ? inside : `${prefix}/${inside}`;
}

/**
 * Where the cited `file` lives: the inverse of {@link citeDocument}. Undefined when the citation
 * cannot name a file inside the documents folder (`../`, another prefix, an absolute path). Pure.
 */
export function locateCited(scheme: CitationScheme, file: string): string | undefined {
  const prefix = cleanPrefix(scheme.prefix);
  let base = scheme.rootDir;
  let rest = file;
  if (citesFromDocumentsFolder(scheme)) {
    base = scheme.documentsDir;
    if (prefix !== undefined) {
      if (!file.startsWith(`${prefix}/`)) return undefined;
      rest = file.slice(prefix.length + 1);
    }
  }
  if (path.isAbsolute(rest)) return undefined;
  const absolute = path.resolve(base, rest);
  return isInside(scheme.documentsDir, absolute) && absolute !== scheme.documentsDir ? absolute : undefined;
}

const isDocumentName = (name: string) => !name.startsWith('.') && DOCUMENT_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext));

/** Code-unit order, not locale order: the same on every machine. */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface DocumentPath {
  /** The path inside the documents folder (a link's own path, not its target): what is cited. */
  readonly path: string;
  /** Where it really is (links resolved). */
  readonly real: string;
}

/**
 * The document files under `folder`, in a stable order, and every file or folder left out with its
 * reason. Symbolic links are followed only when they resolve inside the documents folder; a folder
 * already visited (a link loop, or a second way to the same folder) is not walked again, and a
 * file reached a second way is indexed once (under its real path when that is inside the folder).
 * Files without a document extension and hidden files are not documents and are not reported.
 */
async function listDocumentPaths(folder: string): Promise<{ files: DocumentPath[]; skipped: SkippedFile[] }> {
  const root = await realpath(folder);
  const skipped: SkippedFile[] = [];
  const found: DocumentPath[] = [];
  const visited = new Set<string>([root]);
  const relativeName = (p: string) => toSlashes(path.relative(folder, p)) || '.';

  // Links are followed after every real folder was walked, so a file or folder reachable both ways is
  // found under its real path first and the link is the one reported as a second path.
  const links: string[] = [];

  async function walk(directory: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch (cause) {
      skipped.push({ file: `${relativeName(directory)}/`, reason: `folder cannot be read (${(cause as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const entry of entries.sort((a, b) => byCodeUnits(a.name, b.name))) {
      const full = path.join(directory, entry.name);
      if (entry.isSymbolicLink()) links.push(full);
      else if (entry.isDirectory()) await enterFolder(full, await realpath(full).catch(() => full), `${relativeName(full)}/`);
      else if (isDocumentName(entry.name)) {
        if (entry.isFile()) found.push({ path: full, real: await realpath(full).catch(() => full) });
        else skipped.push({ file: relativeName(full), reason: 'not a regular file' });
      }
    }
  }

  async function followLink(full: string): Promise<void> {
    const target = await realpath(full).catch(() => undefined);
    const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
    const isFolder = info?.isDirectory() === true;
    if (!isFolder && !isDocumentName(path.basename(full))) return;
    const shown = isFolder ? `${relativeName(full)}/` : relativeName(full);
    if (target === undefined || info === undefined) skipped.push({ file: shown, reason: 'symbolic link to nothing (broken link, or a link loop)' });
    else if (!isInside(root, target)) skipped.push({ file: shown, reason: 'symbolic link to a path outside the documents folder' });
    else if (isFolder) await enterFolder(full, target, shown);
    else if (info.isFile()) found.push({ path: full, real: target });
    else skipped.push({ file: shown, reason: 'symbolic link to something that is not a regular file' });
  }

  async function enterFolder(full: string, real: string, shown: string): Promise<void> {
    if (visited.has(real)) {
      skipped.push({ file: shown, reason: `folder already indexed as ${toSlashes(path.relative(root, real)) || '.'}/ (symbolic link loop or second path)` });
      return;
    }
    visited.add(real);
    await walk(full);
  }

  await walk(folder);
  // Following a link to a folder walks it, which may find more links.
  for (let next = links.shift(); next !== undefined; next = links.shift()) await followLink(next);
  // One entry per real file: its own path when it is inside the folder, else the first link to it.
  const byReal = new Map<string, DocumentPath>();
  for (const candidate of found.sort((a, b) => byCodeUnits(a.path, b.path))) {
    const kept = byReal.get(candidate.real);
    const candidateIsReal = path.relative(root, candidate.real) === path.relative(folder, candidate.path);
    if (kept === undefined) byReal.set(candidate.real, candidate);
    else if (candidateIsReal) {
      skipped.push({ file: relativeName(kept.path), reason: `same file as ${relativeName(candidate.path)} (symbolic link)` });
      byReal.set(candidate.real, candidate);
    } else skipped.push({ file: relativeName(candidate.path), reason: `same file as ${relativeName(kept.path)} (symbolic link)` });
  }
  return { files: [...byReal.values()].sort((a, b) => byCodeUnits(a.path, b.path)), skipped };
}

const NEWLINE = 0x0a;

/**
 * Decodes bytes as UTF-8 text, or says why they are not text. A NUL byte marks a binary file; the
 * reason names where the first one is, so that a text file with one stray NUL can be repaired.
 */
export function decodeText(bytes: Uint8Array): { text: string } | { reason: string } {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    let line = 1;
    for (let i = 0; i < nul; i++) if (bytes[i] === NEWLINE) line++;
    return { reason: `binary file: a NUL byte at byte offset ${nul} (line ${line}); remove it if this is text` };
  }
  try {
    return { text: strictUtf8.decode(bytes) };
  } catch {
    return { reason: 'not valid UTF-8 text' };
  }
}

/**
 * Loads every document under `folder`. Throws CORPUS_MISSING / CORPUS_EMPTY naming the folder when
 * there is nothing to index; unreadable files are returned in `skipped` for the caller to report.
 */
export async function loadDocuments(folder: string, rootDir: string, options: { readonly citationPrefix?: string | undefined } = {}): Promise<LoadedCorpus> {
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new CitebotError('CORPUS_MISSING', `The documents folder ${folder} does not exist or is not a folder.`);
  }
  const scheme: CitationScheme = { rootDir, documentsDir: folder, prefix: options.citationPrefix };
  const documents: SourceDocument[] = [];
  const listed = await listDocumentPaths(folder);
  const skipped: SkippedFile[] = [...listed.skipped];
  for (const { path: absolutePath } of listed.files) {
    const file = citeDocument(scheme, absolutePath);
    const bytes = await readFile(absolutePath).catch((cause: NodeJS.ErrnoException) => cause);
    if (bytes instanceof Error) {
      skipped.push({ file, reason: `cannot be read (${bytes.code ?? bytes.message})` });
      continue;
    }
    const decoded = decodeText(bytes);
    if ('reason' in decoded) {
      skipped.push({ file, reason: decoded.reason });
      continue;
    }
    documents.push({ file, absolutePath, text: decoded.text, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  if (documents.length === 0) {
    const why = skipped.length > 0 ? ` (${skipped.length} file(s) skipped, listed with their reasons)` : '';
    throw new CitebotError('CORPUS_EMPTY', `The documents folder ${folder} has no .txt or .md files to index${why}.`);
  }
  return { documents, skipped };
}
