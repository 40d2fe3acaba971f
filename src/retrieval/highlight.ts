/**
 * The highlight: the sentence of a passage that best answers the question, chosen by the same
 * model that ranked the passage (cosine between the question and each sentence). Pure: the
 * caller embeds the sentences.
 */
import { splitSentences } from '../corpus/split-paragraphs.ts';
import { cosine } from './vector-math.ts';

/** Sentences of each passage; a one-sentence passage needs no embedding, so it is skipped by `sentencesToEmbed`. */
export function passageSentences(texts: readonly string[]): string[][] {
  return texts.map((text) => {
    const sentences = splitSentences(text);
    return sentences.length > 0 ? sentences : [text.trim()];
  });
}

/** The flat list of sentences that need embedding (those of passages with more than one sentence). */
export function sentencesToEmbed(sentences: readonly (readonly string[])[]): string[] {
  return sentences.flatMap((list) => (list.length > 1 ? list : []));
}

/** Picks the best sentence of each passage given the embedded sentences in `sentencesToEmbed` order. */
export function pickHighlights(sentences: readonly (readonly string[])[], vectors: readonly Float32Array[], query: Float32Array): string[] {
  let next = 0;
  return sentences.map((list) => {
    if (list.length <= 1) return list[0] ?? '';
    let best = 0;
    let bestScore = -Infinity;
    list.forEach((_, i) => {
      const score = cosine(query, vectors[next + i] as Float32Array);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    next += list.length;
    return list[best] as string;
  });
}
