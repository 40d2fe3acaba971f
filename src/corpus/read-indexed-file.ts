/**
 * Reading a cited document back for quoting (`/source`): only the file that was indexed, only from
 * inside the documents folder, and only if its bytes are still the ones the index was built from.
 * Anything else would quote lines the citation does not point at (a file edited since ingest), or
 * whatever a path points to now (a document swapped for a symbolic link to /etc/passwd).
 */
import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { CitebotError } from '../core/errors.ts';
import { isInside, locateCited, type CitationScheme } from './load-documents.ts';

/** What reading an indexed document gave. `text` only when the bytes hash to what was indexed. */
export type IndexedFileRead =
  | { readonly kind: 'same'; readonly text: string }
  /** The file is there but its bytes differ from the indexed ones: it must be re-indexed. */
  | { readonly kind: 'changed' }
  /** The path now resolves outside the documents folder (a symbolic link swapped in). */
  | { readonly kind: 'outside' }
  /** Gone, unreadable, or not a regular file any more. */
  | { readonly kind: 'missing' };

/**
 * Reads `absolutePath` (a document inside `documentsDir`) if it still holds the bytes whose sha256
 * is `indexedSha256`. The real path must be inside the documents folder's real path; the file is
 * opened by that real path without following links, checked to be a regular file, and read
 * through the same descriptor that is hashed, so a swap between the checks can only make the hash
 * differ (reported as `changed`), never make other bytes pass.
 */
export async function readIndexedFile(absolutePath: string, documentsDir: string, indexedSha256: string): Promise<IndexedFileRead> {
  const folder = await realpath(documentsDir).catch(() => undefined);
  const real = await realpath(absolutePath).catch(() => undefined);
  if (folder === undefined || real === undefined) return { kind: 'missing' };
  if (!isInside(folder, real)) return { kind: 'outside' };
  const handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
  if (handle === undefined) return { kind: 'missing' };
  try {
    if (!(await handle.stat()).isFile()) return { kind: 'missing' };
    const bytes = await handle.readFile();
    if (createHash('sha256').update(bytes).digest('hex') !== indexedSha256) return { kind: 'changed' };
    // The indexed bytes were valid UTF-8 (ingest skips files that are not), so this decodes them exactly.
    return { kind: 'same', text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
  } finally {
    await handle.close();
  }
}

/** The message shown instead of lines of a document that changed after it was indexed. */
export function changedDocumentMessage(file: string): string {
  return `${file} changed after it was indexed; re-indexing now.`;
}

/**
 * The text of the cited document `file` for quoting, or a CitebotError saying why it cannot be
 * quoted: SOURCE_CHANGED (its bytes differ from the indexed ones; `onChanged` is called so the
 * caller can re-index) or SOURCE_NOT_FOUND (gone, not a regular file, or now outside the folder).
 */
export async function readCitedText(file: string, indexedSha256: string, scheme: CitationScheme, onChanged?: (file: string) => void): Promise<string> {
  const location = locateCited(scheme, file);
  const read = location === undefined ? ({ kind: 'outside' } as const) : await readIndexedFile(location, scheme.documentsDir, indexedSha256);
  switch (read.kind) {
    case 'same':
      return read.text;
    case 'changed':
      onChanged?.(file);
      throw new CitebotError('SOURCE_CHANGED', changedDocumentMessage(file));
    case 'outside':
      // Also a change: what was indexed is no longer there. Re-indexing will drop or skip it.
      onChanged?.(file);
      throw new CitebotError('SOURCE_NOT_FOUND', `${file} now points outside the documents folder, so it is not quoted; re-indexing now.`);
    case 'missing':
      onChanged?.(file);
      throw new CitebotError('SOURCE_NOT_FOUND', `${file} cannot be read any more (moved, deleted or not a regular file); re-indexing now.`);
  }
}
