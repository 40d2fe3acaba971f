/** Citations as users see them: `seeds/001_8140afa543bea040.txt:L8-L8`. Pure. */
import type { SourceSpan } from '../core/types.ts';

export function formatCitation(span: SourceSpan): string {
  return `${span.file}:L${span.startLine}-L${span.endLine}`;
}

/** The passage's own citation followed by every other place it appears. */
export function allCitations(hit: SourceSpan & { readonly alsoIn: readonly SourceSpan[] }): string[] {
  return [formatCitation(hit), ...hit.alsoIn.map(formatCitation)];
}
