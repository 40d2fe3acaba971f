/** Citations as users see them: `seeds/001_8140afa543bea040.txt:L8-L8`, and where the lines sit (`Slash commands › Deferred responses`). Pure. */
import type { SourceSpan } from '../core/types.ts';

/** Between the titles of a heading path, outermost first. */
export const HEADING_SEPARATOR = ' › ';

/** The one citation format, in every renderer: `file:Lstart-Lend`. */
export function formatCitation(span: SourceSpan): string {
  return `${span.file}:L${span.startLine}-L${span.endLine}`;
}

/** The passage's own citation followed by every other place holding exactly its text. */
export function allCitations(hit: SourceSpan & { readonly alsoIn: readonly SourceSpan[] }): string[] {
  return [formatCitation(hit), ...hit.alsoIn.map(formatCitation)];
}

/**
 * The titles of a passage's enclosing sections as one line (`Slash commands › Deferred responses`);
 * empty when there are none. Whitespace inside a title is collapsed: a path is a one-line label.
 */
export function formatHeadingPath(headings: readonly string[]): string {
  return headings
    .map((heading) => heading.replaceAll(/\s+/g, ' ').trim())
    .filter((heading) => heading !== '')
    .join(HEADING_SEPARATOR);
}
