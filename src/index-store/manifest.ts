/**
 * The manifest of a saved index: what it was built from and with. Validated on load so that an
 * index built with another model or other settings is rebuilt, never silently misused.
 */
import { z } from 'zod';
import { RETRIEVAL_CONTEXTS } from '../corpus/retrieval-context.ts';

/**
 * Bump when the on-disk layout or the meaning of a field changes; an index of another version is
 * rebuilt (INDEX_STALE). 2: the BM25 index is the packed binary `bm25.bin` (was MiniSearch JSON).
 * 3: passages come from the structure-aware chunker and carry `headings` and `kind`; files carry
 * their `title`; vectors and BM25 see each passage with its context (`chunking.context`).
 */
export const SCHEMA_VERSION = 3;

const artifactSchema = z.object({ bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

export const manifestSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  builtAt: z.iso.datetime(),
  model: z.object({
    id: z.string(),
    dtype: z.string(),
    dimension: z.number().int().positive(),
    pooling: z.enum(['cls', 'mean']),
    queryPrefix: z.string(),
    passagePrefix: z.string(),
  }),
  chunking: z.object({
    maxTokens: z.number().int().positive(),
    headingMaxWords: z.number().int().nonnegative(),
    /** What retrieval sees besides each passage's own lines (corpus/retrieval-context.ts). */
    context: z.enum(RETRIEVAL_CONTEXTS),
    /** Versions of the passage rules and of the BM25 analyzer the index was built with: other rules mean other passages or terms. */
    passageRules: z.number().int().positive(),
    analyzer: z.number().int().positive(),
  }),
  hnsw: z.object({ m: z.number().int().positive(), efConstruction: z.number().int().positive() }),
  files: z.array(
    z.object({
      file: z.string(),
      /** The document's title (front matter, first heading, first line or file name). */
      title: z.string(),
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      lines: z.number().int().nonnegative(),
      paragraphs: z.number().int().nonnegative(),
    }),
  ),
  paragraphCount: z.number().int().nonnegative(),
  artifacts: z.object({ paragraphs: artifactSchema, vectors: artifactSchema, lexical: artifactSchema }),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type ArtifactName = keyof Manifest['artifacts'];

/** File names of the artifacts inside one index generation folder. */
export const ARTIFACT_FILES: Readonly<Record<ArtifactName, string>> = {
  paragraphs: 'paragraphs.json',
  vectors: 'vectors.hnsw',
  lexical: 'bm25.bin',
};

/** The settings an index must have been built with to be usable now. */
export type BuildSettings = Pick<Manifest, 'model' | 'chunking' | 'hnsw'>;

/** Why an index built with `built` cannot serve `wanted` (empty when it can). */
export function settingsMismatches(built: BuildSettings, wanted: BuildSettings): string[] {
  const reasons: string[] = [];
  const compare = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) reasons.push(`${what} changed (${JSON.stringify(a)} → ${JSON.stringify(b)})`);
  };
  compare('model', built.model, wanted.model);
  compare('chunking', built.chunking, wanted.chunking);
  compare('HNSW settings', built.hnsw, wanted.hnsw);
  return reasons;
}
