/**
 * The Helpful / Not helpful buttons' handler: the vote is committed to the database before the
 * member is told it is recorded; the custom id carries the answer id, so it works after restarts.
 */
import type { ButtonInteraction } from 'discord.js';
import type { CommandContext } from './command.ts';
import { parseVoteCustomId, renderAnswerGone, renderFeedbackDisabled, renderVoteRecorded } from './render/feedback.ts';
import { replyPrivately } from './respond.ts';

/** True for a button this module handles. */
export function isVoteButton(customId: string): boolean {
  return parseVoteCustomId(customId) !== undefined;
}

/** A click on Helpful / Not helpful: commit the vote, then say so privately. */
export async function handleVoteButton(interaction: ButtonInteraction, context: CommandContext): Promise<void> {
  const vote = parseVoteCustomId(interaction.customId);
  if (vote === undefined) return;
  const store = context.community;
  if (store === undefined) return replyPrivately(interaction, renderFeedbackDisabled());
  const answer = await store.findAnswer(vote.answerId);
  if (answer === undefined || answer.guildId !== interaction.guildId) return replyPrivately(interaction, renderAnswerGone());
  const outcome = await store.recordVote({ answerId: answer.id, userId: interaction.user.id, helpful: vote.helpful, votedAt: Date.now() });
  // Only now, after the commit, is the member told it is recorded.
  await replyPrivately(interaction, renderVoteRecorded(vote.helpful, outcome));
  context.logger.info({ answerId: answer.id, userId: interaction.user.id, helpful: vote.helpful, change: outcome.change }, 'recorded a vote');
}
