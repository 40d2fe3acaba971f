/**
 * The feedback buttons under a public answer and the private replies to a vote. The custom id
 * carries the answer id, so a button still works after a restart: nothing about it lives in
 * memory, the vote handler looks the answer up in the database.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId } from 'discord.js';
import type { VoteOutcome } from '../../core/community-store.ts';
import { makeReply, type Reply } from './reply.ts';

/** Every vote button's custom id starts with this (`citebot:vote:<answer id>:<1|0>`). */
export const VOTE_PREFIX = 'citebot:vote:';
export const HELPFUL_LABEL = 'Helpful';
export const NOT_HELPFUL_LABEL = 'Not helpful';
/** Discord's limit on a custom id. */
const CUSTOM_ID_MAX = 100;

/** A reply with message components (the vote buttons). */
export interface ReplyWithComponents extends Reply {
  readonly components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
}

/** The custom id of a vote button. Throws if the answer id would make it longer than Discord allows (a bug). */
export function voteCustomId(answerId: string, helpful: boolean): string {
  const id = `${VOTE_PREFIX}${answerId}:${helpful ? '1' : '0'}`;
  if (id.length > CUSTOM_ID_MAX || answerId.includes(':')) throw new Error(`answer id ${answerId} cannot be carried in a custom id`);
  return id;
}

/** The vote a custom id stands for, or undefined when it is not a vote button. */
export function parseVoteCustomId(customId: string): { readonly answerId: string; readonly helpful: boolean } | undefined {
  const match = /^citebot:vote:([^:]+):([01])$/.exec(customId);
  if (match === null) return undefined;
  return { answerId: match[1] ?? '', helpful: match[2] === '1' };
}

/** `reply` with the Helpful / Not helpful buttons for answer `answerId` below it. */
export function withFeedbackButtons(reply: Reply, answerId: string): ReplyWithComponents {
  return {
    ...reply,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Success, label: HELPFUL_LABEL, custom_id: voteCustomId(answerId, true) },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, label: NOT_HELPFUL_LABEL, custom_id: voteCustomId(answerId, false) },
        ],
      },
    ],
  };
}

/** The private acknowledgement of a committed vote. */
export function renderVoteRecorded(helpful: boolean, outcome: VoteOutcome): Reply {
  const label = helpful ? HELPFUL_LABEL : NOT_HELPFUL_LABEL;
  const text =
    outcome.change === 'new'
      ? `Thanks, your vote is recorded: **${label}**. You can change it with the other button.`
      : outcome.change === 'changed'
        ? `Your vote is changed to **${label}**.`
        : `Your vote was already **${label}**; nothing changed.`;
  return makeReply({ content: text });
}

/** A vote on an answer the database no longer has (past retention, or its asker used forget-me). */
export function renderAnswerGone(): Reply {
  return makeReply({ content: 'That answer is no longer stored (it is older than this server keeps questions, or was deleted), so it cannot take votes. Ask again to get a fresh answer.' });
}

/** A vote where the bot runs without community state. */
export function renderFeedbackDisabled(): Reply {
  return makeReply({ content: 'Feedback is not enabled on this citebot.' });
}
