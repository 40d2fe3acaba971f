/** The hashed test embedder is only useful if it behaves like an embedder: deterministic unit vectors whose cosine tracks shared words. */
import { describe, expect, it } from 'vitest';
import { cosine } from '../../src/retrieval/vector-math.ts';
import { contentWords, countTestTokens, createTestEmbedder, hashedVector, TEST_ABSTAIN_BELOW } from '../support/test-embedder.ts';

describe('contentWords', () => {
  it.each([
    ['drops stop words and one-letter words, lower-cases, strips plural -s', 'How many Troops will the U.S. keep?', ['troop', 'keep']],
    ["splits at apostrophes, so straight and curly quotes give the same words", 'Trump’s deal', ['trump', 'deal']],
    ['keeps numbers and words of other scripts', 'around 4,000 soldats über', ['around', '4', '000', 'soldat', 'über']],
    ['keeps "ss" endings', 'the class discuss', ['class', 'discuss']],
  ])('%s', (_what, text, expected) => {
    expect(contentWords(text)).toEqual(expected);
  });
});

describe('hashedVector', () => {
  it('is a unit vector, the same every time', () => {
    const a = hashedVector('NATO expands its training mission in Iraq');
    expect(a).toHaveLength(384);
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(Array.from(hashedVector('NATO expands its training mission in Iraq'))).toEqual(Array.from(a));
  });

  it('scores shared content words above the abstention threshold and unrelated texts below it', () => {
    const passage = hashedVector('NATO will expand its training mission in Iraq to around 4,000 personnel, the alliance said.');
    const onTopic = hashedVector('How many personnel will the NATO training mission in Iraq have?');
    const offTopic = hashedVector('What is the best recipe for chocolate chip cookies?');
    expect(cosine(passage, onTopic)).toBeGreaterThan(TEST_ABSTAIN_BELOW * 2);
    expect(Math.abs(cosine(passage, offTopic))).toBeLessThan(TEST_ABSTAIN_BELOW / 2);
  });

  it('gives a text without content words a unit vector too (the index rejects zero vectors)', () => {
    expect(cosine(hashedVector('the of and'), hashedVector('?'))).toBeCloseTo(1, 6);
  });
});

describe('createTestEmbedder', () => {
  it('counts what it embedded per kind and refuses work once closed', async () => {
    const embedder = createTestEmbedder({ dimension: 16 });
    await embedder.ready();
    const vectors = await embedder.embed(['one text', 'two texts'], 'passage');
    await embedder.embed(['a question'], 'query');
    expect(vectors.map((v) => v.length)).toEqual([16, 16]);
    expect(embedder.embedded).toEqual({ passage: 2, query: 1 });
    await embedder.close();
    expect(embedder.closed).toBe(true);
    await expect(embedder.embed(['late'], 'query')).rejects.toMatchObject({ code: 'EMBEDDER_FAILED' });
  });
});

describe('countTestTokens', () => {
  it.each([
    ['', 0],
    ['one', 2], // 1.3 rounded up: never fewer tokens than words
    ['NATO will expand its mission', 7],
    ['  spaced\n\tout  ', 3],
  ])('%j → %i', (text, expected) => {
    expect(countTestTokens(text)).toBe(expected);
  });
});
