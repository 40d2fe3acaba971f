import type { APIEmbed } from 'discord.js';
import type { SearchResult } from '../../core/types.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { passageFields } from './passages.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { fitLine } from './text.ts';

/** Shown on `/search` when retrieval abstained: the list is still useful, but not an answer. */
export const LOW_CONFIDENCE_TEXT = 'Low confidence: the sources may not cover this. These are the closest passages, not an answer.';

/** Fused scores run from 0 to 1 (1 = first by every signal); four decimals tell close ones apart. */
export function formatScore(score: number): string {
  return Number.isFinite(score) ? score.toFixed(4) : String(score);
}

/** Render `/search`: the top passages, each with its score, heading path and citations, its best sentence in bold. */
export function renderSearch(result: SearchResult, maxResults: number): Reply {
  const hits = result.hits.slice(0, Math.max(0, Math.min(maxResults, DISCORD_LIMITS.fieldsPerEmbed)));
  const title = fitLine(`Search: ${result.query}`, DISCORD_LIMITS.embedTitle);
  const description = hits.length === 0 ? 'No passages found.' : result.abstained ? LOW_CONFIDENCE_TEXT : undefined;
  const footer = `${hits.length === 1 ? '1 passage' : `${hits.length} passages`} · ${Math.round(result.timings.total)} ms`;
  const budget = DISCORD_LIMITS.embedTotal - title.length - (description?.length ?? 0) - footer.length;
  const embed: APIEmbed = {
    color: result.abstained ? COLOURS.notAnswer : COLOURS.search,
    title,
    ...(description === undefined ? {} : { description }),
    fields: passageFields(
      hits.map((hit, i) => ({ name: `${i + 1}. score ${formatScore(hit.score)}`, hit })),
      budget,
      // Each result's best sentence in bold, unless retrieval found nothing that answers.
      { emphasise: !result.abstained },
    ),
    footer: { text: footer },
  };
  return makeReply({ embeds: [embed] });
}
