/**
 * Names in a question that the documents never mention. A question about a specific named thing
 * ("ship logs to Splunk", "NATO's force in Kosovo") cannot be answered from documents that never
 * name it, however close the nearest passage is in topic: this is what separates most near-topic
 * questions from answerable ones, where the similarity scores overlap. Pure.
 *
 * A name is a word written with a capital letter that is not the first word of a sentence
 * (sentence-initial capitals say nothing), at least {@link MIN_NAME_LENGTH} characters long (so
 * units and short acronyms such as KB or US, which documents spell many ways, never count). It is
 * unknown when none of its index terms (the BM25 analyzer's: identifiers by parts, stemmed) occurs
 * in any passage — except a name written as one word (`OAuth`, `GraphQL`, `OpenTelemetry`), which
 * is known only as a whole: its camelCase parts ("auth", "graph", "open") occur in nearly any
 * technical text, so by parts such a name was never unknown.
 */
import { analyze } from '../lexical-index/analyzer.ts';

/** Shorter capitalised words are units and acronyms ("KB", "US") that documents write in other forms. */
const MIN_NAME_LENGTH = 3;

/**
 * A capitalised word (letters, digits, inner `.`/`-`/`_` such as `Node.js`, `GitHub`), not
 * preceded by the start of the text or by a sentence end. The pronoun "I" is too short to match.
 */
const NAME = /(?<!(?:^|[.?!:]\s+|["'“‘(\[]))\b\p{Lu}[\p{L}\p{N}]*(?:[.\-_][\p{L}\p{N}]+)*/gu;

/** A name of letters and digits only: its parts are case changes, not words the writer separated. */
const ONE_WORD = /^[\p{L}\p{N}]+$/u;

/**
 * The names in `question` none of whose index terms the documents hold, in question order, each
 * once. `isKnown(term)` says whether an analyzed term occurs in the index.
 */
export function unknownNames(question: string, isKnown: (term: string) => boolean): string[] {
  const unknown: string[] = [];
  for (const match of question.matchAll(NAME)) {
    const name = match[0];
    if (name.length < MIN_NAME_LENGTH || unknown.includes(name)) continue;
    const terms = analyze(name);
    // A stop word has no terms: nothing to look up, so nothing is claimed about it.
    if (terms.length === 0) continue;
    // analyze() puts the whole word first; a name with connectors (`Node.js`) may be written by its parts.
    const known = ONE_WORD.test(name) ? isKnown(terms[0] as string) : terms.some(isKnown);
    if (!known) unknown.push(name);
  }
  return unknown;
}
