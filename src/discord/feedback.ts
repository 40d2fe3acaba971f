/**
 * Feedback on answers: every answer given in a server is stored (question, citations shown,
 * abstention), public ones get Helpful / Not helpful buttons, and a vote is acknowledged
 * privately only after the database committed it.
 */
import { randomUUID } from 'node:crypto';
import { formatCitation } from '../answer/citation.ts';
import type { SearchResult } from '../core/types.ts';
import type { CommandContext } from './command.ts';
import { renderAnswer } from './render/answer.ts';
import { withFeedbackButtons, type ReplyWithComponents } from './render/feedback.ts';
import type { Reply } from './render/reply.ts';
import { fitLine } from './render/text.ts';

/** The earlier question is quoted on one line, cut to this: it is a pointer, not the content. */
const CONTINUING_MAX = 200;
import { loggableError } from './safe-error.ts';

/** Where an answer is given, and who sees it. */
export interface AnswerPlace {
  /** Undefined in a DM: nothing is stored (there is no server to report to) and no buttons are shown. */
  readonly guildId: string | undefined;
  readonly channelId: string;
  /** The member who asked. */
  readonly userId: string;
  /** Whether everyone in the channel sees the answer (only public answers get buttons). */
  readonly public: boolean;
  /** For a follow-up: the question it continues, and the follow-up as asked (retrieval saw both). */
  readonly followUp?: { readonly earlierQuestion: string; readonly asked: string };
}

/**
 * Render an answer, store it when it is given in a server, and add the vote buttons when it is
 * public. A database failure costs the buttons, never the answer (it is logged).
 */
export async function presentAnswer(result: SearchResult, place: AnswerPlace, context: CommandContext): Promise<Reply | ReplyWithComponents> {
  const shown = place.followUp === undefined ? result : { ...result, query: place.followUp.asked };
  const reply = withContinuation(renderAnswer(shown, { maxPassages: context.settings.askPassages }), place.followUp?.earlierQuestion);
  const store = context.community;
  if (store === undefined || place.guildId === undefined) return reply;
  const id = randomUUID();
  try {
    await store.recordAnswer({
      id,
      guildId: place.guildId,
      channelId: place.channelId,
      userId: place.userId,
      question: shown.query,
      // Exactly the passages the reply quotes (the renderer shows this many).
      citations: result.hits.slice(0, Math.max(1, context.settings.askPassages)).map(formatCitation),
      abstained: result.abstained,
      public: place.public,
      createdAt: Date.now(),
    });
  } catch (error) {
    context.logger.warn({ err: loggableError(error), guildId: place.guildId }, 'could not store the answer; sending it without feedback buttons');
    return reply;
  }
  return place.public ? withFeedbackButtons(reply, id) : reply;
}

/** Put "Continuing “earlier question”" above a follow-up's answer, so everyone sees what it was read as. */
function withContinuation(reply: Reply, earlier: string | undefined): Reply {
  if (earlier === undefined) return reply;
  const line = `Continuing “${fitLine(earlier, CONTINUING_MAX)}”`;
  return { ...reply, content: reply.content === undefined ? line : `${line}\n${reply.content}` };
}
