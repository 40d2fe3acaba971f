/**
 * BM25 over paragraph texts, as a packed inverted index.
 *
 * Why packed: the index lives in memory next to the HNSW graph, and the project's budget is
 * ≤ 2.5 KB per paragraph (beyond its text) for the whole loaded index. HNSW alone takes 1.68 KB.
 * MiniSearch, used before, measured 2.96 KB per paragraph at 10k SciFact paragraphs (~37 distinct
 * terms each, 22k distinct terms): a JS Map entry per posting under a radix tree of terms. Here
 * each posting is 5 bytes in typed arrays (a 4-byte paragraph label and a 1-byte term frequency);
 * measured 0.35 KB per paragraph in all, of which ~0.15 KB is the term dictionary (a Map), whose
 * cost per paragraph falls as the corpus grows (new paragraphs bring fewer and fewer new terms).
 *
 * In memory:
 *
 *   termIds                 Map term → term id (0 … T−1, in first-seen order)
 *   postingStarts           Uint32Array(T + 1): term t's postings are [postingStarts[t], postingStarts[t + 1])
 *   postingLabels           Uint32Array(P): paragraph labels, ascending within each term
 *   postingTermFrequencies  Uint8Array(P): occurrences of the term in that paragraph, capped at 255
 *   documentLengths         Uint32Array(N): analysed terms per paragraph
 *
 * plus, derived on construction and not stored: the length normalisation per paragraph and the
 * per-query score buffers (4 bytes per paragraph each).
 *
 * Labels are paragraph positions 0 … N−1, the same labels as the vector index. Both documents and
 * queries go through `analyze` (lower-case, Lucene stop words, Porter stemmer; identifiers whole
 * and by parts).
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { analyze } from './analyzer.ts';

import type { LexicalChanges, LexicalHit, LexicalIndex, LexicalIndexFactory } from './lexical-index.ts';

export type { LexicalHit, LexicalIndex } from './lexical-index.ts';

// Lucene's and Elasticsearch's defaults: the setup behind BEIR's BM25 baseline.
const K1 = 1.2;
const B = 0.75;

/**
 * Term frequencies are stored in one byte. With k1 = 1.2, tf / (tf + k1·norm) is saturated long
 * before 255 (in a paragraph of average length, 255 and 1000 occurrences differ by < 0.5% of that
 * term's score), and paragraphs are cut to at most 510 model tokens, so the cap costs nothing
 * measurable and saves a byte a posting. Lengths are stored exactly (Lucene rounds them to a byte).
 */
const MAX_TERM_FREQUENCY = 255;

/** Lucene's BM25 idf: ln(1 + (N − df + 0.5) / (df + 0.5)). Always > 0, so every match adds to a score. */
function inverseDocumentFrequency(documentFrequency: number, documentCount: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

interface PackedPostings {
  /** Term → term id; insertion order is term-id order (serialization relies on it). */
  readonly termIds: Map<string, number>;
  readonly postingStarts: Uint32Array;
  readonly postingLabels: Uint32Array;
  readonly postingTermFrequencies: Uint8Array;
  readonly documentLengths: Uint32Array;
}

/**
 * What in-place updates changed since the packed base was built or loaded (a second, small
 * segment): base labels removed, the postings of added labels, and every label's length. Never
 * mutated once made: an update copies what it changes, so the previous index stays as it was for
 * its readers. Merged into a new packed base when it grows past {@link MERGE_SHARE}, and on save.
 */
interface Overlay {
  /** 1 for base labels removed (length: the base's label count). */
  readonly removed: Uint8Array;
  /** Per base term id: postings of that term on removed labels (to subtract from its document frequency). */
  readonly removedPostings: ReadonlyMap<number, number>;
  /** Postings of labels added after the base, per term, labels ascending. */
  readonly added: ReadonlyMap<string, AddedPostings>;
  readonly addedPostingCount: number;
  /** Analysed terms per label, for every label (removed ones: 0). */
  readonly documentLengths: Uint32Array;
}

interface AddedPostings {
  readonly labels: number[];
  readonly frequencies: number[];
}

/**
 * The overlay is merged into a fresh packed base once its added postings pass this share of the
 * base's: beyond it, queries would spend noticeably more time in Map lookups than in typed arrays,
 * while below it a merge (one pass over all postings) would cost more than it saves.
 */
const MERGE_SHARE = 0.1;

class PackedBm25Index implements LexicalIndex {
  readonly size: number;
  readonly #postings: PackedPostings;
  readonly #overlay: Overlay | undefined;
  /**
   * N in the idf: paragraphs with at least one analysed term. Lucene counts documents that have
   * the field (its docCount); a paragraph of stop words only is invisible to every query anyway.
   */
  readonly documentCount: number;
  /** k1·(1 − b + b·dl/avgdl) per paragraph: the length normalisation, computed once instead of per posting. */
  readonly #lengthNorms: Float32Array;
  /**
   * Per-query scratch space, reused so a query allocates nothing proportional to N: scores are
   * accumulated term at a time, `touched` lists the paragraphs that got a score (so that only they
   * are ranked and reset). search() never awaits, so no two queries share them at once.
   */
  readonly #scores: Float32Array;
  readonly #touched: Uint32Array;

  constructor(postings: PackedPostings, overlay?: Overlay) {
    this.#postings = postings;
    this.#overlay = overlay;
    const documentLengths = overlay?.documentLengths ?? postings.documentLengths;
    this.size = documentLengths.length;
    let totalLength = 0;
    let documentsWithTerms = 0;
    for (const length of documentLengths) {
      totalLength += length;
      if (length > 0) documentsWithTerms++;
    }
    this.documentCount = documentsWithTerms;
    const averageLength = documentsWithTerms === 0 ? 1 : totalLength / documentsWithTerms;
    // A plain loop: Float32Array.from with a mapping function took ~25 ms at 100k passages, on
    // the main thread of every in-place update.
    const lengthNorms = new Float32Array(documentLengths.length);
    for (let label = 0; label < documentLengths.length; label++) lengthNorms[label] = K1 * (1 - B + (B * documentLengths[label]!) / averageLength);
    this.#lengthNorms = lengthNorms;
    this.#scores = new Float32Array(this.size);
    this.#touched = new Uint32Array(this.size);
  }

  /**
   * score(q, p) = Σ over the terms t of q: idf(t) · tf / (tf + k1·(1 − b + b·|p|/avgdl)),
   * Lucene's BM25Similarity (since Lucene 8; the textbook form multiplies each term by the
   * constant k1 + 1, which changes no ranking).
   *
   * A term repeated in the query counts once per occurrence, as in Lucene's BooleanQuery of term
   * queries (Elasticsearch's `match`). Counting it once instead made no measurable difference:
   * XQuAD bm25 nDCG@10 0.970 either way (65 of 1190 questions repeat a term); SciFact 0.682 vs
   * 0.685 (+0.003 ± 0.003 standard error; better on 7 queries, worse on 10). So Lucene's rule stays.
   */
  documentFrequency(term: string): number {
    const termId = this.#postings.termIds.get(term);
    const added = this.#overlay?.added.get(term)?.labels.length ?? 0;
    if (termId === undefined) return added;
    const { postingStarts } = this.#postings;
    return postingStarts[termId + 1]! - postingStarts[termId]! - (this.#overlay?.removedPostings.get(termId) ?? 0) + added;
  }

  idf(term: string): number {
    return inverseDocumentFrequency(this.documentFrequency(term), this.documentCount);
  }

  search(query: string, k: number): LexicalHit[] {
    const wanted = Math.min(Math.floor(k), this.size);
    if (!(wanted > 0)) return [];
    const { termIds, postingStarts, postingLabels, postingTermFrequencies } = this.#postings;
    const scores = this.#scores;
    const touched = this.#touched;
    const lengthNorms = this.#lengthNorms;
    const removed = this.#overlay?.removed;
    let touchedCount = 0;
    try {
      for (const term of analyze(query)) {
        const termId = termIds.get(term);
        const added = this.#overlay?.added.get(term);
        if (termId === undefined && added === undefined) continue;
        const idf = inverseDocumentFrequency(this.documentFrequency(term), this.documentCount);
        if (termId !== undefined) {
          // Typed-array reads inside the bounds just checked; `!` only silences noUncheckedIndexedAccess.
          const start = postingStarts[termId]!;
          const end = postingStarts[termId + 1]!;
          for (let posting = start; posting < end; posting++) {
            const label = postingLabels[posting]!;
            if (removed !== undefined && removed[label] === 1) continue;
            const termFrequency = postingTermFrequencies[posting]!;
            // Every contribution is > 0, so a score of 0 means "not touched yet".
            if (scores[label] === 0) touched[touchedCount++] = label;
            scores[label]! += (idf * termFrequency) / (termFrequency + lengthNorms[label]!);
          }
        }
        if (added !== undefined) {
          added.labels.forEach((label, i) => {
            const termFrequency = added.frequencies[i]!;
            if (scores[label] === 0) touched[touchedCount++] = label;
            scores[label]! += (idf * termFrequency) / (termFrequency + lengthNorms[label]!);
          });
        }
      }
      return selectTop(scores, touched.subarray(0, touchedCount), wanted);
    } finally {
      for (let i = 0; i < touchedCount; i++) scores[touched[i]!] = 0;
    }
  }

  serialize(): Uint8Array {
    return runAtOnce(this.#encodeSteps());
  }

  serializeAsync(): Promise<Uint8Array> {
    return runInSlices(this.#encodeSteps());
  }

  *#encodeSteps(): Sliced<Uint8Array> {
    const postings = this.#overlay === undefined ? this.#postings : yield* mergePostings(this.#postings, this.#overlay);
    return yield* encodeIndex(postings);
  }

  async update(changes: LexicalChanges): Promise<LexicalIndex> {
    const base = this.#postings;
    const baseSize = base.documentLengths.length;
    const previous = this.#overlay;
    const size = changes.add.reduce((most, { label }) => Math.max(most, label + 1), this.size);
    const documentLengths = new Uint32Array(size);
    documentLengths.set(previous?.documentLengths ?? base.documentLengths);
    const removed = previous === undefined ? new Uint8Array(baseSize) : previous.removed.slice();
    const removedPostings = new Map(previous?.removedPostings);
    const added = new Map(previous?.added);
    let addedPostingCount = previous?.addedPostingCount ?? 0;
    // Copy-on-write per term: the previous index shares the lists this update does not touch.
    const copied = new Set<string>();
    const writable = (term: string): AddedPostings => {
      const list = added.get(term);
      if (list !== undefined && copied.has(term)) return list;
      const copy = { labels: [...(list?.labels ?? [])], frequencies: [...(list?.frequencies ?? [])] };
      added.set(term, copy);
      copied.add(term);
      return copy;
    };

    let analysed = 0;
    for (const { label, text } of changes.remove) {
      if (label >= this.size || documentLengths[label] === 0) continue;
      const terms = new Set(analyze(text));
      if (label < baseSize) {
        if (removed[label] === 1) continue;
        removed[label] = 1;
        for (const term of terms) {
          const termId = base.termIds.get(term);
          if (termId !== undefined) removedPostings.set(termId, (removedPostings.get(termId) ?? 0) + 1);
        }
      } else {
        for (const term of terms) {
          const list = writable(term);
          const at = list.labels.indexOf(label);
          if (at < 0) continue;
          list.labels.splice(at, 1);
          list.frequencies.splice(at, 1);
          addedPostingCount--;
          if (list.labels.length === 0) added.delete(term);
        }
      }
      documentLengths[label] = 0;
      if (++analysed % UPDATE_TEXTS_PER_TURN === 0) await yieldToEventLoop();
    }
    for (const { label, text } of [...changes.add].sort((a, b) => a.label - b.label)) {
      if (label < this.size) throw new Error(`Label ${label} is in use; new passages take labels from ${this.size} on.`);
      const terms = analyze(text);
      const frequencies = new Map<string, number>();
      for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
      for (const [term, frequency] of frequencies) {
        const list = writable(term);
        list.labels.push(label);
        list.frequencies.push(Math.min(frequency, MAX_TERM_FREQUENCY));
        addedPostingCount++;
      }
      documentLengths[label] = terms.length;
      if (++analysed % UPDATE_TEXTS_PER_TURN === 0) await yieldToEventLoop();
    }
    const overlay: Overlay = { removed, removedPostings, added, addedPostingCount, documentLengths };
    if (addedPostingCount > MERGE_SHARE * base.postingLabels.length) return new PackedBm25Index(await runInSlices(mergePostings(base, overlay)));
    return new PackedBm25Index(base, overlay);
  }
}

/** Work done in slices: yields between slices, returns the result. */
type Sliced<T> = Generator<void, T, void>;

/**
 * Slice sizes for {@link Sliced} work, a few ms each on one core (measured: 500k values took
 * 20–40 ms on the shared 2-core machine): terms merged (a term carries ~35 postings on average at
 * 100k SciFact passages) and 4-byte values written.
 */
const VALUES_PER_SLICE = 100_000;
/**
 * Postings (plus one per term) merged per slice. Slicing by terms instead let one slice take
 * ~150 ms at 10k passages: terms are in first-seen order, so the first slices hold the common
 * terms with the longest lists.
 */
const POSTINGS_PER_SLICE = 25_000;
/** Terms of the dictionary encoded as UTF-8 per slice when serialising. */
const TERMS_PER_SLICE = 20_000;

function runAtOnce<T>(work: Sliced<T>): T {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
  }
}

/** Runs `work`, yielding to the event loop between its slices (a bot saving keeps its heartbeats). */
async function runInSlices<T>(work: Sliced<T>): Promise<T> {
  for (;;) {
    const step = work.next();
    if (step.done === true) return step.value;
    await yieldToEventLoop();
  }
}

/**
 * The packed form of a base plus its overlay: the base's terms first (in their order, without
 * postings on removed labels; terms left with none dropped), then terms only added passages use.
 * Added labels are all above the base's, so each term's labels stay ascending. One pass over the
 * postings; scores are unchanged by it.
 */
function* mergePostings(base: PackedPostings, overlay: Overlay): Sliced<PackedPostings> {
  // Written straight into typed arrays sized for the most postings there can be (no removed
  // posting subtracted): JS arrays of millions of numbers cost ~8 bytes each on the heap, grow by
  // copying and leave garbage for a major collection (measured: the longest stall of a save).
  const capacity = base.postingLabels.length + overlay.addedPostingCount;
  const labels = new Uint32Array(capacity);
  const frequencies = new Uint8Array(capacity);
  const termIds = new Map<string, number>();
  const starts: number[] = [0];
  let count = 0;
  let sinceYield = 0;
  const appendTerm = (term: string, baseTermId: number | undefined) => {
    const before = count;
    if (baseTermId !== undefined) {
      const end = base.postingStarts[baseTermId + 1]!;
      for (let posting = base.postingStarts[baseTermId]!; posting < end; posting++) {
        const label = base.postingLabels[posting]!;
        if (overlay.removed[label] === 1) continue;
        labels[count] = label;
        frequencies[count++] = base.postingTermFrequencies[posting]!;
      }
    }
    const added = overlay.added.get(term);
    if (added !== undefined) {
      for (let i = 0; i < added.labels.length; i++) {
        labels[count] = added.labels[i]!;
        frequencies[count++] = added.frequencies[i]!;
      }
    }
    sinceYield += count - before + 1;
    if (count === before) return;
    termIds.set(term, termIds.size);
    starts.push(count);
  };
  for (const [term, termId] of base.termIds) {
    appendTerm(term, termId);
    if (sinceYield >= POSTINGS_PER_SLICE) {
      sinceYield = 0;
      yield;
    }
  }
  for (const term of overlay.added.keys()) {
    if (base.termIds.has(term)) continue;
    appendTerm(term, undefined);
    if (sinceYield >= POSTINGS_PER_SLICE) {
      sinceYield = 0;
      yield;
    }
  }
  return {
    termIds,
    postingStarts: Uint32Array.from(starts),
    // Copies of the used part, so the unused capacity is freed with the work arrays.
    postingLabels: labels.slice(0, count),
    postingTermFrequencies: frequencies.slice(0, count),
    documentLengths: overlay.documentLengths,
  };
}

/** Whether `a` ranks before `b`: higher score first, then the lower label (deterministic ties). */
function ranksBefore(scores: Float32Array, a: number, b: number): boolean {
  const scoreA = scores[a]!;
  const scoreB = scores[b]!;
  return scoreA > scoreB || (scoreA === scoreB && a < b);
}

/**
 * The best `k` of `candidates`, best first, without sorting them all: a heap of the k best so far
 * whose root is the worst of them, so each further candidate is compared with the root only.
 * O(C log k) for C candidates, then the k kept are sorted.
 */
function selectTop(scores: Float32Array, candidates: Uint32Array, k: number): LexicalHit[] {
  const heap: number[] = [];
  const swap = (i: number, j: number) => {
    const kept = heap[i]!;
    heap[i] = heap[j]!;
    heap[j] = kept;
  };
  for (const label of candidates) {
    if (heap.length < k) {
      // Sift up: a parent must rank after its children.
      heap.push(label);
      for (let child = heap.length - 1; child > 0; ) {
        const parent = (child - 1) >> 1;
        if (!ranksBefore(scores, heap[parent]!, heap[child]!)) break;
        swap(parent, child);
        child = parent;
      }
    } else if (ranksBefore(scores, label, heap[0]!)) {
      // Replace the worst kept and sift it down.
      heap[0] = label;
      for (let parent = 0; ; ) {
        const left = 2 * parent + 1;
        const right = left + 1;
        let worst = parent;
        if (left < heap.length && ranksBefore(scores, heap[worst]!, heap[left]!)) worst = left;
        if (right < heap.length && ranksBefore(scores, heap[worst]!, heap[right]!)) worst = right;
        if (worst === parent) break;
        swap(parent, worst);
        parent = worst;
      }
    }
  }
  heap.sort((a, b) => (ranksBefore(scores, a, b) ? -1 : 1));
  return heap.map((label) => ({ label, score: scores[label]! }));
}

/**
 * A copy of `term` that shares no memory with the text it was cut from. V8 represents a substring
 * of 13+ characters as a view into its parent string, so a dictionary of such views keeps the
 * parents alive: the lower-cased paragraph of each long term when building, the whole decoded term
 * list when loading (measured at 10k paragraphs: +0.05 KB per paragraph either way).
 */
function detachedCopy(term: string): string {
  return Buffer.from(term, 'utf8').toString('utf8');
}

/** Starting capacity of the builder's growable arrays (values); they double when full. */
const INITIAL_BUILD_CAPACITY = 1024;

/** The typed arrays the builder grows: 4-byte ids, offsets and counts, 1-byte term frequencies. */
type BuildArray = Uint32Array | Uint8Array;

/**
 * A typed array that grows by doubling: the builder's per-posting buffers. A JS array of small
 * integers costs 8 bytes a value on the heap (plus the spare room and copies of its growth, all
 * garbage for a major collection); at 100k passages (~6M postings) the three of them were the
 * largest item of an ingest's peak heap. Here a posting costs 5 bytes (4 + 1), and growth copies
 * raw memory outside the JS heap.
 */
class GrowableArray<A extends BuildArray> {
  readonly #allocate: (length: number) => A;
  #values: A;
  length = 0;

  constructor(allocate: (length: number) => A) {
    this.#allocate = allocate;
    this.#values = allocate(INITIAL_BUILD_CAPACITY);
  }

  push(value: number): void {
    if (this.length === this.#values.length) {
      const grown = this.#allocate(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    this.#values[this.length++] = value;
  }

  /** The values pushed so far (a view: valid until the next push). */
  view(): A {
    return this.#values.subarray(0, this.length) as A;
  }

  /** The values pushed so far, in an array of exactly that length (the spare room is freed with this buffer). */
  packed(): A {
    return this.#values.slice(0, this.length) as A;
  }
}

const growableUint32 = () => new GrowableArray((length) => new Uint32Array(length));
const growableUint8 = () => new GrowableArray((length) => new Uint8Array(length));

/**
 * Collects postings paragraph by paragraph in growable typed arrays, then packs them grouped by
 * term (the sizes are only known at the end). Texts are analysed one at a time as they are added,
 * so a caller can produce them one at a time too and never hold every passage's text at once.
 */
class LexicalIndexBuilder {
  readonly #termIds = new Map<string, number>();
  readonly #documentFrequencies = growableUint32();
  readonly #documentLengths = growableUint32();
  // Postings in paragraph order, as parallel arrays; paragraph d's are [postingEnds[d − 1], postingEnds[d]).
  readonly #postingTermIds = growableUint32();
  readonly #postingTermFrequencies = growableUint8();
  readonly #postingEnds = growableUint32();

  add(text: string): void {
    const terms = analyze(text);
    const frequencies = new Map<number, number>();
    for (const term of terms) {
      let termId = this.#termIds.get(term);
      if (termId === undefined) {
        termId = this.#termIds.size;
        this.#termIds.set(detachedCopy(term), termId);
        this.#documentFrequencies.push(0);
      }
      frequencies.set(termId, (frequencies.get(termId) ?? 0) + 1);
    }
    const documentFrequencies = this.#documentFrequencies.view();
    for (const [termId, frequency] of frequencies) {
      this.#postingTermIds.push(termId);
      this.#postingTermFrequencies.push(Math.min(frequency, MAX_TERM_FREQUENCY));
      documentFrequencies[termId]!++;
    }
    this.#postingEnds.push(this.#postingTermIds.length);
    this.#documentLengths.push(terms.length);
  }

  finish(): LexicalIndex {
    const termCount = this.#termIds.size;
    const postingCount = this.#postingTermIds.length;
    const documentFrequencies = this.#documentFrequencies.view();
    const postingTermIds = this.#postingTermIds.view();
    const postingTermFrequencies = this.#postingTermFrequencies.view();
    const postingStarts = new Uint32Array(termCount + 1);
    for (let termId = 0; termId < termCount; termId++) {
      postingStarts[termId + 1] = postingStarts[termId]! + documentFrequencies[termId]!;
    }
    // Place each posting at its term's next free slot; paragraphs are visited in label order, so
    // labels come out ascending within each term.
    const nextSlot = postingStarts.slice(0, termCount);
    const postingLabels = new Uint32Array(postingCount);
    const packedFrequencies = new Uint8Array(postingCount);
    let posting = 0;
    this.#postingEnds.view().forEach((end, label) => {
      for (; posting < end; posting++) {
        const slot = nextSlot[postingTermIds[posting]!]!++;
        postingLabels[slot] = label;
        packedFrequencies[slot] = postingTermFrequencies[posting]!;
      }
    });
    return new PackedBm25Index({
      termIds: this.#termIds,
      postingStarts,
      postingLabels,
      postingTermFrequencies: packedFrequencies,
      documentLengths: this.#documentLengths.packed(),
    });
  }
}

export function buildLexicalIndex(texts: Iterable<string>): LexicalIndex {
  const builder = new LexicalIndexBuilder();
  for (const text of texts) builder.add(text);
  return builder.finish();
}

/**
 * Texts analysed per turn of the event loop by {@link buildLexicalIndexAsync}: ~5 ms of work for
 * SciFact-sized paragraphs on a quiet core (250, ~20–25 ms, became 100+ ms stalls on the shared
 * machine; the 50 ms budget must hold on a busy one too).
 */
const LEXICAL_CHUNK = 50;
/** Texts analysed per turn by an in-place update (removed and added passages alike): as {@link LEXICAL_CHUNK}, and an update of 40 texts yields too. */
const UPDATE_TEXTS_PER_TURN = 20;

/**
 * As {@link buildLexicalIndex}, yielding to the event loop between chunks of texts, so a bot
 * ingesting in-process keeps answering Discord heartbeats. Analysis is the slow part; the final
 * packing is one pass over the postings (~10 ms at 10k paragraphs). `texts` is read once, one
 * text at a time: a generator that makes each text when asked keeps only one in memory.
 */
export async function buildLexicalIndexAsync(texts: Iterable<string>): Promise<LexicalIndex> {
  const builder = new LexicalIndexBuilder();
  let sinceYield = 0;
  for (const text of texts) {
    builder.add(text);
    if (++sinceYield === LEXICAL_CHUNK) {
      sinceYield = 0;
      await yieldToEventLoop();
    }
  }
  await yieldToEventLoop();
  return builder.finish();
}

/*
 * Binary format, little-endian. Only the raw statistics are stored; k1, b, idf and the average
 * length are applied when the index is loaded or queried.
 *
 *   offset  size      field
 *   0       8         magic "CITEBM25"
 *   8       4         format version (FORMAT_VERSION)
 *   12      4         N   paragraphs
 *   16      4         T   terms
 *   20      4         P   postings
 *   24      4         S   bytes of term text
 *   28      4·N       documentLengths
 *           4·T       postings per term (document frequency), in term-id order
 *           4·P       postingLabels, grouped by term
 *           S         the terms in term-id order, UTF-8, each followed by "\n" (analysed terms
 *                     are runs of letters and digits, joined in identifiers by `_ - . / # ::`,
 *                     never containing whitespace)
 *           P         postingTermFrequencies
 *
 * The index store also checks each file's size and SHA-256 against the manifest; the checks in
 * loadLexicalIndex make a file of another format, or a damaged one that got past the store, fail
 * with a clear message instead of returning wrong results.
 */
const MAGIC = 'CITEBM25';
/** Bump when the layout above changes (and the index store's SCHEMA_VERSION with it). */
const FORMAT_VERSION = 1;
const HEADER_BYTES = 28;

/** Whether typed arrays here are little-endian (the file's byte order), so they can be copied into it as they are. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function* encodeIndex(postings: PackedPostings): Sliced<Uint8Array> {
  const { termIds, postingStarts, postingLabels, postingTermFrequencies, documentLengths } = postings;
  const encoder = new TextEncoder();
  const termPieces: Uint8Array[] = [];
  let piece: string[] = [];
  for (const term of termIds.keys()) {
    piece.push(term);
    if (piece.length === TERMS_PER_SLICE) {
      termPieces.push(encoder.encode(`${piece.join('\n')}\n`));
      piece = [];
      yield;
    }
  }
  if (piece.length > 0) termPieces.push(encoder.encode(`${piece.join('\n')}\n`));
  const termText = new Uint8Array(termPieces.reduce((sum, bytes) => sum + bytes.length, 0));
  termPieces.reduce((at, bytes) => (termText.set(bytes, at), at + bytes.length), 0);
  const termCount = termIds.size;
  const postingCount = postingLabels.length;
  const bytes = new Uint8Array(HEADER_BYTES + 4 * documentLengths.length + 4 * termCount + 4 * postingCount + termText.length + postingCount);
  const view = new DataView(bytes.buffer);
  let offset = 0;
  const writeUint32 = (value: number) => {
    view.setUint32(offset, value, true);
    offset += 4;
  };
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  offset = MAGIC.length;
  writeUint32(FORMAT_VERSION);
  writeUint32(documentLengths.length);
  writeUint32(termCount);
  writeUint32(postingCount);
  writeUint32(termText.length);
  if (LITTLE_ENDIAN) {
    // The file is little-endian, as this machine: whole arrays are copied (memcpy) instead of a
    // DataView call per value, which took ~40 ms of one slice at 100k passages. Every section
    // starts 4-byte aligned (the header is 28 bytes).
    const words = (count: number) => new Uint32Array(bytes.buffer, offset, count);
    words(documentLengths.length).set(documentLengths);
    offset += 4 * documentLengths.length;
    const frequencies = words(termCount);
    for (let termId = 0; termId < termCount; termId++) {
      frequencies[termId] = postingStarts[termId + 1]! - postingStarts[termId]!;
      if (termId % VALUES_PER_SLICE === VALUES_PER_SLICE - 1) yield;
    }
    offset += 4 * termCount;
    yield;
    words(postingCount).set(postingLabels);
    offset += 4 * postingCount;
  } else {
    for (let label = 0; label < documentLengths.length; label++) {
      writeUint32(documentLengths[label]!);
      if (label % VALUES_PER_SLICE === VALUES_PER_SLICE - 1) yield;
    }
    for (let termId = 0; termId < termCount; termId++) {
      writeUint32(postingStarts[termId + 1]! - postingStarts[termId]!);
      if (termId % VALUES_PER_SLICE === VALUES_PER_SLICE - 1) yield;
    }
    for (let posting = 0; posting < postingLabels.length; posting++) {
      writeUint32(postingLabels[posting]!);
      if (posting % VALUES_PER_SLICE === VALUES_PER_SLICE - 1) yield;
    }
  }
  yield;
  bytes.set(termText, offset);
  offset += termText.length;
  bytes.set(postingTermFrequencies, offset);
  return bytes;
}

function formatError(problem: string): Error {
  return new Error(`not a usable BM25 index: ${problem}`);
}

/**
 * Restores an index from {@link LexicalIndex.serialize}'s bytes. Throws an Error saying what is
 * wrong when the bytes are not a BM25 index of this format version, are truncated or are inconsistent.
 */
export function loadLexicalIndex(bytes: Uint8Array): LexicalIndex {
  if (bytes.length < HEADER_BYTES) throw formatError(`${bytes.length} bytes is shorter than the ${HEADER_BYTES}-byte header (truncated?)`);
  const magic = new TextDecoder().decode(bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw formatError(`the file does not start with "${MAGIC}"`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = MAGIC.length;
  const readUint32 = () => {
    const value = view.getUint32(offset, true);
    offset += 4;
    return value;
  };
  const version = readUint32();
  if (version !== FORMAT_VERSION) {
    throw formatError(`it is format version ${version}, this citebot reads version ${FORMAT_VERSION}`);
  }
  const documentCount = readUint32();
  const termCount = readUint32();
  const postingCount = readUint32();
  const termTextBytes = readUint32();
  const expectedBytes = HEADER_BYTES + 4 * documentCount + 4 * termCount + 4 * postingCount + termTextBytes + postingCount;
  if (bytes.length !== expectedBytes) {
    throw formatError(`it has ${bytes.length} bytes, its header describes ${expectedBytes}${bytes.length < expectedBytes ? ' (truncated?)' : ''}`);
  }

  const documentLengths = new Uint32Array(documentCount);
  for (let label = 0; label < documentCount; label++) documentLengths[label] = readUint32();
  const postingStarts = new Uint32Array(termCount + 1);
  for (let termId = 0; termId < termCount; termId++) {
    const documentFrequency = readUint32();
    if (documentFrequency === 0) throw formatError(`term ${termId} has no postings`);
    postingStarts[termId + 1] = postingStarts[termId]! + documentFrequency;
  }
  if (postingStarts[termCount] !== postingCount) throw formatError(`the terms' postings add up to ${postingStarts[termCount]}, not ${postingCount}`);
  const postingLabels = new Uint32Array(postingCount);
  for (let termId = 0; termId < termCount; termId++) {
    let previous = -1;
    for (let posting = postingStarts[termId]!; posting < postingStarts[termId + 1]!; posting++) {
      const label = readUint32();
      // Out-of-range or repeated labels would score paragraphs that do not exist or count a term twice.
      if (label >= documentCount || label <= previous) throw formatError(`term ${termId} has an invalid paragraph label ${label}`);
      postingLabels[posting] = label;
      previous = label;
    }
  }

  let termText: string;
  try {
    termText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(offset, offset + termTextBytes));
  } catch {
    throw formatError('the term text is not valid UTF-8');
  }
  offset += termTextBytes;
  const terms = termText.split('\n');
  if (terms.pop() !== '' || terms.length !== termCount) throw formatError(`the term text does not hold ${termCount} terms`);
  const termIds = new Map<string, number>();
  for (const term of terms) {
    if (term === '' || termIds.has(term)) throw formatError(`the term "${term}" is empty or repeated`);
    termIds.set(detachedCopy(term), termIds.size);
  }

  // A copy (not a view), so the file's bytes can be garbage-collected.
  const postingTermFrequencies = new Uint8Array(bytes.subarray(offset, offset + postingCount));
  if (postingTermFrequencies.includes(0)) throw formatError('a posting has a term frequency of 0');
  return new PackedBm25Index({ termIds, postingStarts, postingLabels, postingTermFrequencies, documentLengths });
}

/** The packed BM25 index behind the {@link LexicalIndexFactory} port, as app.ts hands it to the index store. */
export const bm25IndexFactory: LexicalIndexFactory = { build: buildLexicalIndexAsync, load: loadLexicalIndex };
