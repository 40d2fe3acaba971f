import type { APIEmbedField } from 'discord.js';
import type { Hit } from '../../core/types.ts';
import { citationBlock, headingLabel } from './citation.ts';
import { DISCORD_LIMITS, shareBudget } from './limits.ts';
import { cleanText, fitRendered, renderQuote, trimAtWord } from './text.ts';

/**
 * Room always left for the quoted passage when the citation lines are built: citation lists
 * longer than a field minus this are summarised ("+N more") rather than crowding the passage out.
 */
const MIN_PASSAGE_ROOM = 80;

/**
 * Most characters of a heading path in a field name. The path says where the lines sit; the
 * quote and its citations are the answer, so ten long paths must not take a quarter of the
 * 6,000-character message (10 × 100 is a sixth).
 */
export const HEADING_LABEL_MAX = 100;

/** Between a field's own label (`Passage 1`) and the passage's heading path. */
const NAME_SEPARATOR = ' · ';

/** One passage to lay out: the label of its field and the hit. */
export interface PassageSlot {
  readonly name: string;
  readonly hit: Hit;
}

export interface PassageLayoutOptions {
  /** Bold each passage's highlight: for answers and search results, not for passages shown after abstaining. */
  readonly emphasise: boolean;
}

/** A field name: the slot's label, then as much of the heading path as fits (outer titles go first). */
function fieldName(label: string, hit: Hit): string {
  const own = trimAtWord(label, DISCORD_LIMITS.fieldName);
  const room = Math.min(HEADING_LABEL_MAX, DISCORD_LIMITS.fieldName - own.length - NAME_SEPARATOR.length);
  const path = room > 0 ? headingLabel(hit.headings, room) : '';
  return path === '' ? own : `${own}${NAME_SEPARATOR}${path}`;
}

/**
 * Lay out passages as embed fields within `budget` characters in total (names and values).
 *
 * Citations are laid out first and never cut; the passages share what is left, short ones
 * whole and long ones trimmed at a word boundary with "…". This is the rule that keeps every
 * citation in the reply however long the passages are. Only when the citations alone would
 * crowd out the passages (dozens of exact or near copies) are the lists summarised as
 * "+N more"; a passage's own citation is always shown.
 */
export function passageFields(passages: readonly PassageSlot[], budget: number, options: PassageLayoutOptions): APIEmbedField[] {
  const valueLimit = DISCORD_LIMITS.fieldValue;
  const names = passages.map(({ name, hit }) => fieldName(name, hit));
  const namesLength = names.reduce((sum, name) => sum + name.length, 0);
  // The citation lines may use up to half of their passage's fair share of the message (and leave
  // room for some passage in the field); beyond that, lists are summarised. The primary citation
  // is always kept whole.
  const citationRoom = Math.min(
    valueLimit - MIN_PASSAGE_ROOM - 1,
    Math.floor((budget - namesLength) / Math.max(1, passages.length) / 2),
  );
  const laid = passages.map(({ hit }, i) => ({
    fieldName: names[i] ?? '',
    citations: citationBlock(hit, citationRoom),
    hit,
    // Cleaned once: fitting relies on rendering never shortening the text.
    quote: cleanText(hit.text, options.emphasise ? hit.highlightRange : null),
  }));
  const overhead = laid.reduce((sum, { fieldName: name, citations }) => sum + name.length + citations.length + 1, 0);
  const caps = laid.map(({ citations }) => valueLimit - citations.length - 1);
  // Rendering only lengthens text, so a passage longer than its cap wants the whole cap
  // (and is not rendered in full just to find that out).
  const wants = laid.map(({ quote }, i) => {
    const cap = caps[i] ?? 0;
    return quote.text.length > cap ? cap : renderQuote(quote.text, quote.range).length;
  });
  const shares = shareBudget(wants, caps, budget - overhead);
  return laid.map(({ fieldName: name, citations, quote }, i) => {
    const quoted = fitRendered(quote.text, shares[i] ?? 0, (prefix) => renderQuote(prefix, quote.range));
    // With no room left at all, the citations still stand on their own.
    return { name, value: quoted === '' ? citations : `${quoted}\n${citations}` };
  });
}
