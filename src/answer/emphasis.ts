/**
 * Where to emphasise a highlight inside a quoted passage, line by line. Pure.
 *
 * Every renderer quotes a passage line by line (a terminal `  > `, a Discord block quote), and an
 * emphasis marker must open and close on the same line to survive that, so a range that spans
 * lines (a highlighted block of code) is emphasised as one piece per line.
 */
import type { TextRange } from '../core/types.ts';

/** One line of a passage and the part of it to emphasise (`start`..`end` within the line, end exclusive; `null` for none). */
export interface EmphasisedLine {
  readonly line: string;
  readonly emphasis: TextRange | null;
}

/**
 * Clamp a range to a text of `length` characters; `null` when nothing of it is left. A range from
 * the engine is trusted to point into the text, but a trimmed passage keeps only a prefix of it.
 */
export function clampRange(range: TextRange | null, length: number): TextRange | null {
  if (range === null) return null;
  const start = Math.max(0, Math.min(range.start, length));
  const end = Math.max(start, Math.min(range.end, length));
  return end > start ? { start, end } : null;
}

/**
 * Split `text` into lines (`\n`) with the part of `range` that falls on each. Whitespace at either
 * end of a line's part is left outside it: emphasis then starts and ends on visible characters,
 * and a line that the range only touches with whitespace gets none.
 */
export function emphasisByLine(text: string, range: TextRange | null): EmphasisedLine[] {
  const clamped = clampRange(range, text.length);
  const lines: EmphasisedLine[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const lineEnd = offset + line.length;
    let emphasis: TextRange | null = null;
    if (clamped !== null && clamped.start < lineEnd && clamped.end > offset) {
      let start = Math.max(clamped.start, offset) - offset;
      let end = Math.min(clamped.end, lineEnd) - offset;
      while (start < end && /\s/.test(line.charAt(start))) start += 1;
      while (end > start && /\s/.test(line.charAt(end - 1))) end -= 1;
      if (end > start) emphasis = { start, end };
    }
    lines.push({ line, emphasis });
    offset = lineEnd + 1;
  }
  return lines;
}
