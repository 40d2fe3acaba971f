import { formatCitation as citationText } from '../../answer/citation.ts';
import type { SourceSpan } from '../../core/types.ts';
import { escapeText } from './text.ts';

/** The citation text for a span, e.g. `seeds/001_8140afa543bea040.txt:L8-L8` (one format everywhere). */
export { citationText };

/**
 * A citation formatted for Discord as inline code, so it reads exactly as the path on disk.
 * A path containing a backtick cannot sit in inline code; it is then shown escaped instead.
 */
export function formatCitation(span: SourceSpan): string {
  const text = citationText(span);
  return text.includes('`') ? escapeText(text) : `\`${text}\``;
}

/**
 * The citation line under a passage: its own span, then every other place the same passage
 * appears. Never cut below the primary citation; if the "also in" list alone would exceed
 * `max`, the tail of the list is summarised as "+N more".
 */
export function citationLine(span: SourceSpan, alsoIn: readonly SourceSpan[], max: number): string {
  const primary = formatCitation(span);
  if (alsoIn.length === 0) return primary;
  const others = alsoIn.map(formatCitation);
  for (let shown = others.length; shown >= 0; shown -= 1) {
    const hidden = others.length - shown;
    const list = others.slice(0, shown).join(', ');
    const more = hidden > 0 ? `${shown > 0 ? ', ' : ''}+${hidden} more` : '';
    const line = `${primary} · also in ${list}${more}`;
    if (line.length <= max) return line;
  }
  return primary;
}
