/**
 * The retrieval engine: question → hybrid search → fused, de-duplicated, highlighted passages,
 * or an abstention. Transport-neutral: the console, the CLI and the Discord bot all use it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CitebotError } from '../core/errors.ts';
import { parseQuestion } from '../core/input.ts';
import type { Engine, Hit, IndexSummary, SearchMode, SearchOptions, SearchResult, SourceExcerpt } from '../core/types.ts';
import { splitLines } from '../corpus/split-paragraphs.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { LoadedIndex } from '../index-store/index-store.ts';
import { collapseDuplicates } from './collapse-duplicates.ts';
import { fuseRankings } from './fusion.ts';
import { passageSentences, pickHighlights, sentencesToEmbed } from './highlight.ts';
import { cosine } from './vector-math.ts';

export interface EngineSettings {
  readonly rootDir: string;
  /** Results returned when the caller does not say. */
  readonly defaultResults: number;
  /** Candidates taken from each signal before fusion: deep enough that a passage ranked well by one signal is not lost. */
  readonly candidates: number;
  /** Best query–passage cosine below which the engine abstains (per model, calibrated). */
  readonly abstainBelow: number;
  /** Vector similarity at which two passages count as the same text told twice. */
  readonly duplicateAbove: number;
  readonly maxQuestionLength: number;
}

export const DEFAULT_CANDIDATES = 50;

/** How many fused candidates per requested result are examined for near-duplicates. */
const DUPLICATE_WINDOW_FACTOR = 6;

const elapsed = (since: number) => performance.now() - since;

/** The trimmed question, or a QUERY_EMPTY / QUERY_TOO_LONG error saying what is wrong. */
export function validateQuestion(query: string, maxLength: number): string {
  const parsed = parseQuestion(query, maxLength);
  if (parsed.ok) return parsed.value;
  const { problem } = parsed;
  if (problem.kind === 'too-long') {
    throw new CitebotError('QUERY_TOO_LONG', `The question is ${problem.length} characters long; the limit is ${problem.max}.`);
  }
  throw new CitebotError('QUERY_EMPTY', 'The question is empty.');
}

export function createEngine(index: LoadedIndex, embedder: Embedder, settings: EngineSettings): Engine {
  const documents = index.manifest.files.map((file) => ({ file: file.file, paragraphs: file.paragraphs, lines: file.lines }));
  const knownFiles = new Map(documents.map((document) => [document.file, document]));
  const summary: IndexSummary = {
    modelId: index.manifest.model.id,
    builtAt: index.manifest.builtAt,
    documents,
    paragraphs: index.paragraphs.length,
  };

  async function search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const question = validateQuestion(query, settings.maxQuestionLength);
    const k = options.k ?? settings.defaultResults;
    const mode: SearchMode = options.mode ?? 'hybrid';
    const depth = Math.max(settings.candidates, k * 4);

    let mark = performance.now();
    const [queryVector] = await embedder.embed([question], 'query');
    const embedMs = elapsed(mark);
    if (queryVector === undefined) throw new CitebotError('EMBEDDER_FAILED', 'The embedder returned no vector.');

    mark = performance.now();
    const dense = mode === 'bm25' ? [] : index.vectors.search(queryVector, depth);
    const denseMs = elapsed(mark);
    mark = performance.now();
    const lexical = mode === 'dense' ? [] : index.lexical.search(question, depth);
    const bm25Ms = elapsed(mark);

    mark = performance.now();
    // Duplicates of a kept passage rank close to it (both signals see the same words and meaning),
    // so only the head of the fused list is compared; reading every candidate's vector back from
    // the graph cost more than the searches themselves.
    const ranked = fuseRankings(dense, lexical, mode).slice(0, k * DUPLICATE_WINDOW_FACTOR).map((candidate) => {
      const paragraph = index.paragraphs[candidate.label];
      if (paragraph === undefined) throw new CitebotError('INDEX_CORRUPT', `The index returned an unknown paragraph ${candidate.label}.`);
      return { ...candidate, paragraph, span: paragraph, vector: index.vectors.vector(candidate.label) };
    });
    const groups = collapseDuplicates(ranked, settings.duplicateAbove, k);
    // Abstain on meaning, whatever the mode: how close is the best passage to the question?
    const bestSimilarity = Math.max(-1, ...groups.map((group) => cosine(queryVector, group.best.vector)));
    const abstained = groups.length === 0 || bestSimilarity < settings.abstainBelow;
    const fusionMs = elapsed(mark);

    mark = performance.now();
    const sentences = passageSentences(groups.map((group) => group.best.paragraph.text), question);
    const sentenceVectors = await embedder.embed(sentencesToEmbed(sentences), 'passage');
    const highlights = pickHighlights(sentences, sentenceVectors, queryVector);
    const highlightMs = elapsed(mark);

    const hits: Hit[] = groups.map((group, i) => {
      const { file, startLine, endLine, text } = group.best.paragraph;
      return {
        file,
        startLine,
        endLine,
        text,
        score: group.best.score,
        signals: { ...group.best.signals, dense: group.best.signals.dense ?? cosine(queryVector, group.best.vector) },
        highlight: highlights[i] ?? text,
        alsoIn: group.alsoIn.map(({ file: f, startLine: s, endLine: e }) => ({ file: f, startLine: s, endLine: e })),
      };
    });
    return {
      query: question,
      abstained,
      bestSimilarity,
      hits,
      timings: { embed: embedMs, dense: denseMs, bm25: bm25Ms, fusion: fusionMs, highlight: highlightMs, total: elapsed(started) },
    };
  }

  async function source(file: string, startLine: number, endLine: number): Promise<SourceExcerpt> {
    // Only indexed files can be quoted: this is also what stops `../../etc/passwd`.
    const document = knownFiles.get(file.replace(/\\/g, '/').replace(/^\.\//, ''));
    if (document === undefined) throw new CitebotError('SOURCE_NOT_FOUND', `${file} is not an indexed document.`);
    if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
      throw new CitebotError('SOURCE_BAD_RANGE', `Lines ${startLine}-${endLine} are not a valid range.`);
    }
    const text = await readFile(path.resolve(settings.rootDir, document.file), 'utf8').catch((cause: unknown) => {
      throw new CitebotError('SOURCE_NOT_FOUND', `${document.file} cannot be read any more.`, { cause });
    });
    const lines = splitLines(text);
    if (endLine > lines.length) {
      throw new CitebotError('SOURCE_BAD_RANGE', `${document.file} has ${lines.length} lines; lines ${startLine}-${endLine} are outside it.`);
    }
    return {
      file: document.file,
      startLine,
      endLine,
      lines: lines.slice(startLine - 1, endLine).map((line, i) => ({ number: startLine + i, text: line })),
    };
  }

  return {
    search,
    source,
    summary: () => summary,
    close: () => embedder.close(),
  };
}
