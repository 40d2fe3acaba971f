/**
 * The chunker's entry point: a document's title and passages, by the kind of file it is. Markdown
 * goes through the parser (structure-aware passages); anything else is plain text (runs of lines).
 */
import path from 'node:path';
import type { ChunkedDocument } from '../core/types.ts';
import { chunkMarkdown } from './markdown-passages.ts';
import { chunkPlainText, type ChunkingSettings, type TokenCounter } from './split-paragraphs.ts';

/**
 * Version of the passage rules (where passages start and end, their headings and kinds, and the
 * context they are indexed with). Bump it whenever a change to src/corpus moves a passage boundary
 * or changes what a passage is embedded or indexed as: an index records the version it was built
 * with, and an index built by other rules is rebuilt instead of silently reused.
 * 3: a long Markdown list is cut between items at 256 tokens, not at the model's limit.
 * 4: a short passage is embedded without the previous passage's end (BM25 still reads it).
 */
export const PASSAGE_RULES_VERSION = 4;

/** Extensions read as Markdown (compared lower-case, like the loader's). */
const MARKDOWN_EXTENSIONS: ReadonlySet<string> = new Set(['.md']);

/** Whether `file` is chunked as Markdown. */
export function isMarkdownFile(file: string): boolean {
  return MARKDOWN_EXTENSIONS.has(path.posix.extname(file).toLowerCase());
}

/**
 * The chunker: the title and passages of `file` (its path as cited), each passage with its exact
 * line span, its heading context and its kind, long ones split to `settings.maxTokens` as
 * `countTokens` measures them. Pure.
 */
export function chunkDocument(file: string, text: string, settings: ChunkingSettings, countTokens: TokenCounter): ChunkedDocument {
  return isMarkdownFile(file) ? chunkMarkdown(file, text, settings, countTokens) : chunkPlainText(file, text, settings, countTokens);
}
