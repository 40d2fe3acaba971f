/**
 * The chunker's token counter, on the main thread: the one adapter over @huggingface/tokenizers
 * (the tokenizer library transformers.js itself builds its tokenizers with). Only the tokenizer
 * is loaded here, never transformers.js: importing transformers.js on the main thread (with
 * onnxruntime-node and everything else it pulls in) added ~170 MB of RSS to an ingest — on top of
 * the same libraries already loaded in the embedding worker — while the tokenizer alone adds ~7 MB
 * (measured 2026-12-02 with the worker loaded: +167–173 MB against +7 MB). The ids are the same
 * as transformers.js's `AutoTokenizer`: for the vendored models it constructs this very class
 * from the same two files (tokenizer.json, tokenizer_config.json).
 */
import { Tokenizer } from '@huggingface/tokenizers';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CitebotError } from '../core/errors.ts';
import type { TokenCounter } from '../corpus/split-paragraphs.ts';
import type { ModelSettings } from './model-settings.ts';

/** Tokenizers already loaded, by model folder: parsing tokenizer.json takes ~0.3 s, and each ingest asks again. */
const tokenCounters = new Map<string, Promise<TokenCounter>>();

/** A sync token counter from the model's own tokenizer (special tokens excluded); loaded once per model. */
export function loadTokenCounter(settings: ModelSettings): Promise<TokenCounter> {
  const key = path.join(settings.modelsDir, settings.modelId);
  let counter = tokenCounters.get(key);
  if (counter === undefined) {
    counter = createTokenCounter(settings);
    tokenCounters.set(key, counter);
    // A failed load is not remembered: the next ingest tries again (e.g. after the model was copied in).
    counter.catch(() => tokenCounters.delete(key));
  }
  return counter;
}

/** The files transformers.js's AutoTokenizer reads, in its order. */
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json'] as const;

async function createTokenCounter(settings: ModelSettings): Promise<TokenCounter> {
  const folder = path.join(settings.modelsDir, settings.modelId);
  const vendored = TOKENIZER_FILES.every((file) => existsSync(path.join(folder, file)));
  if (!vendored) {
    // Not in models/: only transformers.js knows how to download and cache it (when allowed).
    if (!settings.allowRemoteModels) throw new CitebotError('MODEL_MISSING', `The embedding model ${settings.modelId} is not in ${folder} and remote loading is off.`);
    return (await import('./transformers-model.ts')).loadRemoteTokenCounter(settings);
  }
  try {
    const [tokenizerJson, tokenizerConfig] = await Promise.all(TOKENIZER_FILES.map(async (file) => JSON.parse(await readFile(path.join(folder, file), 'utf8')) as object));
    const tokenizer = new Tokenizer(tokenizerJson as object, tokenizerConfig as object);
    return (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length;
  } catch (cause) {
    throw new CitebotError('MODEL_MISSING', `Could not load the tokenizer of ${settings.modelId}: ${String((cause as Error)?.message ?? cause)}`, { cause });
  }
}
