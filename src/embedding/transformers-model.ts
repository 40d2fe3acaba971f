/**
 * The one adapter over @huggingface/transformers (transformers.js, ONNX Runtime underneath).
 * Runs inside the embedding worker (see embedding-worker.ts). The main thread counts tokens for
 * the chunker with the tokenizer library alone (token-counter.ts), not with this module.
 */
import { AutoTokenizer, env, pipeline, type FeatureExtractionPipeline, type PreTrainedTokenizer } from '@huggingface/transformers';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ModelSettings } from './model-settings.ts';
import { CitebotError } from '../core/errors.ts';
import type { TokenCounter } from '../corpus/split-paragraphs.ts';
import type { EmbeddingKind } from './embedder.ts';
import { modelProfile, type ModelProfile } from './model-profiles.ts';

/** Points transformers.js at the vendored models; the network is used only when the user allows it. */
function configureModelLoading(settings: ModelSettings): void {
  env.localModelPath = settings.modelsDir + path.sep;
  env.allowLocalModels = true;
  env.allowRemoteModels = settings.allowRemoteModels;
  const vendored = path.join(settings.modelsDir, settings.modelId);
  if (!settings.allowRemoteModels && !existsSync(path.join(vendored, 'config.json'))) {
    throw new CitebotError('MODEL_MISSING', `The embedding model ${settings.modelId} is not in ${vendored} and remote loading is off.`);
  }
}

function modelLoadError(settings: ModelSettings, cause: unknown): CitebotError {
  return new CitebotError('MODEL_MISSING', `Could not load the embedding model ${settings.modelId}: ${String((cause as Error)?.message ?? cause)}`, { cause });
}

/**
 * A token counter from transformers.js's own tokenizer, for a model that is not vendored (remote
 * loading allowed): only transformers.js downloads and caches models. A vendored model's tokenizer
 * is loaded without transformers.js (token-counter.ts), which calls this otherwise.
 */
export async function loadRemoteTokenCounter(settings: ModelSettings): Promise<TokenCounter> {
  configureModelLoading(settings);
  let tokenizer: PreTrainedTokenizer;
  try {
    tokenizer = await AutoTokenizer.from_pretrained(settings.modelId);
  } catch (cause) {
    throw modelLoadError(settings, cause);
  }
  return (text) => tokenizer.encode(text, { add_special_tokens: false }).length;
}

export interface LoadedModel {
  readonly dimension: number;
  readonly profile: ModelProfile;
  /** Model tokens the text becomes when embedded as `kind` (prefix and special tokens included, before truncation). */
  countTokens(text: string, kind: EmbeddingKind): number;
  /** Embeds one batch; texts of similar length should be batched together (padding is to the longest). */
  embedBatch(texts: readonly string[], kind: EmbeddingKind): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

/**
 * ONNX Runtime session config entries (onnxruntime_session_options_config_keys.h; the Node
 * binding turns nested keys into `session.intra_op.allow_spinning`). By default the intra-op
 * pool's threads spin while they wait for work, at full CPU: between the ops of one question's
 * run and for a while after it, just when the main thread needs a core for retrieval, on a
 * machine of 2 cores shared with other work. Asleep instead, on the shared 2-core machine (load
 * 13, 8 ms of other work on the calling thread after each question, 200 SciFact questions,
 * configurations interleaved; scratch/embed-threads.mts), a question's embedding took p50 53.7 →
 * 35.6 ms, p99 145 → 87 ms, CPU 40.3 → 31.5 ms; one thread instead of two: p50 39.1, p99 119.
 * Ingest throughput did not drop (3.6 → 3.9 paragraphs/s in the same conditions,
 * scratch/embed-batch.mts). Vectors are bit-identical: the same kernels run, only waiting differs.
 */
export const SESSION_CONFIG_ENTRIES = { session: { intra_op: { allow_spinning: '0' } } } as const;

export async function loadModel(settings: ModelSettings): Promise<LoadedModel> {
  const profile = modelProfile(settings.modelId);
  configureModelLoading(settings);
  let extractor: FeatureExtractionPipeline;
  try {
    extractor = await pipeline('feature-extraction', settings.modelId, {
      dtype: settings.dtype,
      device: 'cpu',
      session_options: {
        // Deliberate: one intra-op pool sized to the cores we were given, no inter-op parallelism
        // (a BERT encoder is one sequential chain of ops), so two ONNX pools never fight for 2 cores.
        intraOpNumThreads: settings.threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        extra: SESSION_CONFIG_ENTRIES,
      },
    });
  } catch (cause) {
    throw modelLoadError(settings, cause);
  }

  const prefixFor = (kind: EmbeddingKind) => (kind === 'query' ? profile.queryPrefix : profile.passagePrefix);
  const countTokens = (text: string, kind: EmbeddingKind) => extractor.tokenizer.encode(prefixFor(kind) + text).length;
  const embedBatch = async (texts: readonly string[], kind: EmbeddingKind): Promise<Float32Array[]> => {
    const prefix = prefixFor(kind);
    const output = await extractor(texts.map((text) => prefix + text), { pooling: profile.pooling, normalize: true });
    const [rows, dimension] = output.dims as [number, number];
    const data = output.data as Float32Array;
    const vectors = Array.from({ length: rows }, (_, row) => data.slice(row * dimension, (row + 1) * dimension));
    output.dispose();
    return vectors;
  };

  const probe = await embedBatch(['citebot'], 'passage');
  return {
    dimension: probe[0]?.length ?? 0,
    profile,
    countTokens,
    embedBatch,
    dispose: () => extractor.dispose(),
  };
}
