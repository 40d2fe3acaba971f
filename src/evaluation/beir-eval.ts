/**
 * Evaluates citebot on a BEIR dataset through the real pipeline: the corpus is written as text
 * files into a work folder and ingested by the same loader, chunker, model and indexes as the
 * documents folder (into that folder's own index — never `embeddings/`); each query goes through
 * Engine.search; passages are mapped back to their document ids, a document ranking at its best
 * passage.
 */
import path from 'node:path';
import { openCitebot, type OpenOptions } from '../app.ts';
import type { Config } from '../config/config.ts';
import type { Engine, Hit, SearchMode, SourceSpan } from '../core/types.ts';
import { splitLines } from '../corpus/split-paragraphs.ts';
import type { IngestReport } from '../index-store/ingest.ts';
import { writeCorpusFiles, type BeirDataset, type WrittenCorpus } from './beir-dataset.ts';
import { answerHitAtK, mean, ndcgAtK, recallAtK, reciprocalRankAtK, uniqueRanking } from './beir-metrics.ts';

/**
 * Passages asked of the engine per query. Documents are ranked from passages, and a long document
 * can fill several of the top passages, so a few more than 10 are needed for 10 distinct
 * documents. 12 keeps the engine's candidate depth at its shipped value (max(50, 4k) = 50), so
 * the ranking measured is the ranking users get.
 */
export const PASSAGES_PER_QUERY = 12;

/** The scores of one mode, in the shape `npm run eval -- --json` prints. */
export interface BeirScores {
  readonly dataset: string;
  readonly mode: SearchMode;
  readonly queries: number;
  readonly ndcg10: number;
  readonly mrr10: number;
  readonly recall1: number;
  readonly recall5: number;
  readonly recall10: number;
  /** null when the dataset has no `answers.jsonl`. */
  readonly answerHit1: number | null;
  readonly answerHit5: number | null;
  /** Share of queries whose top result's highlight contains a gold answer (null without answers). */
  readonly answerInHighlight1: number | null;
}

export interface QueryOutcome {
  readonly queryId: string;
  /** Document ids, best first, distinct. */
  readonly ranking: readonly string[];
  /** Text of the cited lines of each result (and of its duplicates), best first. */
  readonly citedTexts: readonly string[];
  /** The top result's highlight ('' when there is no result). */
  readonly topHighlight: string;
}

/** Document ids of a search result, best first: each hit's document, then those it was collapsed with. Pure. */
export function rankDocuments(hits: readonly Pick<Hit, 'file' | 'alsoIn'>[], idOfFile: (file: string) => string | undefined): string[] {
  const ids = hits.flatMap((hit) => [hit.file, ...hit.alsoIn.map((span) => span.file)]).map(idOfFile);
  return uniqueRanking(ids.filter((id): id is string => id !== undefined));
}

/** Scores per-query outcomes against the dataset's judgements and answers. Pure. */
export function scoreOutcomes(dataset: BeirDataset, mode: SearchMode, outcomes: readonly QueryOutcome[]): BeirScores {
  const byId = new Map(outcomes.map((outcome) => [outcome.queryId, outcome]));
  const per = (metric: (outcome: QueryOutcome, query: BeirDataset['queries'][number]) => number) =>
    mean(dataset.queries.map((query) => metric(byId.get(query.id) ?? { queryId: query.id, ranking: [], citedTexts: [], topHighlight: '' }, query)));
  const answerHit = (k: number) =>
    dataset.hasAnswers ? per((outcome, query) => (query.answers === undefined ? 0 : answerHitAtK(outcome.citedTexts, query.answers, k))) : null;
  return {
    dataset: dataset.name,
    mode,
    queries: dataset.queries.length,
    ndcg10: per((outcome, query) => ndcgAtK(outcome.ranking, query.judgements, 10)),
    mrr10: per((outcome, query) => reciprocalRankAtK(outcome.ranking, query.judgements, 10)),
    recall1: per((outcome, query) => recallAtK(outcome.ranking, query.judgements, 1)),
    recall5: per((outcome, query) => recallAtK(outcome.ranking, query.judgements, 5)),
    recall10: per((outcome, query) => recallAtK(outcome.ranking, query.judgements, 10)),
    answerHit1: answerHit(1),
    answerHit5: answerHit(5),
    answerInHighlight1: dataset.hasAnswers
      ? per((outcome, query) => (query.answers === undefined ? 0 : answerHitAtK([outcome.topHighlight], query.answers, 1)))
      : null,
  };
}

/** The one JSON object `--json` prints: the scores, rounded to 4 decimals, and the run's wall time. */
export function toEvalJson(scores: BeirScores, seconds: number): BeirScores & { seconds: number } {
  const round = (value: number) => Number(value.toFixed(4));
  const roundOrNull = (value: number | null) => (value === null ? null : round(value));
  return {
    dataset: scores.dataset,
    mode: scores.mode,
    queries: scores.queries,
    ndcg10: round(scores.ndcg10),
    mrr10: round(scores.mrr10),
    recall1: round(scores.recall1),
    recall5: round(scores.recall5),
    recall10: round(scores.recall10),
    answerHit1: roundOrNull(scores.answerHit1),
    answerHit5: roundOrNull(scores.answerHit5),
    answerInHighlight1: roundOrNull(scores.answerInHighlight1),
    seconds: Number(seconds.toFixed(1)),
  };
}

/** Text of lines startLine..endLine of a file's text. Pure. */
function linesOf(text: string, span: SourceSpan): string {
  return splitLines(text)
    .slice(span.startLine - 1, span.endLine)
    .join('\n');
}

/** Runs every query of the dataset in one mode. */
export async function runQueries(engine: Engine, dataset: BeirDataset, corpus: WrittenCorpus, rootDir: string, mode: SearchMode): Promise<QueryOutcome[]> {
  const absolute = (file: string) => path.resolve(rootDir, file);
  const outcomes: QueryOutcome[] = [];
  for (const query of dataset.queries) {
    // `explain`: the ranking as it is, not cut to the passages relevant enough to show a user.
    const { hits } = await engine.search(query.text, { k: PASSAGES_PER_QUERY, mode, explain: true });
    const citedTexts = hits.map((hit) =>
      [hit, ...hit.alsoIn].map((span) => linesOf(corpus.textByPath.get(absolute(span.file)) ?? '', span)).join('\n'),
    );
    outcomes.push({
      queryId: query.id,
      ranking: rankDocuments(hits, (file) => corpus.idByPath.get(absolute(file))),
      citedTexts,
      topHighlight: hits[0]?.highlight ?? '',
    });
  }
  return outcomes;
}

export interface BeirRunOptions extends OpenOptions {
  /** Model, thread and retrieval settings; its folders are replaced by the work folder's. */
  readonly config: Config;
  /** Holds `docs/` (the corpus as files) and `index/`; reused when it already holds this dataset. */
  readonly workDir: string;
  readonly modes: readonly SearchMode[];
  /** Called before each mode's queries run. */
  readonly onMode?: (mode: SearchMode) => void;
}

export interface BeirRun {
  readonly scores: readonly (BeirScores & { readonly querySeconds: number })[];
  readonly ingest: IngestReport;
  /** Wall time to load the model and build (or reuse) the index. */
  readonly indexSeconds: number;
}

/** Longest query evaluated: BEIR queries can be long (ArguAna's are paragraphs); the model truncates at its input size anyway. */
const MAX_QUERY_LENGTH = 100_000;

/**
 * Opens citebot on the dataset's corpus in the work folder — through app.ts's openCitebot, like
 * every citebot, with the evaluation's result count and query length — then scores each mode.
 */
export async function evaluateBeir(dataset: BeirDataset, options: BeirRunOptions): Promise<BeirRun> {
  const docsDir = path.join(options.workDir, 'docs');
  const config: Config = { ...options.config, rootDir: options.workDir, seedsDir: docsDir, indexDir: path.join(options.workDir, 'index') };
  const corpus = await writeCorpusFiles(dataset.documents, docsDir);
  const started = performance.now();
  // Opened through the composition root like every other citebot, with the evaluation's settings.
  const { engine, ingestReport: report } = await openCitebot({ ...config, defaultResults: PASSAGES_PER_QUERY, maxQuestionLength: MAX_QUERY_LENGTH }, options);
  const indexSeconds = (performance.now() - started) / 1000;
  try {
    const scores = [];
    for (const mode of options.modes) {
      options.onMode?.(mode);
      const begun = performance.now();
      const outcomes = await runQueries(engine, dataset, corpus, config.rootDir, mode);
      scores.push({ ...scoreOutcomes(dataset, mode, outcomes), querySeconds: (performance.now() - begun) / 1000 });
    }
    return { scores, ingest: report, indexSeconds };
  } finally {
    await engine.close();
  }
}
