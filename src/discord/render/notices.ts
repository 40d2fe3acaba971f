import type { LineRangeProblem, QuestionProblem } from '../input.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { makeReply, type Reply } from './reply.ts';
import { escapeText, trimAtWord } from './text.ts';

/** What the user typed the question into, so the message can point at it. */
export type QuestionSource = 'question option' | 'query option' | 'mention' | 'message';

/** A private reply explaining what is wrong with the question or query. */
export function renderQuestionProblem(problem: QuestionProblem, source: QuestionSource): Reply {
  switch (problem.kind) {
    case 'missing':
    case 'empty':
      return notice(
        source === 'mention'
          ? 'Ask me a question after the mention, e.g. “@citebot what did NATO decide about Iraq?”.'
          : source === 'message'
            ? 'That message has no text to look up.'
            : `Your ${source === 'query option' ? 'query' : 'question'} is empty: type some words into the \`${source === 'query option' ? 'query' : 'question'}\` option.`,
      );
    case 'too-long':
      return notice(
        `${source === 'message' ? 'That message' : source === 'query option' ? 'Your query' : 'Your question'} is ${problem.length} characters long; the limit is ${problem.max}. Shorten it and try again.`,
      );
  }
}

/** A private reply explaining what is wrong with a `/source` line range. */
export function renderLineRangeProblem(problem: LineRangeProblem): Reply {
  switch (problem.kind) {
    case 'missing':
      return notice('Give a line range in the `lines` option, like `12-15` (or a single line like `12`).');
    case 'malformed':
      return notice(`“${escapeText(trimAtWord(problem.input, 100))}” is not a line range. Give one like \`12-15\` (or a single line like \`12\`).`);
    case 'reversed':
      return notice(`The range ${problem.start}-${problem.end} ends before it starts. Give it as \`${problem.end}-${problem.start}\`.`);
  }
}

/** A private reply for an error the user can act on (a CitebotError): what went wrong, and how to fix it. */
export function renderProblem(message: string, hint: string): Reply {
  return notice(`${escapeText(message)}\n${hint}`);
}

/** The private apology for an unexpected failure. The id is logged with the cause. */
export function renderApology(errorId: string): Reply {
  return notice(`Sorry, something went wrong while answering. If it keeps happening, give the bot's operator this error id: \`${errorId}\`.`);
}

/** Rate limit notice with a live Discord timestamp ("in 4 seconds"). */
export function renderCooldown(retryAtMs: number): Reply {
  return notice(`You're asking too quickly. Try again <t:${Math.ceil(retryAtMs / 1000)}:R>.`);
}

export function renderUnknownCommand(name: string): Reply {
  return notice(`I don't know the command “${escapeText(trimAtWord(name, 100))}”. The command list may be out of date; ask the bot's operator to register the commands again.`);
}

export function renderShuttingDown(): Reply {
  return notice('citebot is restarting. Try again in a minute.');
}

function notice(text: string): Reply {
  return makeReply({ content: trimAtWord(text, DISCORD_LIMITS.content) });
}

/**
 * A usage notice that also says when the member may ask again: the attempt took a cooldown turn,
 * and no second notice follows within the window, so without this a quick corrected retry would
 * meet silence.
 */
export function withRetryTime(reply: Reply, retryAtMs: number): Reply {
  return notice(`${reply.content ?? ''}\nYou can ask again <t:${Math.ceil(retryAtMs / 1000)}:R>.`);
}
