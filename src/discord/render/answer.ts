import type { APIEmbed } from 'discord.js';
import type { SearchResult } from '../../core/types.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { passageFields } from './passages.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { escapeText, fitLine, fitRendered } from './text.ts';

/** Exactly what a user sees when the sources do not answer the question. */
export const ABSTAIN_TEXT = "The sources don't cover this.";
/** The label on passages shown after abstaining, so nobody mistakes them for an answer. */
export const CLOSEST_PASSAGES_TITLE = 'Closest passages (not an answer)';

/**
 * The answer sentence is cut at this length (far below Discord's 4096 for a description): it is
 * quoted in full in passage 1 anyway, and the 6000-character message budget is better spent on
 * the passages and their citations.
 */
export const ANSWER_MAX_LENGTH = 1000;

export interface AnswerRenderOptions {
  /** How many passages to quote under the answer. */
  readonly maxPassages: number;
}

/**
 * Render `/ask` (and mentions, DMs, "Find sources"): the best sentence as the answer, then the
 * passages verbatim with a citation each. An abstained result renders as {@link renderAbstain}.
 */
export function renderAnswer(result: SearchResult, options: AnswerRenderOptions): Reply {
  const hits = result.hits.slice(0, Math.max(1, options.maxPassages));
  const top = hits[0];
  if (result.abstained || top === undefined) return renderAbstain(result, options);

  const title = fitLine(result.query, DISCORD_LIMITS.embedTitle);
  const answer = top.highlight.trim() === '' ? top.text : top.highlight;
  const description = fitRendered(answer, ANSWER_MAX_LENGTH, escapeText);
  const footer = `Answer quoted from passage 1 · ${hits.length === 1 ? '1 passage' : `${hits.length} passages`} · ${Math.round(result.timings.total)} ms`;
  const budget = DISCORD_LIMITS.embedTotal - title.length - description.length - footer.length;
  const embed: APIEmbed = {
    color: COLOURS.answer,
    title,
    description,
    fields: passageFields(
      hits.map((hit, i) => ({ name: `Passage ${i + 1}`, hit })),
      budget,
    ),
    footer: { text: footer },
  };
  return makeReply({ embeds: [embed] });
}

/** "The sources don't cover this." plus the closest passages, clearly labelled as not an answer. */
export function renderAbstain(result: SearchResult, options: AnswerRenderOptions): Reply {
  const hits = result.hits.slice(0, Math.max(0, options.maxPassages));
  if (hits.length === 0) return makeReply({ content: ABSTAIN_TEXT });
  const description = 'Nothing in the indexed documents answers this. The nearest passages are quoted for reference only.';
  const budget = DISCORD_LIMITS.embedTotal - CLOSEST_PASSAGES_TITLE.length - description.length;
  const embed: APIEmbed = {
    color: COLOURS.notAnswer,
    title: CLOSEST_PASSAGES_TITLE,
    description,
    fields: passageFields(
      hits.map((hit, i) => ({ name: `Closest passage ${i + 1} (not an answer)`, hit })),
      budget,
    ),
  };
  return makeReply({ content: ABSTAIN_TEXT, embeds: [embed] });
}
