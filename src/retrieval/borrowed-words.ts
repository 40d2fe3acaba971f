/**
 * Ordering a passage before the short passage that borrows its words. Pure.
 *
 * BM25 reads a short passage with the end of the passage before it as context
 * (corpus/retrieval-context.ts): "It is expected to number up to 12,000 troops" or
 * "- **Default:** `'forks'`" say nothing of what they are about without it. The same context
 * lets the short passage outrank the passage it borrowed from on that passage's own words — the
 * question "Where are Al-Qaeda affiliates gaining strength?" found "So the threat is
 * metastasizing" first, on the words of the sentence before it, which names Yemen, North Africa,
 * Iraq and Syria. Of the questions whose answer ranked 2nd–5th, the first passage was the short
 * one right after the answer in 23 of 69 (seeds 11 of 22, pino-docs 6 of 14, undici-docs 3 of 18,
 * vitest-docs 3 of 15; 2026-12-02, when the vector borrowed the words too).
 *
 * So when a passage and the one it borrows from are both candidates, and the lender's own lines
 * hold more of the question's informative words than the borrower's own lines, the lender goes
 * just before it — unless the borrower's own lines hold the kind of answer the question asks for
 * and the lender's do not ("How many personnel will the Iraq mission grow to?": "…from 500
 * personnel to around 4,000," after "NATO agreed to bolster a training mission in Iraq"). When
 * the borrower's own lines match as well or better, the order stands.
 */

export interface BorrowingCandidate {
  readonly label: number;
  /** Label of the passage whose end this one is retrieved with as context; null when none. */
  readonly lender: number | null;
}

/** What a candidate's own lines (not its context) say to the question; asked only for the pairs found. */
export interface OwnLines {
  /** Share of the question's informative words in them (evidence.ts `termCoverage`). */
  coverage(index: number): number;
  /** Whether they hold the kind of answer the question asks for (answer-types.ts); false when it asks for none. */
  holdsAnswer(index: number): boolean;
}

/**
 * `order` (indices into `candidates`, best first) with each lender moved just before the passage
 * that borrows from it, where the lender's own lines answer the question better (see above).
 */
export function lendersFirst(order: readonly number[], candidates: readonly BorrowingCandidate[], ownLines: OwnLines): number[] {
  const result = [...order];
  for (let position = 0; position < result.length; position++) {
    const borrower = result[position] as number;
    const lender = (candidates[borrower] as BorrowingCandidate).lender;
    if (lender === null) continue;
    const lenderAt = result.findIndex((index, at) => at > position && (candidates[index] as BorrowingCandidate).label === lender);
    if (lenderAt === -1) continue;
    const lenderIndex = result[lenderAt] as number;
    if (ownLines.coverage(lenderIndex) <= ownLines.coverage(borrower)) continue;
    if (ownLines.holdsAnswer(borrower) && !ownLines.holdsAnswer(lenderIndex)) continue;
    result.splice(position, 0, ...result.splice(lenderAt, 1));
    // The borrower now stands one place further on; go past it.
    position++;
  }
  return result;
}
