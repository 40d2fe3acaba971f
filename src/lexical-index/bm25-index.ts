/** The one adapter over MiniSearch, used as a BM25 index over paragraph texts. */
import MiniSearch, { type Options } from 'minisearch';
import { analyze } from './analyzer.ts';

export interface LexicalHit {
  readonly label: number;
  readonly score: number;
}

export interface LexicalIndex {
  search(query: string, k: number): LexicalHit[];
  serialize(): string;
}

interface Entry {
  readonly id: number;
  readonly text: string;
}

// The analyzer already lower-cases, stems and drops stop words; MiniSearch only needs to keep its terms.
const OPTIONS: Options<Entry> = {
  fields: ['text'],
  idField: 'id',
  storeFields: [],
  tokenize: analyze,
  processTerm: (term) => term,
  searchOptions: { combineWith: 'OR', prefix: false, fuzzy: false },
};

class MiniSearchBm25 implements LexicalIndex {
  readonly #index: MiniSearch<Entry>;

  constructor(index: MiniSearch<Entry>) {
    this.#index = index;
  }

  search(query: string, k: number): LexicalHit[] {
    if (analyze(query).length === 0) return [];
    return this.#index
      .search(query)
      .slice(0, k)
      .map((result) => ({ label: result.id as number, score: result.score }));
  }

  serialize(): string {
    return JSON.stringify(this.#index);
  }
}

export function buildLexicalIndex(texts: readonly string[]): LexicalIndex {
  const index = new MiniSearch<Entry>(OPTIONS);
  index.addAll(texts.map((text, id) => ({ id, text })));
  return new MiniSearchBm25(index);
}

/** Texts indexed per turn of the event loop by {@link buildLexicalIndexAsync}. */
const LEXICAL_CHUNK = 500;

/** As {@link buildLexicalIndex}, in chunks that let the event loop run between them (a bot's heartbeats, a progress bar). */
export async function buildLexicalIndexAsync(texts: readonly string[]): Promise<LexicalIndex> {
  const index = new MiniSearch<Entry>(OPTIONS);
  await index.addAllAsync(texts.map((text, id) => ({ id, text })), { chunkSize: LEXICAL_CHUNK });
  return new MiniSearchBm25(index);
}

/** Restores a serialized index; throws when the JSON is not a MiniSearch index of this version. */
export function loadLexicalIndex(json: string): LexicalIndex {
  return new MiniSearchBm25(MiniSearch.loadJSON<Entry>(json, OPTIONS));
}
