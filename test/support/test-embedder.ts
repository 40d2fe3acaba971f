/**
 * A deterministic stand-in for the model, for tests whose subject is not the model (ingest, crash
 * safety, corruption, CLI and bot flows): a hashed bag of words. Each text's word tokens
 * (lower-cased, stop words and one-letter words other than digits dropped, a plural -s stripped) are hashed
 * (FNV-1a) into `dimension` buckets with a sign from the hash, counted, and the vector scaled to
 * unit length. The same words give the same vector on every machine; texts sharing content words
 * have a clearly positive cosine, texts sharing none ≈ 0. It loads nothing and starts no thread,
 * so a test that uses it runs in milliseconds instead of loading ONNX.
 */
import type { EmbeddingOverride } from '../../src/app.ts';
import { CitebotError } from '../../src/core/errors.ts';
import type { Embedder, EmbeddingKind, EmbeddingProgress } from '../../src/embedding/embedder.ts';
import { cosineOnlyRelevanceModel } from '../../src/retrieval/relevance-model.ts';

export const TEST_EMBEDDER_ID = 'citebot-test/hashed-bag-of-words';

/** The real model's dimension, so that code sized by it (HNSW, stored vectors) is exercised the same way. */
export const TEST_EMBEDDER_DIMENSION = 384;

/**
 * Cosine around which the relevance model of this embedder turns (below it: abstain; passages
 * after the first need it to be shown). On the seeds, on-topic questions share 3–6 content words
 * with their passage (cosine ≈ 0.3–0.6); off-topic ones (recipes, football) share none (≈ 0,
 * hash collisions aside).
 */
export const TEST_ABSTAIN_BELOW = 0.2;

const STOP_WORDS = new Set(
  'a an and are as at be but by did do does for from had has have how i if in into is it its many much of on or so that the their them then there these they this to was were what when where which who whom why will with would you your'.split(' '),
);

const WORD = /[\p{L}\p{N}]+/gu;
/** Shorter words are dropped ("s" of "Trump's"), except digits: numbers answer questions. */
const MIN_WORD_LENGTH = 2;
const DIGIT = /\p{N}/u;
/** Words longer than this lose a final plural "s" (so "troops" meets "troop", "is" stays). */
const PLURAL_MIN_LENGTH = 4;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnv1a(text: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, FNV_PRIME);
  }
  return hash >>> 0;
}

/** The content words of a text, as the test embedder counts them. Pure. */
export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? [])
    .filter((word) => (word.length >= MIN_WORD_LENGTH || DIGIT.test(word)) && !STOP_WORDS.has(word))
    .map((word) => (word.length >= PLURAL_MIN_LENGTH && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
}

/** The unit vector of a text. A text without content words gets a fixed vector of its own. Pure. */
export function hashedVector(text: string, dimension: number = TEST_EMBEDDER_DIMENSION): Float32Array {
  const vector = new Float32Array(dimension);
  for (const word of contentWords(text)) {
    const hash = fnv1a(word);
    vector[hash % dimension]! += hash & 0x80000000 ? -1 : 1;
  }
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < dimension; i++) vector[i]! *= scale;
  return vector;
}

export interface TestEmbedder extends Embedder {
  /** Texts embedded so far, per kind (tests assert what was, and was not, embedded). */
  readonly embedded: { readonly passage: number; readonly query: number };
  readonly closed: boolean;
}

export function createTestEmbedder(options: { readonly dimension?: number } = {}): TestEmbedder {
  const dimension = options.dimension ?? TEST_EMBEDDER_DIMENSION;
  const embedded = { passage: 0, query: 0 };
  let closed = false;
  return {
    modelId: TEST_EMBEDDER_ID,
    dimension,
    embedded,
    get closed() {
      return closed;
    },
    async ready() {
      if (closed) throw new CitebotError('EMBEDDER_FAILED', 'The test embedder was closed.');
    },
    async embed(texts: readonly string[], kind: EmbeddingKind, onProgress?: (progress: EmbeddingProgress) => void) {
      if (closed) throw new CitebotError('EMBEDDER_FAILED', 'The test embedder was closed.');
      embedded[kind] += texts.length;
      const vectors = texts.map((text) => hashedVector(text, dimension));
      onProgress?.({ done: texts.length, total: texts.length });
      return vectors;
    },
    async close() {
      closed = true;
    },
  };
}

/** English text averages about this many WordPiece tokens a word (bge's tokenizer on the seeds: 1.3). */
const TOKENS_PER_WORD = 1.3;

/** The test embedder's token count: words × {@link TOKENS_PER_WORD}, so chunking needs no tokenizer (and no transformers.js). Pure. */
export function countTestTokens(text: string): number {
  const words = text.split(/\s+/).filter((word) => word !== '').length;
  return Math.ceil(words * TOKENS_PER_WORD);
}

/**
 * The test embedder with its relevance model (the cosine-only stand-in turning at
 * {@link TEST_ABSTAIN_BELOW}) and token counter, as `openCitebot(config, { embedding })` takes them.
 */
export function createTestEmbedding(options: { readonly dimension?: number } = {}): EmbeddingOverride & { readonly embedder: TestEmbedder } {
  return {
    embedder: createTestEmbedder(options),
    relevance: cosineOnlyRelevanceModel(TEST_EMBEDDER_ID, TEST_ABSTAIN_BELOW),
    countTokens: countTestTokens,
  };
}
