/** The private confirmation of `/citebot forget-me`. */
import type { ForgetOutcome } from '../../core/community-store.ts';
import { makeReply, type Reply } from './reply.ts';

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Says what was deleted (or that there was nothing), so the member knows it is done. */
export function renderForgotten(outcome: ForgetOutcome): Reply {
  if (outcome.questions + outcome.votes === 0) return makeReply({ content: 'citebot had nothing stored about you in this server. Nothing was deleted.' });
  return makeReply({
    content: `Done: deleted ${plural(outcome.questions, 'question')} you asked and ${plural(outcome.votes, 'vote')} you cast in this server. Votes others cast on your questions went with them.`,
  });
}
