/**
 * In-place updates of the two indexes: an updated index answers exactly as one built from the
 * remaining texts, and the index it was made from keeps answering as before (readers of the
 * previous generation are not disturbed).
 */
import { describe, expect, it } from 'vitest';
import { buildLexicalIndex, loadLexicalIndex } from '../../src/lexical-index/bm25-index.ts';
import type { LexicalIndex } from '../../src/lexical-index/lexical-index.ts';
import { createHnswIndex, DEFAULT_HNSW_SETTINGS } from '../../src/vector-index/hnsw-vector-index.ts';
import { hashedVector } from '../support/test-embedder.ts';

const TEXTS = [
  'The zebra convoy crossed the river at dawn.',
  'Soldiers guarded the bridge over the river.',
  'deferReply keeps an interaction alive for fifteen minutes.',
  'The convoy of trucks carried food and water.',
  'Markdown files are indexed with their headings.',
  'A river delta forms where the river meets the sea.',
];
const QUERIES = ['river convoy', 'defer reply interaction', 'markdown headings', 'sea delta river', 'trucks water food'];

/** Every query's hits, with scores rounded to float32 precision noise. */
function answers(index: LexicalIndex): unknown[] {
  return QUERIES.map((query) => index.search(query, 10).map(({ label, score }) => ({ label, score: Math.round(score * 1e5) })));
}

describe('BM25 in-place update', () => {
  it('removing and adding passages scores exactly as an index built from the remaining texts', async () => {
    const original = buildLexicalIndex(TEXTS);
    const before = answers(original);
    const added = ['The river convoy returned at night.', 'Headings in Markdown give passages context.'];
    const updated = await original.update({
      remove: [
        { label: 0, text: TEXTS[0]! },
        { label: 4, text: TEXTS[4]! },
      ],
      add: added.map((text, i) => ({ label: TEXTS.length + i, text })),
    });
    // Removed labels are empty texts in the reference: same labels, same statistics.
    const reference = buildLexicalIndex([...TEXTS.map((text, label) => (label === 0 || label === 4 ? '' : text)), ...added]);
    expect(updated.size).toBe(reference.size);
    expect(updated.documentCount).toBe(reference.documentCount);
    expect(answers(updated)).toEqual(answers(reference));
    for (const term of ['river', 'convoy', 'zebra', 'markdown', 'head']) expect(updated.documentFrequency(term)).toBe(reference.documentFrequency(term));
    // The index it was made from is untouched.
    expect(answers(original)).toEqual(before);
    // Saved and loaded back, it still answers the same; the sliced serialization writes the same bytes.
    expect(answers(loadLexicalIndex(updated.serialize()))).toEqual(answers(reference));
    expect(await updated.serializeAsync()).toEqual(updated.serialize());
    expect(await reference.serializeAsync()).toEqual(reference.serialize());
  });

  it('a passage added by one update can be removed by the next', async () => {
    const first = await buildLexicalIndex(TEXTS).update({ remove: [], add: [{ label: 6, text: 'zebra zebra stripes' }] });
    expect(first.search('zebra', 3).map((hit) => hit.label)).toEqual([6, 0]);
    const second = await first.update({ remove: [{ label: 6, text: 'zebra zebra stripes' }], add: [] });
    expect(second.search('zebra', 3).map((hit) => hit.label)).toEqual([0]);
    expect(second.documentFrequency('stripe')).toBe(0);
    expect(first.search('zebra', 3).map((hit) => hit.label)).toEqual([6, 0]);
    expect(loadLexicalIndex(second.serialize()).search('stripes', 3)).toEqual([]);
  });

  it('refuses labels already in use', async () => {
    await expect(buildLexicalIndex(TEXTS).update({ remove: [], add: [{ label: 2, text: 'again' }] })).rejects.toThrow(/in use/);
  });
});

describe('HNSW in-place update', () => {
  const vectors = TEXTS.map((text) => hashedVector(text));

  it('the new view hides removed labels and finds added ones; the old view answers as before', async () => {
    const index = createHnswIndex(vectors[0]!.length, TEXTS.length, DEFAULT_HNSW_SETTINGS);
    vectors.forEach((vector, label) => index.add(vector, label));
    const query = hashedVector('river convoy zebra');
    const before = index.search(query, 10);

    const extra = hashedVector('zebra river convoy dawn');
    const updated = await index.update({ remove: [0], add: [{ label: 6, vector: extra }] });
    expect(updated.size).toBe(7);
    expect(updated.deleted).toBe(1);
    const labels = updated.search(query, 10).map((hit) => hit.label);
    expect(labels).toContain(6);
    expect(labels).not.toContain(0);
    expect(labels).toHaveLength(6);
    // The graph grew past its initial capacity (resizeIndex) and the old view never sees label 6.
    expect(index.search(query, 10)).toEqual(before);
    expect(index.size).toBe(TEXTS.length);
    // Only the newest view may be updated: the old one no longer owns the graph's end.
    await expect(index.update({ remove: [], add: [] })).rejects.toThrow(/newest/);
  });
});
