import { formatCitation as citationText, HEADING_SEPARATOR } from '../../answer/citation.ts';
import type { SourceSpan } from '../../core/types.ts';
import { ELLIPSIS, escapeText, fitLine, inlineCode } from './text.ts';

/** The citation text for a span, e.g. `seeds/001_8140afa543bea040.txt:L8-L8` (one format everywhere). */
export { citationText };

/** Introduces the other places holding exactly the quoted text. */
export const SAME_TEXT_LABEL = 'same text also at';
/** Introduces places that say nearly the same in other words: listed, never quoted as this text. */
export const SIMILAR_LABEL = 'similar wording also at';

/**
 * A citation formatted for Discord as inline code, so it reads exactly as the path on disk.
 * A path that cannot sit in inline code verbatim (a backtick, a line break, a bidi control) is
 * shown escaped instead.
 */
export function formatCitation(span: SourceSpan): string {
  return inlineCode(citationText(span));
}

/**
 * `primary · label a, b, +N more` within `max` characters: as many of `others` as fit, the rest
 * counted; `fallback` (or nothing) when not even the count fits. `primary` is never cut.
 */
function listWithin(primary: string, label: string, others: readonly string[], max: number): string | null {
  const separator = ', ';
  const more = (hidden: number) => (hidden > 0 ? `${separator}+${hidden} more` : '');
  // Lengths are added up rather than each candidate line built: a list can hold hundreds of places.
  let length = primary.length + label.length + 1 - separator.length;
  let best = 0;
  for (let shown = 1; shown <= others.length; shown += 1) {
    length += separator.length + (others[shown - 1]?.length ?? 0);
    if (length > max) break;
    if (length + more(others.length - shown).length <= max) best = shown;
  }
  return best === 0 ? null : `${primary}${label} ${others.slice(0, best).join(separator)}${more(others.length - best)}`;
}

/**
 * The citation line under a passage: its own span, then every other place holding exactly the same
 * text. Never cut below the primary citation; if the "same text" list would exceed `max`, its
 * tail is summarised as "+N more", and only the primary is kept when not even "+N more" fits.
 */
export function citationLine(span: SourceSpan, alsoIn: readonly SourceSpan[], max: number): string {
  const primary = formatCitation(span);
  if (alsoIn.length === 0) return primary;
  const listed = listWithin(`${primary} · `, SAME_TEXT_LABEL, alsoIn.map(formatCitation), max);
  if (listed !== null) return listed;
  const counted = `${primary} · ${SAME_TEXT_LABEL} +${alsoIn.length} more`;
  return counted.length <= max ? counted : primary;
}

/** "similar wording at N other places": the shortest honest mention of near copies. */
function similarCount(count: number): string {
  return `similar wording at ${count} other place${count === 1 ? '' : 's'}`;
}

/**
 * The line naming places with similar wording, within `max` characters: as many as fit, then
 * "+N more"; only their number when no citation fits; empty when there are none or not even the
 * number fits.
 */
export function similarLine(similarIn: readonly SourceSpan[], max: number): string {
  if (similarIn.length === 0) return '';
  const listed = listWithin('', SIMILAR_LABEL, similarIn.map(formatCitation), max);
  if (listed !== null) return listed;
  const counted = similarCount(similarIn.length);
  return counted.length <= max ? counted : '';
}

/**
 * Everything cited under a passage, within `max` characters: the citation line (own span and
 * exact copies) and, on its own line, the places with similar wording. Room for the count of
 * similar places is set aside first, so exact copies cannot crowd out the fact that near copies
 * exist; exact copies then take what they need. The primary citation is always whole.
 */
export function citationBlock(
  hit: SourceSpan & { readonly alsoIn: readonly SourceSpan[]; readonly similarIn: readonly SourceSpan[] },
  max: number,
): string {
  const reserve = hit.similarIn.length > 0 ? similarCount(hit.similarIn.length).length + 1 : 0;
  const first = citationLine(hit, hit.alsoIn, max - reserve);
  const second = similarLine(hit.similarIn, max - first.length - 1);
  return second === '' ? first : `${first}\n${second}`;
}

/**
 * A heading path as a one-line label of at most `max` characters, escaped. When the whole path
 * does not fit, the outer titles go first (`… › Deferred responses`): the innermost title says
 * most about where the lines sit. Empty when there are no headings.
 */
export function headingLabel(headings: readonly string[], max: number): string {
  const titles = headings.map((heading) => heading.replaceAll(/\s+/g, ' ').trim()).filter((heading) => heading !== '');
  for (let first = 0; first < titles.length; first += 1) {
    const elided = first > 0 ? `${ELLIPSIS}${HEADING_SEPARATOR}` : '';
    const label = `${elided}${titles.slice(first).map(escapeText).join(HEADING_SEPARATOR)}`;
    if (label.length <= max) return label;
  }
  const innermost = titles.at(-1);
  if (innermost === undefined) return '';
  const elided = titles.length > 1 ? `${ELLIPSIS}${HEADING_SEPARATOR}` : '';
  const room = max - elided.length;
  return room <= ELLIPSIS.length ? '' : `${elided}${fitLine(innermost, room)}`;
}
