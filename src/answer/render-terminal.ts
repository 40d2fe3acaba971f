/** Plain-text rendering of answers and excerpts for the terminal (console Q&A and `npm run ask`). Pure. */
import { neverMentioned } from './never-mentioned.ts';
import type { Hit, SearchResult, SourceExcerpt, SourceSpan } from '../core/types.ts';
import { formatCitation, formatHeadingPath } from './citation.ts';
import { emphasisByLine } from './emphasis.ts';

/** How the highlight is marked inside a quote. */
interface Marker {
  readonly open: string;
  readonly close: string;
}

/**
 * On a terminal: bold (SGR 1) and back to normal intensity (SGR 22, which leaves colours alone).
 * Only for a TTY: escape codes in a pipe or a file are noise.
 */
export const ANSI_BOLD: Marker = { open: '\u001b[1m', close: '\u001b[22m' };

/**
 * Anywhere else: guillemets around the highlight. They are visible in any pager or file, rare in
 * the English prose and code citebot quotes, and they add characters around the quote without
 * changing any character of it, so the quote stays verbatim between them.
 */
export const TEXT_MARKER: Marker = { open: '»', close: '«' };

export interface TerminalRenderOptions {
  /** Show per-signal scores, relevance and timings. */
  readonly debug?: boolean;
  /**
   * Mark the highlight in ANSI bold instead of »…«. Set it only when the output is a TTY
   * (`process.stdout.isTTY`); the default suits pipes and files.
   */
  readonly ansi?: boolean;
}

const QUOTE_PREFIX = '  > ';
const DETAIL_PREFIX = '  ';

/** The lines of a passage quoted, with the highlight (when given a marker) marked on each line it covers. */
function quote(hit: Hit, marker: Marker | null): string {
  return emphasisByLine(hit.text, marker === null ? null : hit.highlightRange)
    .map(({ line, emphasis }) =>
      marker === null || emphasis === null
        ? `${QUOTE_PREFIX}${line}`
        : `${QUOTE_PREFIX}${line.slice(0, emphasis.start)}${marker.open}${line.slice(emphasis.start, emphasis.end)}${marker.close}${line.slice(emphasis.end)}`,
    )
    .join('\n');
}

const list = (spans: readonly SourceSpan[]) => spans.map(formatCitation).join(', ');

function renderHit(hit: Hit, position: number, marker: Marker | null, debug: boolean): string {
  const path = formatHeadingPath(hit.headings);
  const lines = [`[${position}] ${formatCitation(hit)}${path === '' ? '' : ` · ${path}`}`, quote(hit, marker)];
  // Exact copies and near copies are listed apart: only the first hold the quoted text.
  if (hit.alsoIn.length > 0) lines.push(`${DETAIL_PREFIX}same text also at ${list(hit.alsoIn)}`);
  if (hit.similarIn.length > 0) lines.push(`${DETAIL_PREFIX}similar wording also at ${list(hit.similarIn)}`);
  if (debug) {
    const s = hit.signals;
    const fmt = (value: number | null, digits: number) => (value === null ? '–' : value.toFixed(digits));
    lines.push(
      `${DETAIL_PREFIX}relevance ${hit.relevance.toFixed(3)} · score ${hit.score.toFixed(3)} · dense cos ${fmt(s.dense, 3)} (rank ${s.denseRank ?? '–'}) · bm25 ${fmt(s.bm25, 2)} (rank ${s.bm25Rank ?? '–'}) · fused ${s.fused.toFixed(3)}`,
    );
  }
  return lines.join('\n');
}

/**
 * An answer: the passages quoted verbatim, each under its citation and heading path, with the
 * sentence (or code lines) that answers marked inside the quote rather than repeated above it.
 * An abstention lists the closest passages, unmarked: nothing in them is offered as the answer.
 */
export function renderAnswer(result: SearchResult, options: TerminalRenderOptions = {}): string {
  const debug = options.debug ?? false;
  const answered = !result.abstained && result.hits.length > 0;
  const marker = answered ? (options.ansi === true ? ANSI_BOLD : TEXT_MARKER) : null;
  const passages = result.hits.map((hit, i) => renderHit(hit, i + 1, marker, debug)).join('\n\n');
  const timing = debug ? `\n\n(${result.timings.total.toFixed(1)} ms: embed ${result.timings.embed.toFixed(1)}, dense ${result.timings.dense.toFixed(1)}, bm25 ${result.timings.bm25.toFixed(1)}, fusion ${result.timings.fusion.toFixed(1)}, highlight ${result.timings.highlight.toFixed(1)})` : '';
  if (marker === null) {
    const closest = result.hits.length > 0 ? `\n\nClosest passages (not an answer):\n\n${passages}` : '';
    return `The sources don't answer this question.${neverMentioned(result.unknownNames)}${closest}${timing}`;
  }
  const marked = result.hits.some((hit) => emphasisByLine(hit.text, hit.highlightRange).some((line) => line.emphasis !== null));
  const header = marked ? `Sources (the answer is marked ${marker.open}like this${marker.close}):` : 'Sources:';
  return `${header}\n\n${passages}${timing}`;
}

export function renderExcerpt(excerpt: SourceExcerpt): string {
  const width = String(excerpt.endLine).length;
  return excerpt.lines.map((line) => `${String(line.number).padStart(width)} | ${line.text}`).join('\n');
}
