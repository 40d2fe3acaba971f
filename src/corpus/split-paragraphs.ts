/**
 * Splits a plain-text document into paragraphs with exact 1-based line spans, and the helpers every
 * chunker shares (line splitting, sentences, fitting to the model's input size). Pure functions.
 *
 * A paragraph is a run of non-blank lines. Its span is created here and never recomputed:
 * two identical paragraphs in one file keep their own lines.
 */
import path from 'node:path';
import type { ChunkedDocument, Paragraph } from '../core/types.ts';

/** Splits on every line ending in use (LF, CRLF, lone CR) so line numbers match what editors show. */
const LINE_BREAK = /\r\n|\n|\r/;
const BYTE_ORDER_MARK = '\uFEFF';

/** A line is blank when it holds only whitespace (including no-break spaces, which \s covers). */
function isBlank(line: string): boolean {
  return line.trim() === '';
}

/** Splits text into lines, without the BOM; a final line break does not create an extra line. */
export function splitLines(text: string): string[] {
  const withoutBom = text.startsWith(BYTE_ORDER_MARK) ? text.slice(1) : text;
  const lines = withoutBom.split(LINE_BREAK);
  if (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** Every run of non-blank lines of `text`, as `text` paragraphs of `file` without headings. Line breaks inside a paragraph become `\n`. */
export function splitParagraphs(file: string, text: string): Paragraph[] {
  const lines = splitLines(text);
  const paragraphs: Paragraph[] = [];
  let start = -1; // index of the first line of the open paragraph, -1 when none is open
  const close = (endExclusive: number) => {
    paragraphs.push({
      file,
      startLine: start + 1,
      endLine: endExclusive,
      text: lines.slice(start, endExclusive).join('\n'),
      headings: [],
      kind: 'text',
    });
    start = -1;
  };
  lines.forEach((line, index) => {
    if (isBlank(line)) {
      if (start !== -1) close(index);
    } else if (start === -1) {
      start = index;
    }
  });
  if (start !== -1) close(lines.length);
  return paragraphs;
}

/** Counts model tokens of a text (the chunker needs the model's own measure, not characters). */
export type TokenCounter = (text: string) => number;

interface Sentence {
  /** Offset of the first character in the paragraph text. */
  readonly start: number;
  readonly end: number;
}

const sentenceSegmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentence boundaries of a text (trimmed, non-empty), from the platform's Unicode segmenter. */
export function sentenceRanges(text: string): Sentence[] {
  const ranges: Sentence[] = [];
  for (const { segment, index } of sentenceSegmenter.segment(text)) {
    const leading = segment.length - segment.trimStart().length;
    const trimmed = segment.trim();
    if (trimmed === '') continue;
    ranges.push({ start: index + leading, end: index + leading + trimmed.length });
  }
  return ranges;
}

/** The sentences of a text, verbatim. */
export function splitSentences(text: string): string[] {
  return sentenceRanges(text).map(({ start, end }) => text.slice(start, end));
}

/** Line (1-based, within the whole file) on which the character at `offset` of the paragraph lies. */
function lineAt(paragraph: Paragraph, offset: number): number {
  let line = paragraph.startLine;
  for (let i = 0; i < offset; i++) if (paragraph.text.charCodeAt(i) === 10) line++;
  return line;
}

/** A piece of a paragraph from character `start` to `end`, with the true lines it covers and the paragraph's context. */
function piece(paragraph: Paragraph, start: number, end: number): Paragraph {
  return {
    file: paragraph.file,
    startLine: lineAt(paragraph, start),
    endLine: lineAt(paragraph, end - 1),
    text: paragraph.text.slice(start, end),
    headings: paragraph.headings,
    kind: paragraph.kind,
  };
}

/**
 * Splits a single over-long sentence at word boundaries so each part fits. Rare (tables, lists
 * without punctuation) but without it the model would silently truncate the text.
 */
function splitAtWords(text: string, start: number, end: number, maxTokens: number, countTokens: TokenCounter): Sentence[] {
  const parts: Sentence[] = [];
  const words = [...text.slice(start, end).matchAll(/\S+/g)];
  let partStart = -1;
  let partEnd = -1;
  for (const word of words) {
    const wordStart = start + (word.index ?? 0);
    const wordEnd = wordStart + word[0].length;
    if (partStart === -1) {
      partStart = wordStart;
      partEnd = wordEnd;
    } else if (countTokens(text.slice(partStart, wordEnd)) > maxTokens) {
      parts.push({ start: partStart, end: partEnd });
      partStart = wordStart;
      partEnd = wordEnd;
    } else {
      partEnd = wordEnd;
    }
  }
  if (partStart !== -1) parts.push({ start: partStart, end: partEnd });
  return parts;
}

/**
 * Keeps paragraphs that fit in `maxTokens` as they are; splits longer ones at sentence
 * boundaries into the fewest consecutive pieces that fit, each with its true line span and the
 * paragraph's `headings` and `kind`.
 */
export function fitToTokenLimit(paragraph: Paragraph, maxTokens: number, countTokens: TokenCounter): Paragraph[] {
  if (countTokens(paragraph.text) <= maxTokens) return [paragraph];
  const units = sentenceRanges(paragraph.text).flatMap((sentence) =>
    countTokens(paragraph.text.slice(sentence.start, sentence.end)) > maxTokens
      ? splitAtWords(paragraph.text, sentence.start, sentence.end, maxTokens, countTokens)
      : [sentence],
  );
  const pieces: Paragraph[] = [];
  let open: Sentence | undefined;
  for (const unit of units) {
    if (open === undefined) {
      open = { ...unit };
    } else if (countTokens(paragraph.text.slice(open.start, unit.end)) <= maxTokens) {
      open = { start: open.start, end: unit.end };
    } else {
      pieces.push(piece(paragraph, open.start, open.end));
      open = { ...unit };
    }
  }
  if (open !== undefined) pieces.push(piece(paragraph, open.start, open.end));
  return pieces;
}

export interface ChunkingSettings {
  /** Longest passage in model tokens; longer paragraphs are split at sentence boundaries. */
  readonly maxTokens: number;
  /**
   * Plain text only (Markdown marks its headings): most words a heading line may have (0: keep
   * headings as passages). The seeds' section titles have 2–4.
   */
  readonly headingMaxWords: number;
}

/**
 * A heading is a lone short line that is not a sentence ("Iraq expansion", "## Setup"). It names a
 * section but answers nothing, and yet it matches every question about its topic: indexed as a
 * passage it would crowd out the paragraphs below it, so it becomes their context instead. Pure.
 */
export function isHeading(paragraph: Paragraph, maxWords: number): boolean {
  if (maxWords === 0) return false;
  if (paragraph.startLine !== paragraph.endLine) return false;
  const line = paragraph.text.trim();
  if (/^#{1,6}\s/.test(line)) return true;
  // Any sentence punctuation (a quote, a comma, a colon) marks a sentence fragment, not a title.
  return line.split(/\s+/).length <= maxWords && !/[.!?…:;,"“”]/.test(line);
}

/**
 * Most words the first line of a plain-text file may have to be its title. A headline is short
 * ("US exit from Afghanistan could bolster Qaeda: commander" has 8 words); the seeds open with a
 * lead paragraph of 20–30 words instead, which is no title.
 */
export const TITLE_MAX_WORDS = 15;

/** A line that ends like a sentence or a clause (a full stop, a colon, a comma, possibly inside a closing quote) is prose, not a title. */
const ENDS_LIKE_PROSE = /[.,;:]["'”’)\]]*$/;

/** A Markdown-style heading marker that a plain-text file may use (`## Setup`); the heading's text is what follows it. */
const HEADING_MARKER = /^#{1,6}\s+/;

/** A word of three or more letters: what makes a file name worth using as a title. */
const NAMING_WORD = /(?:^|\s)\p{L}{3,}(?:\s|$)/u;

/** The file name without its folder and extension, `_` and `-` read as spaces: the title of last resort ('' when it names nothing). */
export function fileTitle(file: string): string {
  const words = path.posix.parse(file).name.replace(/[_-]+/g, ' ').trim();
  // `000_e4409a72bea0ec59` names nothing: as context it would only add noise to every passage.
  return NAMING_WORD.test(words) ? words : '';
}

/** The title of a plain-text file: its first non-blank line when that reads like a headline (short, not ending like prose), else the file name. */
export function plainTextTitle(file: string, lines: readonly string[]): string {
  const first = lines.find((line) => !isBlank(line))?.trim();
  if (first === undefined) return fileTitle(file);
  const words = first.split(/\s+/).length;
  return words <= TITLE_MAX_WORDS && !ENDS_LIKE_PROSE.test(first) ? first.replace(HEADING_MARKER, '') : fileTitle(file);
}

/**
 * The chunker for plain text: the paragraphs of a file, long ones split to the model's input size.
 * A heading line (see {@link isHeading}) is not a passage; it becomes the `headings` context of the
 * paragraphs after it, until the next heading. Plain text has no heading levels, so the context
 * holds at most one heading.
 */
export function chunkPlainText(file: string, text: string, settings: ChunkingSettings, countTokens: TokenCounter): ChunkedDocument {
  const passages: Paragraph[] = [];
  let headings: readonly string[] = [];
  for (const paragraph of splitParagraphs(file, text)) {
    if (isHeading(paragraph, settings.headingMaxWords)) {
      headings = [paragraph.text.trim().replace(HEADING_MARKER, '')];
      continue;
    }
    passages.push(...fitToTokenLimit({ ...paragraph, headings }, settings.maxTokens, countTokens));
  }
  return { title: plainTextTitle(file, splitLines(text)), passages };
}
