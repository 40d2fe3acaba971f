/** The packed BM25 index: scores, ranking, binary format. Pure (no model). */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lexical-index/analyzer.ts';
import { buildLexicalIndex, buildLexicalIndexAsync, loadLexicalIndex, type LexicalHit } from '../../src/lexical-index/bm25-index.ts';

const labels = (hits: readonly LexicalHit[]) => hits.map((hit) => hit.label);

/*
 * Hand-computed example. Analysed terms (the stop word "the" is dropped):
 *   0 "cat dog"       → cat dog            length 2
 *   1 "cat cat fish"  → cat cat fish       length 3
 *   2 "dog bird"      → dog bird           length 2
 *   3 "the bird"      → bird               length 1
 * N = 4, avgdl = (2 + 3 + 2 + 1) / 4 = 2, k1 = 1.2, b = 0.75.
 *
 * idf(df = 2) = ln(1 + (4 − 2 + 0.5) / (2 + 0.5)) = ln 2           = 0.693147
 * idf(df = 1) = ln(1 + (4 − 1 + 0.5) / (1 + 0.5)) = ln(10/3)       = 1.203973
 * length norm k1·(1 − b + b·dl/avgdl):
 *   dl 1 → 1.2 · (0.25 + 0.375) = 0.75
 *   dl 2 → 1.2 · (0.25 + 0.75)  = 1.2
 *   dl 3 → 1.2 · (0.25 + 1.125) = 1.65
 * score = idf · tf / (tf + norm):
 *   "cat"  in 0: 0.693147 · 1 / (1 + 1.2)  = 0.693147 · 0.454545 = 0.315067
 *   "cat"  in 1: 0.693147 · 2 / (2 + 1.65) = 0.693147 · 0.547945 = 0.379807
 *   "fish" in 1: 1.203973 · 1 / (1 + 1.65) = 1.203973 · 0.377358 = 0.454329
 *   "bird" in 2: 0.693147 · 1 / (1 + 1.2)                      = 0.315067
 *   "bird" in 3: 0.693147 · 1 / (1 + 0.75) = 0.693147 · 0.571429 = 0.396084
 *   "cat fish" in 1: 0.379807 + 0.454329                        = 0.834136
 */
const PETS = ['cat dog', 'cat cat fish', 'dog bird', 'the bird'];

describe('BM25 scores', () => {
  const index = buildLexicalIndex(PETS);

  it('match the hand-computed values (Lucene BM25, k1 = 1.2, b = 0.75)', () => {
    const cat = index.search('cat', 10);
    expect(labels(cat)).toEqual([1, 0]);
    expect(cat[0]!.score).toBeCloseTo(0.379807, 5);
    expect(cat[1]!.score).toBeCloseTo(0.315067, 5);

    const catFish = index.search('cat fish', 10);
    expect(labels(catFish)).toEqual([1, 0]);
    expect(catFish[0]!.score).toBeCloseTo(0.834136, 5);
    expect(catFish[1]!.score).toBeCloseTo(0.315067, 5);
  });

  it('analyse the query like the documents (case, plural, stop words)', () => {
    expect(index.search('The CATS', 10)).toEqual(index.search('cat', 10));
  });

  it('weigh a rare term above a common one', () => {
    // Paragraphs 0 and 1 have the same length and tf 1; "grape" is in one paragraph, "apple" in two.
    const fruit = buildLexicalIndex(['apple kiwi', 'grape melon', 'apple plum']);
    const hits = fruit.search('apple grape', 10);
    expect(labels(hits)).toEqual([1, 0, 2]);
    expect(hits[0]!.score).toBeCloseTo(Math.log(1 + 2.5 / 1.5) * (1 / (1 + 1.2)), 5);
    expect(hits[1]!.score).toBeCloseTo(Math.log(1 + 1.5 / 2.5) * (1 / (1 + 1.2)), 5);
  });

  it('rank a shorter paragraph above a longer one with the same term frequency', () => {
    const bird = index.search('bird', 10);
    expect(labels(bird)).toEqual([3, 2]);
    expect(bird[0]!.score).toBeCloseTo(0.396084, 5);
    expect(bird[1]!.score).toBeCloseTo(0.315067, 5);
  });

  it('count a term repeated in the query once per occurrence', () => {
    const once = index.search('fish', 10)[0]!.score;
    expect(once).toBeCloseTo(0.454329, 5);
    expect(index.search('fish fish', 10)[0]!.score).toBeCloseTo(2 * once, 5);
  });

  it('ignore paragraphs without any analysed term in N and the average length (as Lucene does)', () => {
    const withStopWordsOnly = buildLexicalIndex([...PETS, 'The. It is.', '']);
    expect(withStopWordsOnly.size).toBe(6);
    expect(withStopWordsOnly.search('cat fish', 10)).toEqual(index.search('cat fish', 10));
  });

  it('give every matching paragraph a positive score, even for a term in all of them', () => {
    const everywhere = buildLexicalIndex(['news today', 'news tonight', 'news']);
    const hits = everywhere.search('news', 10);
    expect(labels(hits)).toEqual([2, 0, 1]);
    for (const hit of hits) expect(hit.score).toBeGreaterThan(0);
  });
});

describe('corpus statistics (documentCount, documentFrequency, idf)', () => {
  // PETS plus a stop-word-only paragraph: 5 paragraphs, of which 4 have terms (N = 4, as in the scores above).
  const index = buildLexicalIndex([...PETS, 'The. It is.']);
  const loaded = loadLexicalIndex(index.serialize());

  it.each([
    // term, df, idf: the same values the hand-computed scores above use
    { term: 'cat', df: 2, idf: Math.log(2) },
    { term: 'fish', df: 1, idf: Math.log(10 / 3) },
    { term: 'bird', df: 2, idf: Math.log(2) },
    // unknown: df 0, the highest idf there is, ln(1 + 4.5 / 0.5)
    { term: 'zebra', df: 0, idf: Math.log(10) },
    // not analysed: the index holds "cat", never "cats"; callers pass analysed terms
    { term: 'cats', df: 0, idf: Math.log(10) },
    // a stop word is never indexed
    { term: 'the', df: 0, idf: Math.log(10) },
  ])('$term: df $df', ({ term, df, idf }) => {
    expect(index.documentCount).toBe(4);
    expect(index.size).toBe(5);
    expect(index.documentFrequency(term)).toBe(df);
    expect(index.idf(term)).toBeCloseTo(idf, 10);
    expect(loaded.documentFrequency(term)).toBe(df);
    expect(loaded.idf(term)).toBeCloseTo(idf, 10);
  });

  it('is the idf search() weighs a term with: a one-term query of tf 1 scores idf · 1 / (1 + norm)', () => {
    // "fish" in paragraph 1 (length 3, norm 1.65): the score divided by the tf part is the idf.
    expect(index.search('fish', 1)[0]!.score / (1 / (1 + 1.65))).toBeCloseTo(index.idf('fish'), 5);
  });

  it('counts an empty index as having no documents', () => {
    const empty = buildLexicalIndex([]);
    expect(empty.documentCount).toBe(0);
    expect(empty.documentFrequency('cat')).toBe(0);
    expect(empty.idf('cat')).toBeCloseTo(Math.log(2), 10);
  });
});

/** A deterministic pseudo-random corpus over a small vocabulary, so that many scores tie. */
function syntheticCorpus(paragraphs: number, seed = 7): string[] {
  const vocabulary = ['river', 'bridge', 'castle', 'forest', 'harbor', 'market', 'tower', 'valley', 'garden', 'mill', 'orchard', 'quarry'];
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: paragraphs }, () =>
    Array.from({ length: 1 + Math.floor(next() * 8) }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' '),
  );
}

/** BM25 computed directly from the definition, in float64, for comparison. */
function referenceScores(texts: readonly string[], query: string): Map<number, number> {
  const documents = texts.map(analyze);
  const nonEmpty = documents.filter((terms) => terms.length > 0);
  const averageLength = nonEmpty.reduce((sum, terms) => sum + terms.length, 0) / nonEmpty.length;
  const scores = new Map<number, number>();
  for (const term of analyze(query)) {
    const df = documents.filter((terms) => terms.includes(term)).length;
    const idf = Math.log(1 + (nonEmpty.length - df + 0.5) / (df + 0.5));
    documents.forEach((terms, label) => {
      const tf = terms.filter((t) => t === term).length;
      if (tf === 0) return;
      const norm = 1.2 * (1 - 0.75 + (0.75 * terms.length) / averageLength);
      scores.set(label, (scores.get(label) ?? 0) + (idf * tf) / (tf + norm));
    });
  }
  return scores;
}

describe('top-k selection', () => {
  it('returns the k best, best first, ties to the lower label', () => {
    const twins = buildLexicalIndex(Array.from({ length: 50 }, () => 'apple kiwi'));
    expect(labels(twins.search('kiwi', 5))).toEqual([0, 1, 2, 3, 4]);
    const index = buildLexicalIndex(['kiwi', 'apple kiwi', 'kiwi', 'apple kiwi kiwi', 'kiwi']);
    // Length 1 (labels 0, 2, 4) beats tf 2 at length 3 (label 3), which beats tf 1 at length 2 (label 1).
    expect(labels(index.search('kiwi', 10))).toEqual([0, 2, 4, 3, 1]);
    expect(labels(index.search('kiwi', 2))).toEqual([0, 2]);
  });

  it('agrees with scoring every paragraph and sorting them all', () => {
    const texts = syntheticCorpus(400);
    const index = buildLexicalIndex(texts);
    for (const query of ['river castle', 'mill', 'tower tower garden quarry', 'harbor market valley orchard']) {
      const expected = referenceScores(texts, query);
      const all = index.search(query, texts.length);
      expect(all).toHaveLength(expected.size);
      for (const hit of all) expect(hit.score).toBeCloseTo(expected.get(hit.label)!, 5);
      for (let i = 1; i < all.length; i++) {
        const [before, after] = [all[i - 1]!, all[i]!];
        expect(before.score > after.score || (before.score === after.score && before.label < after.label)).toBe(true);
      }
      for (const k of [1, 7, 50]) expect(index.search(query, k)).toEqual(all.slice(0, k));
    }
  });

  it('leaves no trace of a query in the next one', () => {
    const index = buildLexicalIndex(syntheticCorpus(200));
    const first = index.search('river bridge', 20);
    index.search('castle forest harbor', 20);
    expect(index.search('river bridge', 20)).toEqual(first);
  });

  it('returns nothing for an empty, stop-word-only or unknown query, or k ≤ 0', () => {
    const index = buildLexicalIndex(PETS);
    expect(index.search('', 10)).toEqual([]);
    expect(index.search('What is the and of it?', 10)).toEqual([]);
    expect(index.search('zebra', 10)).toEqual([]);
    expect(index.search('cat', 0)).toEqual([]);
    expect(buildLexicalIndex([]).search('cat', 10)).toEqual([]);
  });
});

describe('building', () => {
  it('the async build equals the sync build and yields to the event loop between chunks', async () => {
    const texts = syntheticCorpus(1200);
    let turns = 0;
    let building = true;
    const countTurn = () => {
      if (!building) return;
      turns++;
      setImmediate(countTurn);
    };
    setImmediate(countTurn);
    const built = await buildLexicalIndexAsync(texts);
    building = false;
    expect(turns).toBeGreaterThanOrEqual(3);
    expect(built.serialize()).toEqual(buildLexicalIndex(texts).serialize());
  });

  it('reads the texts from a one-shot generator, with postings past the growth of the build buffers, as from an array', async () => {
    // 4000 paragraphs bring ~18k of postings: the builder's typed arrays (1024 at first) double several times.
    const texts = syntheticCorpus(4000);
    function* oneAtATime() {
      for (const text of texts) yield text;
    }
    const built = await buildLexicalIndexAsync(oneAtATime());
    expect(built.size).toBe(texts.length);
    // Byte equality through Buffer: a deep toEqual over ~150k elements is slow.
    expect(Buffer.from(built.serialize()).equals(Buffer.from(buildLexicalIndex(texts).serialize()))).toBe(true);
    // Document frequencies counted independently of the builder.
    const analysed = texts.map((text) => new Set(analyze(text)));
    for (const term of [...analysed[0]!, ...analysed[3999]!]) {
      expect(built.documentFrequency(term)).toBe(analysed.filter((terms) => terms.has(term)).length);
    }
  });
});

describe('binary format', () => {
  const texts = [...PETS, 'Café naïve résumé, café.', ...syntheticCorpus(300)];
  const index = buildLexicalIndex(texts);
  const bytes = index.serialize();
  const queries = ['cat fish', 'bird', 'café', 'river castle mill', 'résumé', 'nothing here'];
  /** A copy of the bytes with one little-endian uint32 replaced. */
  const withUint32 = (offset: number, value: number) => {
    const copy = bytes.slice();
    new DataView(copy.buffer).setUint32(offset, value, true);
    return copy;
  };
  const header = new DataView(bytes.buffer, bytes.byteOffset);
  const [documentCount, termCount] = [header.getUint32(12, true), header.getUint32(16, true)];
  const postingLabelsOffset = 28 + 4 * documentCount + 4 * termCount;

  it('loads back an index that answers exactly as the original and serializes to the same bytes', () => {
    const loaded = loadLexicalIndex(Buffer.from(bytes));
    expect(loaded.size).toBe(texts.length);
    for (const query of queries) expect(loaded.search(query, 20)).toEqual(index.search(query, 20));
    expect(loaded.search('café', 5).length).toBeGreaterThan(0);
    expect(loaded.serialize()).toEqual(bytes);
    expect(loadLexicalIndex(buildLexicalIndex([]).serialize()).search('cat', 3)).toEqual([]);
  });

  it('starts with the magic and format version, little-endian', () => {
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('CITEBM25');
    expect(header.getUint32(8, true)).toBe(1);
    expect(documentCount).toBe(texts.length);
  });

  it('rejects truncated bytes', () => {
    expect(() => loadLexicalIndex(bytes.subarray(0, bytes.length - 1))).toThrow(/header describes \d+ \(truncated\?\)/);
    expect(() => loadLexicalIndex(bytes.subarray(0, 20))).toThrow(/shorter than the 28-byte header/);
    expect(() => loadLexicalIndex(new Uint8Array())).toThrow(/truncated/);
  });

  it('rejects another format: a MiniSearch JSON index, or another version', () => {
    const json = new TextEncoder().encode(JSON.stringify({ documentCount: 4, nextId: 4, serializationVersion: 2, index: [] }));
    expect(() => loadLexicalIndex(json)).toThrow(/does not start with "CITEBM25"/);
    expect(() => loadLexicalIndex(withUint32(8, 2))).toThrow(/format version 2, this citebot reads version 1/);
  });

  it('rejects bytes whose contents contradict the header', () => {
    expect(() => loadLexicalIndex(Uint8Array.of(...bytes, 0))).toThrow(/has \d+ bytes, its header describes \d+$/);
    expect(() => loadLexicalIndex(withUint32(12, documentCount + 1))).toThrow(/header describes/);
    expect(() => loadLexicalIndex(withUint32(postingLabelsOffset, documentCount))).toThrow(/invalid paragraph label/);
    expect(() => loadLexicalIndex(withUint32(28 + 4 * documentCount, 0))).toThrow(/has no postings/);
    const zeroFrequency = bytes.slice();
    zeroFrequency[zeroFrequency.length - 1] = 0;
    expect(() => loadLexicalIndex(zeroFrequency)).toThrow(/term frequency of 0/);
  });
});
