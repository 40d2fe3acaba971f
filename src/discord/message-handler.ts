import type { Message } from 'discord.js';
import { isCitebotError } from '../core/errors.ts';
import type { SearchResult } from '../core/types.ts';
import type { CommandContext } from './command.ts';
import { NoticeThrottle } from './cooldown.ts';
import { newErrorId } from './error-id.ts';
import { loggableError } from './safe-error.ts';
import { mentionsBot, parseQuestion, stripBotMention } from './input.ts';
import { presentAnswer } from './feedback.ts';
import { mentionAllowed, settingsFor, takeCooldownTurn, unmentionedKind, type UnmentionedKind } from './guild-settings.ts';
import { findFollowUp, searchFollowUp, searchFollowUpParts, type FollowUp } from './follow-up.ts';
import { renderApology, renderCooldown, renderProblem, renderQuestionProblem, withRetryTime } from './render/notices.ts';
import type { Reply } from './render/reply.ts';
import { openThread } from './respond.ts';
import { trimAtWord } from './render/text.ts';

export interface MessageHandlerOptions {
  readonly context: CommandContext;
  readonly isStopping: () => boolean;
}

/**
 * Answer `@citebot question` in a guild channel and any message in a DM, like `/ask`, as a
 * reply to the message. Never rejects: failures become a reply with an error id.
 *
 * No privileged MessageContent intent is needed for that: Discord delivers the content of
 * messages that mention the bot, and of DMs, to every bot. With the intent
 * (`settings.messageContent`), messages that do not mention citebot are read too, but only where
 * the server asked for it (auto-answer channels and forum posts) and in citebot's own threads
 * (follow-ups); those are answered quietly: nothing at all is said when the sources do not answer,
 * when the member is cooling down, or when the text is not a question citebot can take.
 */
export function createMessageHandler(options: MessageHandlerOptions): (message: Message) => Promise<void> {
  const { context, isStopping } = options;
  const { logger } = context;
  // Mention spam must not turn into reply spam: every mention (empty and over-long ones too)
  // takes a cooldown turn, and notices (usage hints, cooldown warnings) go out at most once per
  // window per user and per channel. Answers are already limited by the cooldown.
  const notices = new NoticeThrottle(context.cooldown.defaultWindowMs);
  const quiet = createQuietHandler(context);

  return async (message) => {
    if (message.author.bot || message.system || isStopping()) return;
    const botId = message.client.user.id;
    const direct = !message.inGuild();
    // A reply that pings citebot mentions it without `<@id>` in the text (a follow-up).
    if (!direct && !mentionsBot(message.content, botId) && !message.mentions.users.has(botId)) {
      // Without the intent such messages arrive with empty content: there is nothing to read.
      if (context.settings.messageContent && message.inGuild()) await quiet(message);
      return;
    }
    // The server may limit where mentions are answered (`/citebot config mention-channels:`); if the
    // database cannot say, answer as before rather than go silent.
    if (!direct && !(await mentionAllowed(context, message).catch(() => true))) return;
    const where = { messageId: message.id, channelId: message.channelId, userId: message.author.id, direct };
    try {
      const notify = async (reply: Reply, reason: string): Promise<void> => {
        if (notices.allow([`user:${message.author.id}`, `channel:${message.channelId}`])) await send(message, reply);
        else logger.debug({ ...where, reason }, 'notice suppressed: one per window');
      };
      // The turn is taken before the text is looked at, so an empty or over-long mention costs
      // the same as a question: it cannot be used to get replies past the cooldown.
      const turn = await takeCooldownTurn(context, message.guildId, message.author.id);
      if (!turn.ok) {
        await notify(renderCooldown(turn.retryAt), 'cooldown');
        return;
      }
      const question = parseQuestion(stripBotMention(message.content, botId), context.settings.maxQuestionLength);
      if (!question.ok) {
        const usage = renderQuestionProblem(question.problem, direct ? 'message' : 'mention');
        await notify(turn.windowMs > 0 ? withRetryTime(usage, Date.now() + turn.windowMs) : usage, question.problem.kind);
        return;
      }
      // The message equivalent of deferring: show "citebot is typing…" while the engine works.
      if (message.channel.isSendable()) await message.channel.sendTyping().catch(() => undefined);
      const followUp = direct ? undefined : await findFollowUp(message, context);
      const result = await search(question.value, followUp, context);
      await answer(message, question.value, result, followUp, context);
      logger.info({ ...where, hits: result.hits.length, abstained: result.abstained }, 'answered a message');
    } catch (error) {
      let reply: Reply;
      if (isCitebotError(error)) {
        logger.info({ ...where, code: error.code }, 'message question rejected');
        reply = renderProblem(error.message, error.hint);
      } else {
        const errorId = newErrorId();
        logger.error({ ...where, errorId, err: loggableError(error) }, 'answering a message failed');
        reply = renderApology(errorId);
      }
      await send(message, reply).catch((sendError: unknown) => {
        logger.warn({ ...where, err: loggableError(sendError) }, 'could not reply to the message');
      });
    }
  };
}

/**
 * Messages that do not mention citebot (read only with the Message Content intent): answered only
 * in auto-answer channels, new posts of auto-answer forums, and citebot's own threads, and only
 * when the sources answer. Nobody asked citebot, so it never says "not in the sources", never
 * sends a usage or cooldown notice, and never apologises in the channel (failures are logged).
 * Nothing is stored for a message it stays silent on.
 */
function createQuietHandler(context: CommandContext): (message: Message<true>) => Promise<void> {
  const { logger } = context;
  return async (message) => {
    const botId = message.client.user.id;
    const settings = await settingsFor(context, message.guildId).catch(() => undefined);
    const kind = settings === undefined ? undefined : unmentionedKind(message, settings, botId);
    if (kind === undefined) return;
    const where = { messageId: message.id, channelId: message.channelId, userId: message.author.id, kind };
    try {
      const followUp = kind === 'own-thread' ? await findFollowUp(message, context) : undefined;
      // A thread citebot opened that is not on one of its answers is not a conversation with it.
      if (kind === 'own-thread' && followUp === undefined) return;
      const text = questionText(message, kind);
      if (text === '') return;
      const turn = await takeCooldownTurn(context, message.guildId, message.author.id);
      if (!turn.ok) {
        logger.debug(where, 'not auto-answered: the member is cooling down');
        return;
      }
      // A post is often longer than a question; its start says what it asks.
      const question = parseQuestion(trimAtWord(text, context.settings.maxQuestionLength), context.settings.maxQuestionLength);
      if (!question.ok) return;
      const { result, contributes } = await quietSearch(question.value, followUp, context);
      if (result.abstained || !contributes) {
        logger.info({ ...where, abstained: result.abstained }, 'stayed silent: the sources do not answer this unmentioned message');
        return;
      }
      await answer(message, question.value, result, followUp, context);
      logger.info({ ...where, hits: result.hits.length }, 'auto-answered a message');
    } catch (error) {
      logger.warn({ ...where, err: loggableError(error) }, 'could not auto-answer a message; staying silent');
    }
  };
}

/** What an unmentioned message asks: a forum post's title and text, else the message's text. */
function questionText(message: Message<true>, kind: UnmentionedKind): string {
  const content = message.content.trim();
  if (kind !== 'forum-post' || !message.channel.isThread()) return content;
  const title = message.channel.name.trim();
  return content === '' ? title : `${title}\n${content}`;
}

function search(question: string, followUp: FollowUp | undefined, context: CommandContext): Promise<SearchResult> {
  return followUp === undefined ? context.engine.search(question, { k: context.settings.askPassages }) : searchFollowUp(followUp, question, context);
}

/** The search for an unmentioned message, and whether its own words found the answer (always, when it is not a follow-up). */
async function quietSearch(question: string, followUp: FollowUp | undefined, context: CommandContext): Promise<{ result: SearchResult; contributes: boolean }> {
  if (followUp === undefined) return { result: await search(question, undefined, context), contributes: true };
  const { fused, contributes } = await searchFollowUpParts(followUp, question, context);
  return { result: fused, contributes };
}

/** Reply with the answer (stored, with vote buttons) and, when the server wants it, open a thread on it. */
async function answer(message: Message, question: string, result: SearchResult, followUp: FollowUp | undefined, context: CommandContext): Promise<void> {
  const place = {
    guildId: message.guildId ?? undefined,
    channelId: message.channelId,
    userId: message.author.id,
    public: true,
    ...(followUp === undefined ? {} : { followUp: { earlierQuestion: followUp.earlierQuestion, asked: question } }),
  };
  const sent = await send(message, await presentAnswer(result, place, context));
  // Like `/ask`: a public answer outside a thread opens one when the server asks for it.
  if (message.inGuild() && !message.channel.isThread()) await openThread(sent, question, context);
}

function send(message: Message, reply: Reply): Promise<Message> {
  // failIfNotExists: the question may have been deleted meanwhile; answer in the channel anyway.
  return message.reply({ ...reply, failIfNotExists: false });
}
