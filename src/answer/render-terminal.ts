/** Plain-text rendering of answers and excerpts for the terminal (console Q&A and `npm run ask`). Pure. */
import type { Hit, SearchResult, SourceExcerpt } from '../core/types.ts';
import { allCitations } from './citation.ts';

const quote = (text: string) => text.split('\n').map((line) => `  > ${line}`).join('\n');

function renderHit(hit: Hit, position: number, debug: boolean): string {
  const lines = [`[${position}] ${allCitations(hit).join('  ·  ')}`, quote(hit.text)];
  if (debug) {
    const s = hit.signals;
    const fmt = (value: number | null, digits: number) => (value === null ? '–' : value.toFixed(digits));
    lines.push(
      `  score ${hit.score.toFixed(3)} · dense cos ${fmt(s.dense, 3)} (rank ${s.denseRank ?? '–'}) · bm25 ${fmt(s.bm25, 2)} (rank ${s.bm25Rank ?? '–'}) · fused ${s.fused.toFixed(3)}`,
    );
  }
  return lines.join('\n');
}

export function renderAnswer(result: SearchResult, options: { debug?: boolean } = {}): string {
  const debug = options.debug ?? false;
  const passages = result.hits.map((hit, i) => renderHit(hit, i + 1, debug)).join('\n\n');
  const timing = debug ? `\n\n(${result.timings.total.toFixed(1)} ms: embed ${result.timings.embed.toFixed(1)}, dense ${result.timings.dense.toFixed(1)}, bm25 ${result.timings.bm25.toFixed(1)}, fusion ${result.timings.fusion.toFixed(1)}, highlight ${result.timings.highlight.toFixed(1)})` : '';
  const top = result.hits[0];
  if (result.abstained || top === undefined) {
    const closest = result.hits.length > 0 ? `\n\nClosest passages (not an answer):\n\n${passages}` : '';
    return `The sources don't answer this question.${closest}${timing}`;
  }
  return `${top.highlight}\n\nSources:\n\n${passages}${timing}`;
}

export function renderExcerpt(excerpt: SourceExcerpt): string {
  const width = String(excerpt.endLine).length;
  return excerpt.lines.map((line) => `${String(line.number).padStart(width)} | ${line.text}`).join('\n');
}
