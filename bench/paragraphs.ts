/**
 * Real text for the benchmarks: paragraphs cut from the SciFact corpus (scientific abstracts).
 *
 * A paragraph is a run of consecutive sentences of one abstract. The first pass cuts every
 * abstract into non-overlapping runs of three sentences (≈ 90 model tokens, a typical paragraph of
 * prose); later passes shift the window or change its length, which yields further distinct
 * paragraphs of the same text when a run asks for more than the first pass holds (100k). Each pass
 * is shuffled with a fixed seed, so a run of any size samples the whole corpus and every run on
 * every machine sees the same paragraphs.
 */
import { readFile } from 'node:fs/promises';
import { splitSentences } from '../src/corpus/split-paragraphs.ts';

/** Window length and offset of each pass, in sentences. */
const PASSES: readonly (readonly [length: number, offset: number])[] = [
  [3, 0], [3, 1], [3, 2], [4, 0], [4, 2], [2, 1], [5, 0], [5, 3], [4, 1], [4, 3], [2, 0], [6, 0], [6, 3],
];

/** mulberry32: a tiny seeded PRNG, so shuffles are reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], seed: number): T[] {
  const next = random(seed);
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/** Sentences of each abstract (an abstract's own line breaks end sentences too). */
export async function readAbstracts(corpusFile: string): Promise<string[][]> {
  const lines = (await readFile(corpusFile, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => {
    const { text } = JSON.parse(line) as { text: string };
    return text.split(/\r?\n/).flatMap((part) => splitSentences(part)).map((sentence) => sentence.replace(/\s+/g, ' '));
  });
}

/** `count` distinct paragraphs (single lines of text), the same on every run. Throws when the corpus cannot give that many. */
export function cutParagraphs(abstracts: readonly (readonly string[])[], count: number, seed = 42): string[] {
  const seen = new Set<string>();
  const paragraphs: string[] = [];
  for (const [p, [length, offset]] of PASSES.entries()) {
    const pass: string[] = [];
    for (const sentences of abstracts) {
      for (let start = offset; start < sentences.length; start += length) {
        const text = sentences.slice(start, start + length).join(' ');
        // A short run (a title-like fragment, "Results:") would be dropped as a heading by the chunker: skip it.
        if (text.split(' ').length < 12 || seen.has(text)) continue;
        seen.add(text);
        pass.push(text);
      }
    }
    for (const text of shuffle(pass, seed + p)) {
      paragraphs.push(text);
      if (paragraphs.length === count) return paragraphs;
    }
  }
  throw new Error(`The corpus gives only ${paragraphs.length} distinct paragraphs; ${count} were asked for.`);
}

/** The query texts of a BEIR queries.jsonl, in file order. */
export async function readQueries(queriesFile: string): Promise<string[]> {
  const lines = (await readFile(queriesFile, 'utf8')).split('\n').filter((line) => line.trim() !== '');
  return lines.map((line) => (JSON.parse(line) as { text: string }).text);
}
