import type { APIEmbed } from 'discord.js';
import type { SearchResult } from '../../core/types.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { passageFields } from './passages.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { neverMentioned } from '../../answer/never-mentioned.ts';
import { fitLine } from './text.ts';

/** Exactly what a user sees when the sources do not answer the question. */
export const ABSTAIN_TEXT = "The sources don't cover this.";
/** Room for " They never mention …" after {@link ABSTAIN_TEXT}: a line, not a paragraph. */
const NEVER_MENTIONED_MAX_LENGTH = 200;
/** The label on passages shown after abstaining, so nobody mistakes them for an answer. */
export const CLOSEST_PASSAGES_TITLE = 'Closest passages (not an answer)';

/**
 * The answer line above the passages is cut at this length (far below Discord's 4,096 for a
 * description): it is there to be read at a glance, about three lines on a phone; the whole
 * sentence is in bold inside passage 1, and the 6,000-character message budget is better spent
 * on the passages and their citations.
 */
export const ANSWER_MAX_LENGTH = 300;

export interface AnswerRenderOptions {
  /** How many passages to quote under the answer. */
  readonly maxPassages: number;
}

/**
 * Render `/ask` (and mentions, DMs, "Find sources"): the question as the title, a short answer
 * line (the best sentence, on one line, cut to {@link ANSWER_MAX_LENGTH}), then the passages
 * verbatim with their citations and heading paths, each passage's best sentence in bold. The
 * line is kept, though it repeats the bold sentence, because it reads at a glance where the bold
 * one has to be found in a block of quotes. An abstained result renders as {@link renderAbstain}.
 */
export function renderAnswer(result: SearchResult, options: AnswerRenderOptions): Reply {
  const hits = result.hits.slice(0, Math.max(1, options.maxPassages));
  const top = hits[0];
  if (result.abstained || top === undefined) return renderAbstain(result, options);

  const title = fitLine(result.query, DISCORD_LIMITS.embedTitle);
  // No highlight: no answer line (repeating the whole passage would only halve the room for it).
  const description = fitLine(top.highlight, ANSWER_MAX_LENGTH);
  const footer = `${description === '' ? 'Answer quoted from passage 1' : 'Answer in bold in passage 1'} · ${hits.length === 1 ? '1 passage' : `${hits.length} passages`} · ${Math.round(result.timings.total)} ms`;
  const budget = DISCORD_LIMITS.embedTotal - title.length - description.length - footer.length;
  const embed: APIEmbed = {
    color: COLOURS.answer,
    title,
    ...(description === '' ? {} : { description }),
    fields: passageFields(
      hits.map((hit, i) => ({ name: `Passage ${i + 1}`, hit })),
      budget,
      { emphasise: true },
    ),
    footer: { text: footer },
  };
  return makeReply({ embeds: [embed] });
}

/** "The sources don't cover this." plus the closest passages, clearly labelled as not an answer. */
export function renderAbstain(result: SearchResult, options: AnswerRenderOptions): Reply {
  const hits = result.hits.slice(0, Math.max(0, options.maxPassages));
  // The names are the user's own words: fitLine cleans, escapes and bounds them like any text citebot did not write.
  const because = fitLine(neverMentioned(result.unknownNames), NEVER_MENTIONED_MAX_LENGTH);
  const content = because === '' ? ABSTAIN_TEXT : `${ABSTAIN_TEXT} ${because}`;
  if (hits.length === 0) return makeReply({ content });
  const description = 'Nothing in the indexed documents answers this. The nearest passages are quoted for reference only.';
  const budget = DISCORD_LIMITS.embedTotal - CLOSEST_PASSAGES_TITLE.length - description.length;
  const embed: APIEmbed = {
    color: COLOURS.notAnswer,
    title: CLOSEST_PASSAGES_TITLE,
    description,
    fields: passageFields(
      hits.map((hit, i) => ({ name: `Closest passage ${i + 1} (not an answer)`, hit })),
      budget,
      // Nothing in them is offered as the answer, so nothing is emphasised as one.
      { emphasise: false },
    ),
  };
  return makeReply({ content, embeds: [embed] });
}
