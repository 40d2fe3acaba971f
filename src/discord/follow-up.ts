/**
 * Recognising a follow-up in Discord: a message that replies to one of citebot's answers, or is
 * written in a thread citebot opened on one. The answer is found through its vote buttons, whose
 * custom ids carry the answer id, so this works after restarts and needs no extra table; the
 * earlier question is the stored one.
 */
import type { Message } from 'discord.js';
import { followUpContributes, followUpQuery, fuseFollowUpResults } from '../community/follow-up.ts';
import type { SearchResult } from '../core/types.ts';
import type { CommandContext } from './command.ts';
import { parseVoteCustomId } from './render/feedback.ts';

/** The earlier answer a message continues. */
export interface FollowUp {
  readonly answerId: string;
  readonly earlierQuestion: string;
}

/** The answer id carried by a citebot answer message's buttons, if it has them. */
export function answerIdOf(message: Message): string | undefined {
  for (const row of message.components) {
    if (!('components' in row)) continue;
    for (const component of row.components) {
      const customId = 'customId' in component ? component.customId : null;
      const vote = typeof customId === 'string' ? parseVoteCustomId(customId) : undefined;
      if (vote !== undefined) return vote.answerId;
    }
  }
  return undefined;
}

/** The earlier answer `message` follows up on, or undefined when it is a new question. Never throws: a lookup failure means "new question". */
export async function findFollowUp(message: Message, context: CommandContext): Promise<FollowUp | undefined> {
  const store = context.community;
  if (store === undefined || !message.inGuild()) return undefined;
  const botId = message.client.user.id;
  try {
    let earlier: Message | null = null;
    if (message.reference?.messageId !== undefined) earlier = await message.fetchReference();
    else if (message.channel.isThread() && message.channel.ownerId === botId) earlier = await message.channel.fetchStarterMessage();
    if (earlier === null || earlier.author.id !== botId) return undefined;
    const answerId = answerIdOf(earlier);
    if (answerId === undefined) return undefined;
    const answer = await store.findAnswer(answerId);
    if (answer === undefined || answer.guildId !== message.guildId) return undefined;
    return { answerId, earlierQuestion: answer.question };
  } catch (error) {
    context.logger.debug({ err: error instanceof Error ? error.message : String(error), messageId: message.id }, 'could not look up the message this one replies to; answering it as a new question');
    return undefined;
  }
}

/** Search for a follow-up: alone and after its earlier question, fused (see community/follow-up.ts for why both). */
export async function searchFollowUp(followUp: FollowUp, asked: string, context: CommandContext): Promise<SearchResult> {
  return (await searchFollowUpParts(followUp, asked, context)).fused;
}

/**
 * {@link searchFollowUp}, also saying whether the follow-up's own words contributed
 * ({@link followUpContributes}): an unprompted follow-up is answered only when they did.
 */
export async function searchFollowUpParts(followUp: FollowUp, asked: string, context: CommandContext): Promise<{ readonly fused: SearchResult; readonly contributes: boolean }> {
  const k = context.settings.askPassages;
  const alone = await context.engine.search(asked, { k });
  const withContext = await context.engine.search(followUpQuery(followUp.earlierQuestion, asked), { k });
  return { fused: fuseFollowUpResults(alone, withContext, k), contributes: followUpContributes(alone, withContext) };
}
