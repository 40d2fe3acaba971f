/**
 * The vendored model, run through citebot's own embedding path (worker thread + transformers.js),
 * against vectors from an independent reference implementation (fp32 ONNX export, Python
 * onnxruntime + HF tokenizers; scripts/reference-embeddings.py).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { loadTokenCounter } from '../../src/embedding/token-counter.ts';
import { loadRemoteTokenCounter } from '../../src/embedding/transformers-model.ts';
import { WorkerEmbedder } from '../../src/embedding/worker-embedder.ts';
import { cosine } from '../../src/retrieval/vector-math.ts';
import { REPO_ROOT } from '../support/engine.ts';

interface ReferenceItem {
  readonly kind: 'passage' | 'query';
  readonly text: string;
  readonly vector: number[];
}
const reference = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/reference-embeddings.json'), 'utf8')) as {
  items: ReferenceItem[];
};

const settings = parseConfig({ CITEBOT_THREADS: '1' }, REPO_ROOT).model;
let embedder: WorkerEmbedder;

beforeAll(async () => {
  embedder = new WorkerEmbedder(settings);
  await embedder.ready();
});
afterAll(() => embedder.close());

describe('the vendored bge-small-en-v1.5', () => {
  it('produces 384-dimensional unit vectors', async () => {
    const [vector] = await embedder.embed(['NATO defence ministers met on Thursday.'], 'passage');
    expect(vector).toHaveLength(384);
    expect(cosine(vector!, vector!)).toBeCloseTo(1, 4);
  });

  it('matches the fp32 reference implementation (cosine ≥ 0.98) for passages and queries', async () => {
    for (const kind of ['passage', 'query'] as const) {
      const items = reference.items.filter((item) => item.kind === kind);
      expect(items.length).toBeGreaterThan(0);
      const vectors = await embedder.embed(items.map((item) => item.text), kind);
      items.forEach((item, i) => {
        expect(cosine(vectors[i]!, Float32Array.from(item.vector)), `${kind}: ${item.text.slice(0, 60)}`).toBeGreaterThanOrEqual(0.98);
      });
    }
  });

  it("applies bge's query instruction to questions only", async () => {
    const query = reference.items.find((item) => item.kind === 'query')!;
    const [asQuery] = await embedder.embed([query.text], 'query');
    const [asPassage] = await embedder.embed([query.text], 'passage');
    // The reference vector was computed with the instruction: the query form must match it, and
    // match it measurably better than the same text embedded without the instruction.
    const withInstruction = cosine(asQuery!, Float32Array.from(query.vector));
    const without = cosine(asPassage!, Float32Array.from(query.vector));
    expect(withInstruction).toBeGreaterThan(0.98);
    expect(withInstruction - without).toBeGreaterThan(0.01);
  });

  it('scores paraphrases clearly above unrelated sentences', async () => {
    const [a, paraphrase, unrelated] = await embedder.embed(
      [
        'NATO will expand its training mission in Iraq to about 4,000 personnel.',
        'The alliance is growing its Iraqi training operation to roughly four thousand people.',
        'Bake the bread for forty minutes until the crust is golden.',
      ],
      'passage',
    );
    const close = cosine(a!, paraphrase!);
    const far = cosine(a!, unrelated!);
    expect(close).toBeGreaterThan(0.8);
    expect(close - far).toBeGreaterThan(0.3);
  });

  it('gives the same vectors whatever order or batch the texts arrive in (length-sorted batching restores input order)', async () => {
    const texts = reference.items.filter((item) => item.kind === 'passage').map((item) => item.text);
    const forward = await embedder.embed(texts, 'passage');
    const backward = (await embedder.embed([...texts].reverse(), 'passage')).reverse();
    forward.forEach((vector, i) => expect(cosine(vector, backward[i]!)).toBeGreaterThan(0.99));
  });
});

describe('ONNX session options', () => {
  it('gives the same vectors with two intra-op threads that sleep between ops as with one (SESSION_CONFIG_ENTRIES changes waiting, not arithmetic)', async () => {
    const twoThreads = new WorkerEmbedder(parseConfig({ CITEBOT_THREADS: '2' }, REPO_ROOT).model);
    try {
      await twoThreads.ready();
      const texts = reference.items.map((item) => item.text);
      for (const kind of ['query', 'passage'] as const) {
        const [one, two] = [await embedder.embed(texts, kind), await twoThreads.embed(texts, kind)];
        one.forEach((vector, i) => vector.forEach((value, d) => expect(Math.abs(value - (two[i]?.[d] ?? Number.NaN))).toBeLessThanOrEqual(1e-6)));
      }
    } finally {
      await twoThreads.close();
    }
  });
});

describe('token counting for the chunker', () => {
  it("uses the model's own WordPiece tokenizer, special tokens excluded", async () => {
    const count = await loadTokenCounter(settings);
    expect(count('NATO')).toBe(1);
    expect(count('metastasizing')).toBeGreaterThan(1); // WordPiece splits rare words
    expect(count('')).toBe(0);
  });

  it("counts exactly as transformers.js's AutoTokenizer does (what the worker batches by)", async () => {
    const [light, full] = [await loadTokenCounter(settings), await loadRemoteTokenCounter(settings)];
    for (const item of reference.items) expect(light(item.text)).toBe(full(item.text));
    for (const text of ['NATO', 'metastasizing', 'Ünïcödé “quotes” — and ≥ 3 µm', '```ts\nconst x = 1;\n```', '']) expect(light(text)).toBe(full(text));
  });
});

describe('model loading errors', () => {
  it('a missing local model with remote loading off is a MODEL_MISSING error with a fix', async () => {
    const missing = new WorkerEmbedder({ ...settings, modelId: 'nobody/bge-small-en-v1.5' });
    await expect(missing.ready()).rejects.toMatchObject({ code: 'MODEL_MISSING' });
    await missing.close();
  });
});
