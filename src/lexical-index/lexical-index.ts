/**
 * The lexical-index port: ranked keyword search over passages by label, and how an implementation
 * is built and read back. The index store receives a {@link LexicalIndexFactory} from the
 * composition root (app.ts), so a different implementation (say, a database's full-text search)
 * can be added without touching ingest or retrieval. Today's: the packed BM25 of bm25-index.ts.
 */

export interface LexicalHit {
  readonly label: number;
  readonly score: number;
}

export interface LexicalIndex {
  /** Number of paragraphs indexed (labels are 0 … size − 1). */
  readonly size: number;
  /**
   * N in the idf: paragraphs with at least one analysed term (a paragraph of stop words only is
   * invisible to every query, and Lucene's docCount leaves it out too). At most {@link size}.
   */
  readonly documentCount: number;
  /** Paragraphs containing `term`, an analysed term (as analyzer.ts's `analyze` returns it); 0 when the term is unknown. */
  documentFrequency(term: string): number;
  /**
   * The BM25 idf of an analysed term: Lucene's ln(1 + (N − df + 0.5) / (df + 0.5)), the weight
   * `search` gives it. An unknown term (df 0) gets the highest idf there is, as a term rarer
   * than any indexed one.
   */
  idf(term: string): number;
  /** The best `k` paragraphs for `query` by BM25, best first; ties go to the lower label. */
  search(query: string, k: number): LexicalHit[];
  /** The binary form read back by {@link LexicalIndexFactory.load}. */
  serialize(): Uint8Array;
  /** The same bytes as {@link serialize}, produced in slices that yield to the event loop (~1 s of work at 100k passages). */
  serializeAsync(): Promise<Uint8Array>;
  /**
   * A new index with `changes` applied, in work proportional to the changed passages (their
   * texts are analysed; no other text is). This index is left as it was, so readers of it are
   * not disturbed and callers can switch atomically. Scores afterwards equal those of an index
   * built from the remaining texts (removed labels score nothing and count in no statistic).
   */
  update(changes: LexicalChanges): Promise<LexicalIndex>;
}

/** Passages to remove from / add to a lexical index, each with the text it was (or is to be) indexed as. */
export interface LexicalChanges {
  /** Labels in the index with the exact text they were indexed with. */
  readonly remove: readonly { readonly label: number; readonly text: string }[];
  /** New labels, each at or above the index's current {@link LexicalIndex.size}; labels skipped in between are empty. */
  readonly add: readonly { readonly label: number; readonly text: string }[];
}

/** How the index store makes and restores lexical indexes. */
export interface LexicalIndexFactory {
  /**
   * An index of `texts` (label = position), built without blocking the event loop for long.
   * `texts` is read once, in order, one text at a time (a generator can make each when asked, so
   * an ingest never holds every passage's indexed text at once).
   */
  build(texts: Iterable<string>): Promise<LexicalIndex>;
  /** Restores {@link LexicalIndex.serialize}'s bytes; throws an Error saying what is wrong when they are not such an index. */
  load(bytes: Uint8Array): LexicalIndex;
}
