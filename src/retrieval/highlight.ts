/**
 * The highlight: the sentence of a passage that best answers the question, chosen by the same
 * model that ranked the passage (cosine between the question and each sentence). Pure: the
 * caller embeds the sentences.
 *
 * Embedding every sentence of every hit cost ~250 ms a query on 10-sentence abstracts (npm run
 * bench), so long passages first keep a shortlist: the sentences sharing the most analysed terms
 * with the question. The model then chooses among those.
 */
import { splitSentences } from '../corpus/split-paragraphs.ts';
import { analyze } from '../lexical-index/analyzer.ts';
import { cosine } from './vector-math.ts';

/** Most sentences of one passage that are embedded to choose its highlight. */
export const HIGHLIGHT_SHORTLIST = 3;

/** The sentences of `sentences` sharing the most terms with the query (at most `size`, in passage order). */
function shortlist(sentences: readonly string[], queryTerms: ReadonlySet<string>, size: number): string[] {
  if (sentences.length <= size) return [...sentences];
  const overlap = sentences.map((sentence, index) => ({
    index,
    shared: new Set(analyze(sentence).filter((term) => queryTerms.has(term))).size,
  }));
  const kept = overlap.sort((a, b) => b.shared - a.shared || a.index - b.index).slice(0, size);
  return kept.sort((a, b) => a.index - b.index).map(({ index }) => sentences[index] as string);
}

/** Candidate sentences of each passage; a one-sentence passage needs no embedding, so it is skipped by `sentencesToEmbed`. */
export function passageSentences(texts: readonly string[], query: string): string[][] {
  const queryTerms = new Set(analyze(query));
  return texts.map((text) => {
    const sentences = splitSentences(text);
    return sentences.length > 0 ? shortlist(sentences, queryTerms, HIGHLIGHT_SHORTLIST) : [text.trim()];
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
