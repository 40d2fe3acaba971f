/**
 * Text analysis for the lexical (BM25) index: the same steps Lucene's English analyzer applies,
 * which is the setup behind the BM25 figures published for BEIR. The stemmer is the one adapter
 * over the `stemmer` package (Porter).
 */
import { stemmer } from 'stemmer';

/** Lucene's default English stop words (EnglishAnalyzer.ENGLISH_STOP_WORDS_SET) plus common question words. */
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
  'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
  // Question words carry no topic; leaving them in makes every question match every "what" in the corpus.
  'what', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'do', 'does', 'did', 'has', 'have', 'had',
  'were', 'been', 'can', 'could', 'would', 'should', 'about',
]);

/** Splits on anything that is not a letter or digit; keeps words like 9,600 together as "9600". */
const WORD = /[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu;

/** Analysed terms of a text: lower-cased, stop words removed, Porter-stemmed. Pure. */
export function analyze(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.toLowerCase().matchAll(WORD)) {
    const word = match[0].replace(/[.,]/g, '').replace(/['’]s$/, '').replace(/['’]/g, '');
    if (word === '' || STOP_WORDS.has(word)) continue;
    terms.push(stemmer(word));
  }
  return terms;
}
