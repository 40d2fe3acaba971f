/**
 * Finds and reads the documents of a corpus folder: `.txt` and `.md` files, recursively, in a
 * stable order. Files that are not valid UTF-8 text are skipped with a warning, not fatal.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CitebotError } from '../core/errors.ts';

export const DOCUMENT_EXTENSIONS = ['.txt', '.md'] as const;

export interface SourceDocument {
  /** Path as cited: relative to the project root, `/`-separated. */
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

async function listDocumentPaths(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && DOCUMENT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext)))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !path.basename(file).startsWith('.'))
    // Code-unit order, not locale order: the same on every machine.
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
export async function loadDocuments(folder: string, rootDir: string): Promise<LoadedCorpus> {
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) {
    throw new CitebotError('CORPUS_MISSING', `The documents folder ${folder} does not exist or is not a folder.`);
  }
  const documents: SourceDocument[] = [];
  const skipped: SkippedFile[] = [];
  for (const absolutePath of await listDocumentPaths(folder)) {
    const file = citedPath(rootDir, absolutePath);
    const bytes = await readFile(absolutePath);
    const decoded = decodeText(bytes);
    if ('reason' in decoded) {
      skipped.push({ file, reason: decoded.reason });
      continue;
    }
    documents.push({ file, absolutePath, text: decoded.text, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  if (documents.length === 0) {
    const why = skipped.length > 0 ? ` (${skipped.length} file(s) skipped as not text)` : '';
    throw new CitebotError('CORPUS_EMPTY', `The documents folder ${folder} has no .txt or .md files to index${why}.`);
  }
  return { documents, skipped };
}
