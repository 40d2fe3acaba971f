/**
 * The retrieval engine: question → hybrid search → fused, de-duplicated passages, each weighed
 * by the calibrated relevance model → the relevant ones with their answer highlighted, or an
 * abstention. Transport-neutral: the console, the CLI and the Discord bot all use it.
 */
import { CitebotError, notIndexedError } from '../core/errors.ts';
import { describeRangePastEnd, parseQuestion } from '../core/input.ts';
import type { Engine, Evidence, Hit, IndexedParagraph, IndexSummary, SearchMode, SearchOptions, SearchResult, SourceExcerpt, SourceSpan } from '../core/types.ts';
import { isMarkdownFile } from '../corpus/chunk-document.ts';
import { readCitedText } from '../corpus/read-indexed-file.ts';
import { borrowsPrevious, lexicalTextAt, type RetrievalContext } from '../corpus/retrieval-context.ts';
import { splitLines } from '../corpus/split-paragraphs.ts';
import type { Embedder } from '../embedding/embedder.ts';
import type { LoadedIndex } from '../index-store/index-store.ts';
import { analyze } from '../lexical-index/analyzer.ts';
import { createBoundedCache } from './bounded-cache.ts';
import { collapseDuplicates, comparableText } from './collapse-duplicates.ts';
import { answerTypes, holdsAnyAnswerType, questionWords } from './answer-types.ts';
import { lendersFirst } from './borrowed-words.ts';
import { computeEvidence, termCoverage } from './evidence.ts';
import { fuseRankings } from './fusion.ts';
import { pickHighlight } from './highlight.ts';
import { relevanceProbability, type RelevanceModel } from './relevance-model.ts';
import { unknownNames } from './unknown-names.ts';
import { cosine } from './vector-math.ts';

export interface EngineSettings {
  readonly rootDir: string;
  /** Results returned when the caller does not say. */
  readonly defaultResults: number;
  /** Candidates taken from each signal before fusion: deep enough that a passage ranked well by one signal is not lost. */
  readonly candidates: number;
  /**
   * The model that decides: the probability that a passage answers the question (reported on each
   * hit), the abstention point and the point a passage after the first must pass to be shown.
   */
  readonly relevance: RelevanceModel;
  /**
   * Which nearest passage's cosine is the question's background (evidence.ts `BACKGROUND_COSINE`):
   * deep enough that it is a passage the question is near, not one that answers it.
   */
  readonly backgroundRank: number;
  /**
   * The fused score (fusion.ts; 1 = ranked first by every signal) a passage after the first must
   * also reach to be shown: relevance by meaning alone passes nearly every candidate on docs, where
   * all passages are near the question. 0 shows every passage the relevance model passes.
   */
  readonly showFusedAtLeast: number;
  /** Vector similarity at which two passages count as the same thing said twice (listed as similar wording). */
  readonly duplicateAbove: number;
  readonly maxQuestionLength: number;
  /** What the lexical index saw besides each passage (so evidence is computed over the same text). */
  readonly retrievalContext: RetrievalContext;
  /** Pick highlights (off in evaluation runs that only score rankings). */
  readonly highlight?: boolean;
  /**
   * The model whose probability orders the candidate pool (a trained one weighs more evidence than
   * the fused score); absent, the fused order stands. It may differ from `relevance`: a model can
   * rank well and still not tell an unanswerable question from an answerable one.
   */
  readonly ranking?: RelevanceModel;
  /** The documents folder (default: the root): `/source` reads only files whose real path is inside it. */
  readonly documentsDir?: string;
  /** CITEBOT_CITATION_PREFIX, to map a citation back to its file. */
  readonly citationPrefix?: string | undefined;
  /** Called when `/source` finds a cited file changed, moved or swapped since it was indexed: re-index. */
  readonly onDocumentChanged?: (file: string) => void;
}

export const DEFAULT_CANDIDATES = 50;

/**
 * Distinct passages weighed by the relevance model before the best k are kept: a passage the
 * fused score ranks 8th can still be the one that answers.
 */
const RERANK_POOL = 10;

/** How many fused candidates per requested result are examined for duplicates and relevance. */
const DUPLICATE_WINDOW_FACTOR = 6;

const elapsed = (since: number) => performance.now() - since;

/**
 * Passages whose derived values (vector, comparable text, analysed terms) each engine keeps. A
 * question reads ~60 candidates; related questions share many. Sized for memory, not hit rate:
 * 4,096 vectors of 384 floats are ~6 MB, 4,096 term sets of a ~90-word passage ~10 MB.
 */
const PASSAGE_CACHE_SIZE = 4096;

/**
 * BM25 candidates whose vectors are read while the question is embedded. The fused duplicate
 * window (RERANK_POOL × DUPLICATE_WINDOW_FACTOR candidates) held BM25 ranks 1–32 for ≥ 75 % of
 * the bench's questions at 10k passages (and ranks 1–24 for 99 %; scratch/window-ranks.mts), so
 * almost every read done early is one the duplicate check would do later; deeper ranks rarely are.
 */
const PREFETCH_LEXICAL = 32;

/**
 * Of those, how many also have their terms analysed early (for the evidence of the groups kept):
 * BM25 ranks 1–6 were a kept group's best passage for ≥ 63 % of the bench's questions, rank 10
 * for 23 % (scratch/window-ranks.mts), and an analysis costs more than a vector read.
 */
const PREFETCH_TERMS = 6;

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

const overlaps = (a: SourceSpan, b: SourceSpan) => a.file === b.file && a.startLine <= b.endLine && b.startLine <= a.endLine;

/** What the show rule weighs for one candidate, in shown order. */
export interface ShowEvidence {
  /** The decision model's probability that the passage answers the question. */
  readonly relevance: number;
  /** Its fused score (fusion.ts), 0–1. */
  readonly fused: number;
}

/** The bars a passage after the first must pass to be shown (both). */
export interface ShowBar {
  readonly relevance: number;
  readonly fused: number;
}

/**
 * Which groups are shown. After the first passage, a passage is shown only if it is itself
 * relevant by the same evidence (the decision model's probability and the fused score, both at
 * their bar) — never to fill k; the first that falls short ends the answer. An abstention shows
 * the closest passages for transparency (labelled as not an answer); `explain` shows the best k
 * whatever their relevance.
 */
export function passagesToShow(candidates: readonly ShowEvidence[], k: number, bar: ShowBar, abstained: boolean, explain: boolean): number {
  const limit = Math.min(k, candidates.length);
  if (explain || abstained) return limit;
  let shown = Math.min(1, limit);
  while (shown < limit) {
    const next = candidates[shown] as ShowEvidence;
    if (next.relevance < bar.relevance || next.fused < bar.fused) break;
    shown++;
  }
  return shown;
}

export function createEngine(index: LoadedIndex, embedder: Embedder, settings: EngineSettings): Engine {
  const documents = index.manifest.files.map((file) => ({ file: file.file, paragraphs: file.paragraphs, lines: file.lines }));
  const knownFiles = new Map(documents.map((document) => [document.file, document]));
  const titles = new Map(index.manifest.files.map((file) => [file.file, file.title]));
  const hashes = new Map(index.manifest.files.map((file) => [file.file, file.sha256]));
  const scheme = { rootDir: settings.rootDir, documentsDir: settings.documentsDir ?? settings.rootDir, prefix: settings.citationPrefix };
  const summary: IndexSummary = {
    modelId: index.manifest.model.id,
    builtAt: index.manifest.builtAt,
    documents,
    // Not index.paragraphs.length: passages removed in place stay there as tombstones.
    paragraphs: index.manifest.files.reduce((sum, file) => sum + file.paragraphs, 0),
  };
  /** The passage before `paragraph` in its file, if any. */
  const previousOf = (paragraph: IndexedParagraph) => {
    const before = index.paragraphs[paragraph.id - 1];
    return before?.file === paragraph.file ? before : undefined;
  };
  /** The text the lexical index saw for a passage (ingest builds it the same way). */
  const indexedText = (paragraph: IndexedParagraph) => lexicalTextAt(index.paragraphs, paragraph.id, titles.get(paragraph.file) ?? '', settings.retrievalContext);
  /** The passage whose end `paragraph` is retrieved with (borrowed-words.ts), if any. */
  const lenderOf = (paragraph: IndexedParagraph) => {
    const previous = previousOf(paragraph);
    return previous !== undefined && borrowsPrevious(paragraph, previous, settings.retrievalContext) ? previous.id : null;
  };
  // Reading a vector back from the graph was the largest cost of an answer after the embedding
  // (bench/README: ~60 reads a question); each engine serves one index generation, whose passages
  // never change, so what is derived from a passage is derived once.
  const vectors = createBoundedCache<number, Float32Array>(PASSAGE_CACHE_SIZE);
  const comparables = createBoundedCache<number, string>(PASSAGE_CACHE_SIZE);
  const passageTerms = createBoundedCache<number, ReadonlySet<string>>(PASSAGE_CACHE_SIZE);
  const vectorOf = (label: number) => vectors.get(label, () => index.vectors.vector(label));
  const comparableOf = (label: number, paragraph: IndexedParagraph) => comparables.get(label, () => comparableText(paragraph.text));
  const termsOf = (label: number, paragraph: IndexedParagraph) => passageTerms.get(label, () => new Set(analyze(indexedText(paragraph))));
  const ownTerms = createBoundedCache<number, ReadonlySet<string>>(PASSAGE_CACHE_SIZE);
  const ownTermsOf = (paragraph: IndexedParagraph) => ownTerms.get(paragraph.id, () => new Set(analyze(paragraph.text)));
  /**
   * Reads into the caches what the duplicate check will ask of the best BM25 candidates, while
   * the question is still being embedded (the results are the same values, read earlier).
   */
  const prefetchPassages = (lexical: readonly { readonly label: number }[]) => {
    lexical.slice(0, PREFETCH_LEXICAL).forEach(({ label }, rank) => {
      const paragraph = index.paragraphs[label];
      if (paragraph === undefined) return;
      vectorOf(label);
      comparableOf(label, paragraph);
      if (rank < PREFETCH_TERMS) termsOf(label, paragraph);
    });
  };

  async function search(query: string, options: SearchOptions = {}): Promise<SearchResult> {
    const started = performance.now();
    const question = validateQuestion(query, settings.maxQuestionLength);
    const k = options.k ?? settings.defaultResults;
    const mode: SearchMode = options.mode ?? 'hybrid';
    const explain = options.explain ?? false;
    const excluded = options.excludeSpans ?? [];
    const isExcluded = (label: number) => {
      const paragraph = index.paragraphs[label];
      return paragraph !== undefined && excluded.some((span) => overlaps(paragraph, span));
    };
    // Excluded passages are removed after the searches, so ask for that many more.
    const depth = Math.max(settings.candidates, k * 4) + (excluded.length > 0 ? settings.candidates : 0);

    let mark = performance.now();
    // The question is embedded in the worker thread (~15 ms, most of an answer); what needs only
    // its words is done on this thread meanwhile, instead of after.
    const embedding = embedder.embed([question], 'query');
    // Awaited below; this only keeps a rejection from counting as unhandled while BM25 runs.
    embedding.catch(() => undefined);
    const lexicalStarted = performance.now();
    const lexical = mode === 'dense' ? [] : index.lexical.search(question, depth).filter((hit) => !isExcluded(hit.label));
    const bm25Ms = elapsed(lexicalStarted);
    prefetchPassages(lexical);
    const [queryVector] = await embedding;
    // From the request to the vector: includes BM25 and the prefetch when they outlast the model.
    const embedMs = elapsed(mark);
    if (queryVector === undefined) throw new CitebotError('EMBEDDER_FAILED', 'The embedder returned no vector.');

    mark = performance.now();
    // Searched in every mode: the background cosine comes from these neighbours (excluded ones too:
    // they are still part of what the question is near).
    const neighbours = index.vectors.search(queryVector, Math.max(depth, settings.backgroundRank));
    const dense = mode === 'bm25' ? [] : neighbours.slice(0, depth).filter((hit) => !isExcluded(hit.label));
    const denseMs = elapsed(mark);
    // A corpus smaller than the rank has no passage that deep: its farthest stands in.
    const backgroundCosine = neighbours[Math.min(settings.backgroundRank, neighbours.length) - 1]?.similarity ?? 0;

    mark = performance.now();
    // Duplicates of a kept passage rank close to it (both signals see the same words and meaning),
    // so only the head of the fused list is compared; reading every candidate's vector back from
    // the graph cost more than the searches themselves.
    const ranked = fuseRankings(dense, lexical, mode).slice(0, Math.max(k, RERANK_POOL) * DUPLICATE_WINDOW_FACTOR).map((candidate) => {
      const paragraph = index.paragraphs[candidate.label];
      if (paragraph === undefined) throw new CitebotError('INDEX_CORRUPT', `The index returned an unknown paragraph ${candidate.label}.`);
      const { label } = candidate;
      // The vector is read only if the duplicate check needs it (an exact twin's text decides alone).
      return {
        ...candidate,
        paragraph,
        span: paragraph,
        text: paragraph.text,
        kind: paragraph.kind,
        comparable: comparableOf(label, paragraph),
        get vector() {
          return vectorOf(label);
        },
      };
    });
    const groups = collapseDuplicates(ranked, settings.duplicateAbove, Math.max(k, RERANK_POOL));
    const cosines = groups.map((group) => cosine(queryVector, group.best.vector));
    const bestSimilarity = Math.max(-1, ...cosines);
    const sortedCosines = [...cosines].sort((a, b) => b - a);
    const bm25Scores = groups.map((group) => group.best.signals.bm25).filter((score): score is number => score !== null);
    const queryTerms = [...new Set(analyze(question))].map((term) => ({ term, documentFrequency: index.lexical.documentFrequency(term) }));
    const evidence = groups.map((group, i) =>
      computeEvidence({
        queryTerms,
        documentCount: index.lexical.documentCount,
        passageTerms: termsOf(group.best.label, group.best.paragraph),
        cosine: cosines[i] as number,
        bestCosine: bestSimilarity,
        secondCosine: sortedCosines[1] ?? bestSimilarity,
        backgroundCosine,
        bm25: group.best.signals.bm25,
        bestBm25: bm25Scores.length > 0 ? Math.max(...bm25Scores) : null,
        denseRank: group.best.signals.denseRank,
        bm25Rank: group.best.signals.bm25Rank,
        rank: i + 1,
        fused: group.best.score,
      }),
    );
    const probabilities = evidence.map((features) => relevanceProbability(settings.relevance, features));
    // A trained ranking model weighs more evidence than the fused score (term coverage with the
    // heading context, agreement, gaps), so the pool is ordered by it; ties keep the fused order.
    const byRelevance = groups.map((_, i) => i);
    const { ranking } = settings;
    if (ranking !== undefined) {
      const rankingScores = ranking === settings.relevance ? probabilities : evidence.map((features) => relevanceProbability(ranking, features));
      byRelevance.sort((a, b) => (rankingScores[b] as number) - (rankingScores[a] as number) || a - b);
    }
    const askedTypes = answerTypes(question);
    const askedWords = questionWords(question);
    // Whether the documents answer is decided on the best-ranked passage; which passage comes
    // first may still change below, and does not change that.
    const bestRelevance = groups.length === 0 ? 0 : (probabilities[byRelevance[0] as number] as number);
    const order = lendersFirst(
      byRelevance,
      groups.map((group) => ({ label: group.best.label, lender: lenderOf(group.best.paragraph) })),
      {
        coverage: (i) => termCoverage(queryTerms, index.lexical.documentCount, ownTermsOf((groups[i] as (typeof groups)[number]).best.paragraph)),
        holdsAnswer: (i) => holdsAnyAnswerType((groups[i] as (typeof groups)[number]).best.paragraph.text, askedTypes, askedWords),
      },
    );
    const showEvidence = order.map((i) => ({ relevance: probabilities[i] as number, fused: (groups[i] as (typeof groups)[number]).best.score }));
    const missingNames = unknownNames(question, (term) => index.lexical.documentFrequency(term) > 0);
    const abstained = groups.length === 0 || missingNames.length > 0 || bestRelevance < settings.relevance.abstainBelow;
    const bar = { relevance: settings.relevance.showAtLeast, fused: settings.showFusedAtLeast };
    const shown = order.slice(0, passagesToShow(showEvidence, k, bar, abstained, explain)).map((i) => ({
      group: groups[i] as (typeof groups)[number],
      cosine: cosines[i] as number,
      evidence: evidence[i] as Evidence,
      relevance: probabilities[i] as number,
    }));
    const fusionMs = elapsed(mark);

    mark = performance.now();
    const idf = (term: string) => index.lexical.idf(term);
    const hits: Hit[] = shown.map(({ group, cosine: similarity, evidence: features, relevance: probability }) => {
      const { file, startLine, endLine, text, headings, kind } = group.best.paragraph;
      const highlightRange = settings.highlight === false ? { start: 0, end: text.length } : pickHighlight({ text, kind, query: question, idf, lineBreaks: isMarkdownFile(file) ? 'soft' : 'hard' });
      return {
        file,
        startLine,
        endLine,
        text,
        headings,
        kind,
        title: titles.get(file) ?? '',
        score: group.best.score,
        signals: { ...group.best.signals, dense: group.best.signals.dense ?? similarity },
        highlight: text.slice(highlightRange.start, highlightRange.end),
        highlightRange,
        alsoIn: group.alsoIn.map(({ file: f, startLine: s, endLine: e }) => ({ file: f, startLine: s, endLine: e })),
        similarIn: group.similarIn.map(({ file: f, startLine: s, endLine: e }) => ({ file: f, startLine: s, endLine: e })),
        relevance: probability,
        evidence: features,
      };
    });
    const highlightMs = elapsed(mark);
    return {
      query: question,
      abstained,
      bestSimilarity,
      unknownNames: missingNames,
      hits,
      timings: { embed: embedMs, dense: denseMs, bm25: bm25Ms, fusion: fusionMs, highlight: highlightMs, total: elapsed(started) },
    };
  }

  async function source(file: string, startLine: number, endLine: number): Promise<SourceExcerpt> {
    // Only indexed files can be quoted: this is also what stops `../../etc/passwd`.
    const document = knownFiles.get(file.replace(/\\/g, '/').replace(/^\.\//, ''));
    if (document === undefined) throw notIndexedError(`${file} is not an indexed document.`, documents[0]?.file);
    if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
      throw new CitebotError('SOURCE_BAD_RANGE', `Lines ${startLine}-${endLine} are not a valid range.`);
    }
    // Only the bytes that were indexed are quoted: a changed or swapped file is refused (and re-indexed).
    const text = await readCitedText(document.file, hashes.get(document.file) ?? '', scheme, settings.onDocumentChanged);
    const lines = splitLines(text);
    if (endLine > lines.length) {
      const problem = describeRangePastEnd(document.file, lines.length, { start: startLine, end: endLine });
      throw new CitebotError('SOURCE_BAD_RANGE', problem ?? `${document.file} has ${lines.length} lines.`);
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
