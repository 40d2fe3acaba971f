/**
 * The ceiling: the fastest these paragraphs can be embedded on this machine with this model — a
 * bare loop over onnxruntime-node, the runtime transformers.js itself uses, with the paragraphs
 * tokenized beforehand (not timed), sorted by length and cut into batches, and nothing else
 * (no worker thread, no index, no files). Same model file, same thread settings as citebot.
 */
import { AutoTokenizer, env } from '@huggingface/transformers';
import ort from 'onnxruntime-node';
import path from 'node:path';

export interface CeilingSettings {
  readonly modelsDir: string;
  readonly modelId: string;
  readonly threads: number;
  readonly batchSize: number;
  /** Longest input in tokens, [CLS] and [SEP] included (the model's limit). */
  readonly maxTokens: number;
}

export interface CeilingResult {
  readonly paragraphs: number;
  /** Model tokens, [CLS]/[SEP] and padding excluded. */
  readonly tokens: number;
  /** Time spent in session.run (plus building the input tensors and pooling), not tokenizing. */
  readonly seconds: number;
}

async function loadTokenizer(settings: Pick<CeilingSettings, 'modelsDir' | 'modelId'>) {
  env.localModelPath = settings.modelsDir + path.sep;
  env.allowRemoteModels = false;
  return AutoTokenizer.from_pretrained(settings.modelId);
}

/** Model tokens of the texts ([CLS]/[SEP] excluded, truncated as the model would). */
export async function countTokens(config: { readonly model: Pick<CeilingSettings, 'modelsDir' | 'modelId'> }, texts: readonly string[]): Promise<number> {
  const tokenizer = await loadTokenizer(config.model);
  return texts.reduce((sum, text) => sum + Math.min(tokenizer.encode(text).length, 512) - 2, 0);
}

/** Embeds `texts` (CLS pooling, unit length) and times the inference loop. */
export async function measureCeiling(texts: readonly string[], settings: CeilingSettings): Promise<CeilingResult> {
  const modelDir = path.join(settings.modelsDir, settings.modelId);
  const tokenizer = await loadTokenizer(settings);
  const session = await ort.InferenceSession.create(path.join(modelDir, 'onnx', 'model_quantized.onnx'), {
    intraOpNumThreads: settings.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const encoded = texts.map((text) => tokenizer.encode(text).slice(0, settings.maxTokens));
  const order = encoded.map((_, i) => i).sort((a, b) => (encoded[a] as number[]).length - (encoded[b] as number[]).length);
  const needsTypes = session.inputNames.includes('token_type_ids');

  const run = async (batch: readonly number[]) => {
    const width = Math.max(...batch.map((i) => (encoded[i] as number[]).length));
    const ids = new BigInt64Array(batch.length * width);
    const mask = new BigInt64Array(batch.length * width);
    batch.forEach((index, row) => {
      (encoded[index] as number[]).forEach((id, column) => {
        ids[row * width + column] = BigInt(id);
        mask[row * width + column] = 1n;
      });
    });
    const dims = [batch.length, width];
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor('int64', ids, dims),
      attention_mask: new ort.Tensor('int64', mask, dims),
      ...(needsTypes ? { token_type_ids: new ort.Tensor('int64', new BigInt64Array(batch.length * width), dims) } : {}),
    };
    const output = await session.run(feeds);
    const hidden = output['last_hidden_state'] ?? Object.values(output)[0];
    if (hidden === undefined) throw new Error('the model returned no output');
    const data = hidden.data as Float32Array;
    const [, sequence, dimension] = hidden.dims as [number, number, number];
    for (let row = 0; row < batch.length; row++) {
      const cls = data.subarray(row * sequence * dimension, row * sequence * dimension + dimension);
      const norm = Math.hypot(...cls);
      for (let i = 0; i < dimension; i++) (cls[i] as number) /= norm;
    }
  };

  await run(order.slice(0, Math.min(settings.batchSize, order.length))); // warm-up: first run allocates
  const started = performance.now();
  for (let start = 0; start < order.length; start += settings.batchSize) await run(order.slice(start, start + settings.batchSize));
  const seconds = (performance.now() - started) / 1000;
  await session.release();
  return { paragraphs: texts.length, tokens: encoded.reduce((sum, ids) => sum + ids.length - 2, 0), seconds };
}
