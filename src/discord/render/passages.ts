import type { APIEmbedField } from 'discord.js';
import type { Hit } from '../../core/types.ts';
import { citationLine } from './citation.ts';
import { DISCORD_LIMITS, shareBudget } from './limits.ts';
import { blockQuote, escapeText, fitRendered, trimAtWord } from './text.ts';

/**
 * Room always left for the quoted passage when the citation line is built: a citation list
 * longer than a field minus this is summarised ("+N more") rather than crowding the passage out.
 */
const MIN_PASSAGE_ROOM = 80;

/** How a passage's text is shown: escaped, every line block-quoted. */
export function renderPassageText(text: string): string {
  return blockQuote(escapeText(text));
}

/**
 * Lay out passages as embed fields within `budget` characters in total (names and values).
 *
 * Citations are laid out first and never cut; the passages share what is left, short ones
 * whole and long ones trimmed at a word boundary with "…". This is the rule that keeps every
 * citation in the reply however long the passages are. Only when the citations alone would
 * crowd out the passages (dozens of "also in" places) is the tail of an "also in" list
 * summarised as "+N more"; a passage's own citation is always shown.
 */
export function passageFields(
  passages: readonly { readonly name: string; readonly hit: Hit }[],
  budget: number,
): APIEmbedField[] {
  const valueLimit = DISCORD_LIMITS.fieldValue;
  const names = passages.map(({ name }) => trimAtWord(name, DISCORD_LIMITS.fieldName));
  const namesLength = names.reduce((sum, name) => sum + name.length, 0);
  // A citation line may use up to half of its passage's fair share of the message (and leave
  // room for some passage in the field); beyond that, "also in" lists are summarised. The
  // primary citation is always kept whole.
  const citationRoom = Math.min(
    valueLimit - MIN_PASSAGE_ROOM - 1,
    Math.floor((budget - namesLength) / Math.max(1, passages.length) / 2),
  );
  const laid = passages.map(({ hit }, i) => ({
    fieldName: names[i] ?? '',
    citations: citationLine(hit, hit.alsoIn, citationRoom),
    hit,
  }));
  const overhead = laid.reduce((sum, { fieldName, citations }) => sum + fieldName.length + citations.length + 1, 0);
  const caps = laid.map(({ citations }) => valueLimit - citations.length - 1);
  // Rendering only lengthens text, so a passage longer than its cap wants the whole cap
  // (and is not rendered in full just to find that out: escaping is quadratic in length).
  const wants = laid.map(({ hit }, i) => {
    const cap = caps[i] ?? 0;
    return hit.text.length > cap ? cap : renderPassageText(hit.text).length;
  });
  const shares = shareBudget(wants, caps, budget - overhead);
  return laid.map(({ fieldName, citations, hit }, i) => {
    const quoted = fitRendered(hit.text, shares[i] ?? 0, renderPassageText);
    // With no room left at all, the citation still stands on its own.
    return { name: fieldName, value: quoted === '' ? citations : `${quoted}\n${citations}` };
  });
}
