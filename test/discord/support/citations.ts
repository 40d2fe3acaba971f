/** Check what a user sees in a reply against the files on disk. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';

export interface Citation {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

const CITATION = /`([^`\s]+):L(\d+)-L(\d+)`/g;

/** Every `file:Lx-Ly` citation in a text, in order. */
export function citationsIn(text: string): Citation[] {
  return [...text.matchAll(CITATION)].map((m) => ({ file: m[1] ?? '', startLine: Number(m[2]), endLine: Number(m[3]) }));
}

/** The lines a citation points at, read from disk (relative to the project root). */
export function citedText(citation: Citation, rootDir = process.cwd()): string {
  const lines = readFileSync(path.join(rootDir, citation.file), 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
  if (citation.startLine < 1 || citation.endLine > lines.length || citation.endLine < citation.startLine) {
    throw new Error(`${citation.file}:L${citation.startLine}-L${citation.endLine} is outside the file (${lines.length} lines)`);
  }
  return lines.slice(citation.startLine - 1, citation.endLine).join('\n');
}

/**
 * Undo Discord markdown escaping, citebot's block quoting and its bold (an unescaped `**`): what
 * the user reads.
 */
export function readable(quoted: string): string {
  return quoted
    .split('\n')
    .map((line) => line.replace(/^> ?/, ''))
    .join('\n')
    .replaceAll(/\\([^\p{L}\p{N}\s])|\*\*/gu, (_match, escaped: string | undefined) => escaped ?? '');
}

/**
 * For an embed field laid out as "quoted passage (every line `> `), then the citation line, then
 * optionally the similar-wording line": the passage the user reads (without the trailing "…" of a
 * trimmed passage), the primary citation, the exact copies and the places with similar wording.
 */
export function passageAndCitation(field: { name: string; value: string }): {
  passage: string;
  trimmed: boolean;
  citation: Citation;
  alsoIn: Citation[];
  similarIn: Citation[];
} {
  const lines = field.value.split('\n');
  const quoteLength = lines.findIndex((line) => !line.startsWith('> '));
  const quoted = quoteLength === -1 ? lines : lines.slice(0, quoteLength);
  const [citationLine = '', similar = ''] = quoteLength === -1 ? [] : lines.slice(quoteLength);
  const [citation, ...alsoIn] = citationsIn(citationLine);
  if (citation === undefined) throw new Error(`No citation in field ${field.name}: ${field.value}`);
  const passage = readable(quoted.join('\n'));
  const trimmed = passage.endsWith('…');
  return { passage: trimmed ? passage.slice(0, -1).trimEnd() : passage, trimmed, citation, alsoIn, similarIn: citationsIn(similar) };
}

/** Assert-style helper: every passage field quotes text that is really at its cited lines. Returns the citations. */
export function verifyPassageFields(embed: APIEmbed, rootDir = process.cwd()): Citation[] {
  const citations: Citation[] = [];
  for (const field of embed.fields ?? []) {
    const { passage, citation } = passageAndCitation(field);
    const source = citedText(citation, rootDir);
    if (!source.includes(passage)) {
      throw new Error(`Field "${field.name}" quotes text not found at ${citation.file}:L${citation.startLine}-L${citation.endLine}:\n${passage}\n--- file has:\n${source}`);
    }
    citations.push(citation);
  }
  return citations;
}
