/**
 * What each supported embedding model expects, from its model card. Getting these wrong does not
 * crash anything; it silently ruins retrieval, which is why they live in one reviewed table.
 */
import { CitebotError } from '../core/errors.ts';

export type Pooling = 'cls' | 'mean';

export interface ModelProfile {
  /** How token vectors become one sentence vector. */
  readonly pooling: Pooling;
  /** Prepended to questions (bge's instruction, e5's `query: `). */
  readonly queryPrefix: string;
  /** Prepended to passages at ingest (e5's `passage: `). */
  readonly passagePrefix: string;
  /**
   * Longest passage in tokens: the model's input limit less [CLS], [SEP] and the passage prefix.
   * Longer paragraphs are split at sentence boundaries instead of being silently truncated.
   */
  readonly chunkTokens: number;
  /**
   * Cosine similarity (query vs best passage) below which citebot abstains. Calibrated per model
   * on test/fixtures/seed-questions.json with `npm run calibrate` — never a guess: bge scores
   * relevant passages far lower than MiniLM does, so one fixed value cannot serve both.
   */
  readonly abstainBelow: number;
  /**
   * How much of the question's background cosine (its cosine to the `backgroundRank`-th nearest
   * passage) the abstention rule subtracts before comparing with `abstainBelow`: a cosine is high
   * or low only against what the same question scores on passages it is merely near. 0 is the
   * plain cosine rule (models not calibrated for it).
   */
  readonly backgroundWeight: number;
  readonly backgroundRank: number;
  /**
   * The fused score (retrieval/fusion.ts, 1 = first by every signal) a passage after the first
   * must reach, besides the abstention rule, to be shown. 0 = no such bar (models not calibrated for it).
   */
  readonly showFusedAtLeast: number;
  /** Two passages whose vectors are at least this similar are the same passage told twice (collapsed, cited together). */
  readonly duplicateAbove: number;
}

const PROFILES: Readonly<Record<string, ModelProfile>> = {
  // https://huggingface.co/BAAI/bge-small-en-v1.5 — CLS pooling, instruction on queries only.
  'bge-small-en-v1.5': {
    pooling: 'cls',
    queryPrefix: 'Represent this sentence for searching relevant passages: ',
    passagePrefix: '',
    chunkTokens: 512 - 2,
    // cosine − ½ × the 50th neighbour's cosine ≥ 0.343 (before: cosine ≥ 0.635). Chosen on the seeds and
    // pino-docs question sets: the weight that best separates answerable from unanswerable questions
    // across both corpora with one threshold (pooled AUC 0.869; cosine alone 0.789), the threshold the
    // highest that abstains on ≤ 3 % of answerable questions on each. docs/design.md has the numbers.
    abstainBelow: 0.343,
    backgroundWeight: 0.5,
    backgroundRank: 50,
    // On the seeds and pino-docs, passages after the first overlap a gold span about one time in five
    // at any fused bar from 0.60 to 0.79 (0.17–0.25); 0.74 is where that pooled precision reaches its
    // plateau (0.24). It cuts passages per answer from 4.5 to 1.4. docs/design.md has the numbers.
    showFusedAtLeast: 0.74,
    duplicateAbove: 0.95,
  },
  // https://huggingface.co/intfloat/e5-small-v2 — mean pooling, "query: " / "passage: " prefixes are required.
  'e5-small-v2': {
    pooling: 'mean',
    queryPrefix: 'query: ',
    passagePrefix: 'passage: ',
    chunkTokens: 512 - 2 - 3, // "passage: " is 3 tokens
    abstainBelow: 0.836,
    backgroundWeight: 0,
    backgroundRank: 50,
    showFusedAtLeast: 0,
    duplicateAbove: 0.97,
  },
  // https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2 — mean pooling; trained on 128 tokens, capped at 256.
  'all-MiniLM-L6-v2': {
    pooling: 'mean',
    queryPrefix: '',
    passagePrefix: '',
    chunkTokens: 256 - 2,
    abstainBelow: 0.577,
    backgroundWeight: 0,
    backgroundRank: 50,
    showFusedAtLeast: 0,
    duplicateAbove: 0.92,
  },
};

/** The profile of a model id such as `Xenova/bge-small-en-v1.5` or `BAAI/bge-small-en-v1.5` (matched on the name after the owner). */
export function modelProfile(modelId: string): ModelProfile {
  const name = modelId.split('/').at(-1) ?? modelId;
  const profile = PROFILES[name];
  if (profile === undefined) {
    throw new CitebotError('MODEL_UNSUPPORTED', `No profile for the embedding model "${modelId}" (known: ${Object.keys(PROFILES).join(', ')}).`, {
      hint: 'Add its pooling, prefixes and a calibrated abstention threshold to src/embedding/model-profiles.ts.',
    });
  }
  return profile;
}

export function knownModelNames(): string[] {
  return Object.keys(PROFILES);
}
