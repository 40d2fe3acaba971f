/**
 * Follow-ups: "and how big will it be?" means nothing alone. Retrieval sees the earlier question
 * first, then the follow-up, so the earlier question's topic words (and its embedding) steer the
 * search; the answer still shows and stores only the follow-up as asked. Pure.
 */

/** What retrieval is asked for a follow-up to `earlier`. */
export function followUpQuery(earlier: string, followUp: string): string {
  return `${earlier.trim()}\n${followUp.trim()}`;
}
