import type { Message } from 'discord.js';
import { isCitebotError } from '../core/errors.ts';
import type { CommandContext } from './command.ts';
import { NoticeThrottle } from './cooldown.ts';
import { newErrorId } from './error-id.ts';
import { loggableError } from './safe-error.ts';
import { mentionsBot, parseQuestion, stripBotMention } from './input.ts';
import { presentAnswer } from './feedback.ts';
import { mentionAllowed } from './guild-settings.ts';
import { findFollowUp, searchFollowUp } from './follow-up.ts';
import { renderApology, renderCooldown, renderProblem, renderQuestionProblem, withRetryTime } from './render/notices.ts';
import type { Reply } from './render/reply.ts';

export interface MessageHandlerOptions {
  readonly context: CommandContext;
  readonly isStopping: () => boolean;
}

/**
 * Answer `@citebot question` in a guild channel and any message in a DM, like `/ask`, as a
 * reply to the message. Never rejects: failures become a reply with an error id.
 *
 * No privileged MessageContent intent is needed: Discord delivers the content of messages that
 * mention the bot, and of DMs, to every bot.
 */
export function createMessageHandler(options: MessageHandlerOptions): (message: Message) => Promise<void> {
  const { context, isStopping } = options;
  const { logger } = context;
  // Mention spam must not turn into reply spam: every mention (empty and over-long ones too)
  // takes a cooldown turn, and notices (usage hints, cooldown warnings) go out at most once per
  // window per user and per channel. Answers are already limited by the cooldown.
  const notices = new NoticeThrottle(context.cooldown.windowMs);

  return async (message) => {
    if (message.author.bot || message.system || isStopping()) return;
    const botId = message.client.user.id;
    const direct = !message.inGuild();
    // A reply that pings citebot mentions it without `<@id>` in the text (a follow-up).
    if (!direct && !mentionsBot(message.content, botId) && !message.mentions.users.has(botId)) return;
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
      const turn = context.cooldown.take(message.author.id);
      if (!turn.ok) {
        await notify(renderCooldown(turn.retryAt), 'cooldown');
        return;
      }
      const question = parseQuestion(stripBotMention(message.content, botId), context.settings.maxQuestionLength);
      if (!question.ok) {
        const usage = renderQuestionProblem(question.problem, direct ? 'message' : 'mention');
        const windowMs = context.cooldown.windowMs;
        await notify(windowMs > 0 ? withRetryTime(usage, Date.now() + windowMs) : usage, question.problem.kind);
        return;
      }
      // The message equivalent of deferring: show "citebot is typing…" while the engine works.
      if (message.channel.isSendable()) await message.channel.sendTyping().catch(() => undefined);
      const followUp = direct ? undefined : await findFollowUp(message, context);
      const result =
        followUp === undefined ? await context.engine.search(question.value, { k: context.settings.askPassages }) : await searchFollowUp(followUp, question.value, context);
      const place = {
        guildId: message.guildId ?? undefined,
        channelId: message.channelId,
        userId: message.author.id,
        public: true,
        ...(followUp === undefined ? {} : { followUp: { earlierQuestion: followUp.earlierQuestion, asked: question.value } }),
      };
      await send(message, await presentAnswer(result, place, context));
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

function send(message: Message, reply: Reply): Promise<unknown> {
  // failIfNotExists: the question may have been deleted meanwhile; answer in the channel anyway.
  return message.reply({ ...reply, failIfNotExists: false });
}
