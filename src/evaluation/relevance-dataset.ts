/**
 * Labelled retrieval evidence for fitting and testing the relevance model, from a real Engine.
 *
 * Every question is asked with `explain: true` (the best k passages, unfiltered, each with its
 * evidence), and each passage is labelled 1 when it — or a duplicate collapsed into it — overlaps
 * a gold span. Unanswerable examples come from two places: the set's own unanswerable questions,
 * and every answerable question asked again with all of its gold spans excluded from the index
 * (`excludeSpans`): near-topic by construction, since the rest of the page stays.
 *
 * Sources are written `questions:<questions.json>@<documents folder>` (a question set in the shape
 * of test/fixtures/seed-questions.json) or `beir:<folder>[:<split>][:<part>/<parts>]` (a BEIR
 * folder; a query's relevant documents are its gold spans, whole files; `1/2` keeps the queries of
 * half of the document titles, e.g. half of XQuAD's Wikipedia articles).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CitebotError } from '../core/errors.ts';
import type { Parsed } from '../core/input.ts';
import type { Engine, Hit, SourceSpan } from '../core/types.ts';
import { citedPath } from '../corpus/load-documents.ts';
import { splitLines } from '../corpus/split-paragraphs.ts';
import { EVIDENCE_FEATURES } from '../retrieval/evidence.ts';
import { UNTRAINED, type RelevanceModel } from '../retrieval/relevance-model.ts';
import { loadBeirDataset, writeCorpusFiles } from './beir-dataset.ts';
import { hashPart, type LabelledQuestion } from './train-relevance.ts';

export type SourceSpec =
  | { readonly kind: 'questions'; readonly spec: string; readonly questionsFile: string; readonly documentsDir: string }
  | {
      readonly kind: 'beir';
      readonly spec: string;
      readonly folder: string;
      readonly split: string;
      /** 0-based part of the document titles to keep, of `parts`; undefined keeps every query. */
      readonly part: { readonly index: number; readonly of: number } | undefined;
    };

const PART = /^(\d+)\/(\d+)$/;
const SPLIT_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Parses `questions:<file>@<folder>` or `beir:<folder>[:<split>][:<i>/<n>]` (paths resolved
 * against `cwd`). Never throws: a problem is a sentence naming the spec. Pure.
 */
export function parseSourceSpec(spec: string, cwd: string): Parsed<SourceSpec, string> {
  const bad = (why: string): Parsed<SourceSpec, string> => ({
    ok: false,
    problem: `"${spec}" ${why} (write questions:<questions.json>@<documents folder> or beir:<folder>[:<split>][:<part>/<parts>])`,
  });
  if (spec.startsWith('questions:')) {
    const rest = spec.slice('questions:'.length);
    const at = rest.lastIndexOf('@');
    if (at <= 0 || at === rest.length - 1) return bad('needs both a question file and a documents folder');
    return {
      ok: true,
      value: { kind: 'questions', spec, questionsFile: path.resolve(cwd, rest.slice(0, at)), documentsDir: path.resolve(cwd, rest.slice(at + 1)) },
    };
  }
  if (spec.startsWith('beir:')) {
    const fields = spec.slice('beir:'.length).split(':');
    let part: { index: number; of: number } | undefined;
    const last = fields.at(-1) ?? '';
    const partMatch = PART.exec(last);
    if (partMatch !== null) {
      const index = Number(partMatch[1]);
      const of = Number(partMatch[2]);
      if (!(of >= 1 && index >= 1 && index <= of)) return bad(`has the part ${last}; it must be i/n with 1 ≤ i ≤ n`);
      part = { index: index - 1, of };
      fields.pop();
    }
    let split = 'test';
    if (fields.length > 1 && SPLIT_NAME.test(fields.at(-1) ?? '')) split = fields.pop() ?? split;
    const folder = fields.join(':');
    if (folder === '') return bad('names no folder');
    return { ok: true, value: { kind: 'beir', spec, folder: path.resolve(cwd, folder), split, part } };
  }
  return bad('is neither a questions: nor a beir: source');
}

/** Why the files a source names cannot be used (missing, not a folder), or undefined when they exist. */
export async function sourceProblem(source: SourceSpec): Promise<string | undefined> {
  const kind = async (file: string) => {
    const info = await stat(file).catch(() => undefined);
    return info === undefined ? 'missing' : info.isDirectory() ? 'folder' : 'file';
  };
  if (source.kind === 'questions') {
    if ((await kind(source.questionsFile)) !== 'file') return `${source.spec}: the question file ${source.questionsFile} does not exist`;
    if ((await kind(source.documentsDir)) !== 'folder') return `${source.spec}: the documents folder ${source.documentsDir} does not exist`;
    return undefined;
  }
  if ((await kind(source.folder)) !== 'folder') return `${source.spec}: the BEIR folder ${source.folder} does not exist`;
  for (const file of ['corpus.jsonl', 'queries.jsonl', path.join('qrels', `${source.split}.tsv`)]) {
    if ((await kind(path.join(source.folder, file))) !== 'file') return `${source.spec}: ${path.join(source.folder, file)} does not exist`;
  }
  return undefined;
}

/** One question to ask, with what counts as its answer. */
export interface DatasetQuestion {
  /** Unique within its source (the position in the file, or the BEIR query id). */
  readonly id: string;
  readonly question: string;
  /** Spans (cited paths) that answer it; empty for an unanswerable question. */
  readonly gold: readonly SourceSpan[];
  /** Strings an answer contains (for answer-in-highlight); empty when the set gives none. */
  readonly answers: readonly string[];
  /** What the file calls an unanswerable question (`near-topic`, `off-topic`), when it says. */
  readonly unanswerableKind: string | undefined;
}

/** A source made ready to ingest: its questions, and the folders its engine is built from. */
export interface PreparedSource {
  readonly spec: SourceSpec;
  /** Short name for reports: the question file's folder or the BEIR folder's name, with its split and part. */
  readonly name: string;
  readonly questions: readonly DatasetQuestion[];
  /** Citations are relative to this folder; it holds the documents folder. */
  readonly rootDir: string;
  readonly documentsDir: string;
  /** Where this source's index is kept between runs (inside the work folder, never `embeddings/`). */
  readonly indexDir: string;
}

const spanSchema = z.object({ file: z.string().min(1), startLine: z.number().int().positive(), endLine: z.number().int().positive() });

/** The question-set shape (test/fixtures/seed-questions.json); an unanswerable entry may say which `kind` it is. */
export const relevanceQuestionSetSchema = z
  .object({
    answerable: z.array(z.object({ question: z.string().min(1), gold: z.array(spanSchema).min(1), answer: z.string() })).default([]),
    unanswerable: z.array(z.object({ question: z.string().min(1), kind: z.string().min(1).optional() })).default([]),
  })
  .refine((set) => set.answerable.length + set.unanswerable.length > 0, 'the set has no questions');

/** A question file as written (test/fixtures/seed-questions.json, the docs sets' questions.json). */
export type QuestionSetFile = z.infer<typeof relevanceQuestionSetSchema>;

/** The questions of a question file, answerable first, in file order. Pure. */
export function questionsOfSet(set: QuestionSetFile): DatasetQuestion[] {
  return [
    ...set.answerable.map((item, i) => ({ id: `a${i + 1}`, question: item.question, gold: item.gold, answers: item.answer === '' ? [] : [item.answer], unanswerableKind: undefined })),
    ...set.unanswerable.map((item, i) => ({ id: `u${i + 1}`, question: item.question, gold: [], answers: [], unanswerableKind: item.kind })),
  ];
}

function sourceError(message: string, cause?: unknown): CitebotError {
  return new CitebotError('CORPUS_MISSING', message, {
    hint: 'Check the --train / --holdout / --score sources: questions:<questions.json>@<documents folder> or beir:<folder>[:<split>].',
    ...(cause === undefined ? {} : { cause }),
  });
}

const isInside = (folder: string, file: string) => {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

/**
 * The folder gold paths are relative to: the first of the documents folder's parent, the question
 * file's folder, `cwd` and the documents folder itself under which every gold file exists inside
 * the documents folder. Question sets write `corpus/guide/x.md` (relative to the set's folder) or
 * `seeds/x.txt` (relative to the project root); the engine must cite them the same way.
 */
export async function resolveCitationRoot(goldFiles: readonly string[], questionsFile: string, documentsDir: string, cwd: string): Promise<string | undefined> {
  const candidates = [...new Set([path.dirname(documentsDir), path.dirname(questionsFile), cwd, documentsDir])];
  for (const root of candidates) {
    const found = await Promise.all(
      goldFiles.map(async (file) => {
        const absolute = path.resolve(root, file);
        return isInside(documentsDir, absolute) && (await stat(absolute).catch(() => undefined))?.isFile() === true;
      }),
    );
    if (found.every(Boolean)) return root;
  }
  return undefined;
}

/** A stable folder name for a source's index: readable name plus a hash of the full spec. */
function indexFolderName(name: string, key: string): string {
  return `${name.replace(/[^A-Za-z0-9_-]/g, '_')}-${createHash('sha256').update(key).digest('hex').slice(0, 10)}`;
}

async function prepareQuestionSource(spec: Extract<SourceSpec, { kind: 'questions' }>, workDir: string, cwd: string): Promise<PreparedSource> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(spec.questionsFile, 'utf8'));
  } catch (cause) {
    throw sourceError(`${spec.questionsFile} cannot be read as JSON.`, cause);
  }
  const parsed = relevanceQuestionSetSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = [issue?.path.join('.'), issue?.message].filter((part) => part !== undefined && part !== '').join(' ');
    throw sourceError(`${spec.questionsFile} is not a question set: ${where === '' ? 'its shape is wrong' : where}.`);
  }
  const set = parsed.data;
  const goldFiles = [...new Set(set.answerable.flatMap((item) => item.gold.map((span) => span.file)))];
  const rootDir = await resolveCitationRoot(goldFiles, spec.questionsFile, spec.documentsDir, cwd);
  if (rootDir === undefined) {
    throw sourceError(`The gold files of ${spec.questionsFile} (e.g. ${goldFiles[0] ?? '?'}) are not all inside ${spec.documentsDir}.`);
  }
  // `vitest-docs/questions.json` is named by its folder, `fixtures/seed-questions.json` by its file.
  const stem = path.basename(spec.questionsFile, '.json');
  const name = stem === 'questions' ? path.basename(path.dirname(spec.questionsFile)) : stem;
  return { spec, name, questions: questionsOfSet(set), rootDir, documentsDir: spec.documentsDir, indexDir: path.join(workDir, indexFolderName(name, `${spec.questionsFile}@${spec.documentsDir}`), 'index') };
}

async function prepareBeirSource(spec: Extract<SourceSpec, { kind: 'beir' }>, workDir: string): Promise<PreparedSource> {
  const dataset = await loadBeirDataset(spec.folder, spec.split);
  // One folder per corpus, whatever the split or part: the index is built once and shared.
  const rootDir = path.join(workDir, indexFolderName(dataset.name, spec.folder));
  const documentsDir = path.join(rootDir, 'docs');
  const corpus = await writeCorpusFiles(dataset.documents, documentsDir);
  const fileById = new Map([...corpus.idByPath].map(([file, id]) => [id, file]));
  const titleById = new Map(dataset.documents.map((document) => [document.id, document.title]));
  const goldOf = (id: string): SourceSpan | undefined => {
    const file = fileById.get(id);
    if (file === undefined) return undefined;
    return { file: citedPath(rootDir, file), startLine: 1, endLine: splitLines(corpus.textByPath.get(file) ?? '').length };
  };
  const questions: DatasetQuestion[] = [];
  for (const query of dataset.queries) {
    const relevant = [...query.judgements].filter(([, grade]) => grade > 0).map(([id]) => id);
    const gold = relevant.map(goldOf).filter((span): span is SourceSpan => span !== undefined);
    if (gold.length === 0) continue;
    // By article (title), not by query: questions about one article share its wording.
    if (spec.part !== undefined && hashPart(titleById.get(relevant[0] ?? '') ?? '', spec.part.of, dataset.name) !== spec.part.index) continue;
    questions.push({ id: query.id, question: query.text, gold, answers: query.answers ?? [], unanswerableKind: undefined });
  }
  const name = `${dataset.name}:${spec.split}${spec.part === undefined ? '' : `:${spec.part.index + 1}/${spec.part.of}`}`;
  return { spec, name, questions, rootDir, documentsDir, indexDir: path.join(rootDir, 'index') };
}

/** Reads a source's questions (and, for BEIR, writes its corpus as files into the work folder). */
export async function prepareSource(spec: SourceSpec, workDir: string, cwd: string): Promise<PreparedSource> {
  return spec.kind === 'questions' ? prepareQuestionSource(spec, workDir, cwd) : prepareBeirSource(spec, workDir);
}

/**
 * A relevance model that weighs nothing (every probability ½) and filters nothing: what the engine
 * runs with while the evidence for a new model is collected, so training never depends on the
 * model it replaces (whose features may no longer match).
 */
export function neutralRelevanceModel(modelId: string): RelevanceModel {
  const zeros = EVIDENCE_FEATURES.map(() => 0);
  return {
    modelId,
    features: [...EVIDENCE_FEATURES],
    mean: zeros,
    scale: EVIDENCE_FEATURES.map(() => 1),
    weights: zeros,
    bias: 0,
    abstainBelow: 0,
    showAtLeast: 0,
    training: { ...UNTRAINED, trainedAt: 'never (a neutral model for collecting evidence)' },
  };
}

const overlaps = (a: SourceSpan, b: SourceSpan) => a.file === b.file && a.startLine <= b.endLine && b.startLine <= a.endLine;

/** 1 when the hit, or a place holding exactly its text (alsoIn), overlaps a gold span. Pure. */
export function hitLabel(hit: Pick<Hit, 'file' | 'startLine' | 'endLine' | 'alsoIn'>, gold: readonly SourceSpan[]): 0 | 1 {
  return [hit, ...hit.alsoIn].some((span) => gold.some((spanOfGold) => overlaps(span, spanOfGold))) ? 1 : 0;
}

export interface LabelOptions {
  /** Passages per question. */
  readonly k: number;
  /** Also ask every answerable question with its gold spans excluded (the near-topic unanswerable variant). */
  readonly excludeGold: boolean;
  /** Called after each question, for progress. */
  readonly onQuestion?: (done: number, total: number) => void;
}

/**
 * Asks every question (and, with `excludeGold`, every answerable one again without its gold
 * spans) and labels the passages. Question ids are `<source name>#<id>`; the excluded variant
 * shares the question's group, so a split never puts the two on different sides.
 */
export async function labelQuestions(engine: Engine, sourceName: string, questions: readonly DatasetQuestion[], options: LabelOptions): Promise<LabelledQuestion[]> {
  const labelled: LabelledQuestion[] = [];
  const ask = async (question: DatasetQuestion, excluded: boolean): Promise<LabelledQuestion> => {
    const { hits } = await engine.search(question.question, { k: options.k, explain: true, ...(excluded ? { excludeSpans: question.gold } : {}) });
    const group = `${sourceName}#${question.id}`;
    return {
      id: excluded ? `${group}/excluded` : group,
      group,
      source: sourceName,
      origin: question.gold.length === 0 ? 'unanswerable' : excluded ? 'excluded' : 'answerable',
      unanswerableKind: question.unanswerableKind,
      passages: hits.map((hit) => ({ label: hitLabel(hit, question.gold), evidence: hit.evidence })),
    };
  };
  let done = 0;
  for (const question of questions) {
    labelled.push(await ask(question, false));
    if (options.excludeGold && question.gold.length > 0) labelled.push(await ask(question, true));
    options.onQuestion?.(++done, questions.length);
  }
  return labelled;
}
