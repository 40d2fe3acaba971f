/**
 * Reads a BEIR-format folder — `corpus.jsonl`, `queries.jsonl`, `qrels/<split>.tsv` and, where
 * present, `answers.jsonl` — parsing every line from `unknown`, and turns its corpus into a
 * folder of text files that citebot ingests like any other documents folder.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CitebotError } from '../core/errors.ts';
import type { Judgements } from './beir-metrics.ts';

const corpusLine = z.object({ _id: z.union([z.string(), z.number()]).transform(String), title: z.string().optional().default(''), text: z.string() });
const queryLine = z.object({ _id: z.union([z.string(), z.number()]).transform(String), text: z.string() });
const answerLine = z.object({ _id: z.union([z.string(), z.number()]).transform(String), answers: z.array(z.string()) });

export interface BeirDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

export interface BeirQuery {
  readonly id: string;
  readonly text: string;
  /** Judged documents with their grade (> 0 relevant). */
  readonly judgements: Judgements;
  /** Gold answer strings (from `answers.jsonl`); undefined when the dataset has none for this query. */
  readonly answers: readonly string[] | undefined;
}

export interface BeirDataset {
  /** Folder name, e.g. `scifact`. */
  readonly name: string;
  readonly split: string;
  readonly documents: readonly BeirDocument[];
  /** The queries judged in `qrels/<split>.tsv` that have at least one relevant document, in qrels order. */
  readonly queries: readonly BeirQuery[];
  /** True when `answers.jsonl` exists (AnswerHit is then measured). */
  readonly hasAnswers: boolean;
}

const HINT = 'Point --beir at a BEIR folder with corpus.jsonl, queries.jsonl and qrels/<split>.tsv (e.g. ../shared/eval/scifact).';

function datasetError(message: string, cause?: unknown): CitebotError {
  return new CitebotError('CORPUS_MISSING', message, { hint: HINT, ...(cause === undefined ? {} : { cause }) });
}

async function readText(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((cause: unknown) => {
    throw datasetError(`Cannot read ${file}.`, cause);
  });
}

/** Parses a JSON-lines file with `schema`, naming the file and line of the first bad record. */
async function readJsonLines<T>(file: string, schema: z.ZodType<T>): Promise<T[]> {
  const records: T[] = [];
  const lines = (await readText(file)).split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (cause) {
      throw datasetError(`${file}:${index + 1} is not valid JSON.`, cause);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw datasetError(`${file}:${index + 1}: ${parsed.error.issues[0]?.message ?? 'unexpected record'}.`);
    records.push(parsed.data);
  });
  return records;
}

/** Parses `query-id<TAB>corpus-id<TAB>score` lines (a header line is skipped). Pure. */
export function parseQrels(tsv: string): Map<string, Map<string, number>> {
  const qrels = new Map<string, Map<string, number>>();
  for (const line of tsv.split(/\r?\n/)) {
    const [queryId, docId, score] = line.split('\t').map((field) => field.trim());
    if (queryId === undefined || docId === undefined || score === undefined || queryId === '' || !/^-?\d+$/.test(score)) continue;
    const judged = qrels.get(queryId) ?? new Map<string, number>();
    judged.set(docId, Number(score));
    qrels.set(queryId, judged);
  }
  return qrels;
}

/** Loads a BEIR folder for one qrels split. Throws CORPUS_MISSING (with a hint) when a file is missing or malformed. */
export async function loadBeirDataset(folder: string, split = 'test'): Promise<BeirDataset> {
  const info = await stat(folder).catch(() => undefined);
  if (info === undefined || !info.isDirectory()) throw datasetError(`The BEIR folder ${folder} does not exist.`);
  const documents = (await readJsonLines(path.join(folder, 'corpus.jsonl'), corpusLine)).map(({ _id, title, text }) => ({ id: _id, title, text }));
  const queryTexts = new Map((await readJsonLines(path.join(folder, 'queries.jsonl'), queryLine)).map((query) => [query._id, query.text]));
  const qrels = parseQrels(await readText(path.join(folder, 'qrels', `${split}.tsv`)));
  const answersFile = path.join(folder, 'answers.jsonl');
  const hasAnswers = (await stat(answersFile).catch(() => undefined)) !== undefined;
  const answers = new Map(hasAnswers ? (await readJsonLines(answersFile, answerLine)).map((line) => [line._id, line.answers]) : []);

  const queries: BeirQuery[] = [];
  for (const [id, judgements] of qrels) {
    if (![...judgements.values()].some((grade) => grade > 0)) continue;
    const text = queryTexts.get(id);
    if (text === undefined) throw datasetError(`Query ${id} of qrels/${split}.tsv is not in queries.jsonl.`);
    queries.push({ id, text, judgements, answers: answers.get(id) });
  }
  if (queries.length === 0) throw datasetError(`qrels/${split}.tsv in ${folder} judges no query relevant.`);
  return { name: path.basename(path.resolve(folder)), split, documents, queries, hasAnswers };
}

/** A file name for a document id: letters, digits, `_` and `-` only (ids such as `Normans__p0` or `a/b(c)` are safe on every OS). Pure. */
export function safeFileStem(id: string): string {
  const stem = id.replace(/[^A-Za-z0-9_-]/g, '_');
  return stem === '' ? '_' : stem;
}

/**
 * The text file for a document. The title goes on the first line and the text right below it, with
 * no blank line between, so the chunker keeps them as one passage (as MTEB embeds `title + text`)
 * and never mistakes a short title for a heading. Pure.
 */
export function documentFileText(document: BeirDocument): string {
  const title = document.title.trim();
  return title === '' ? `${document.text}\n` : `${title}\n${document.text}\n`;
}

export interface WrittenCorpus {
  /** Absolute path of the written file → document id. */
  readonly idByPath: ReadonlyMap<string, string>;
  /** Absolute path → the file's text, for quoting cited lines without reading the file back. */
  readonly textByPath: ReadonlyMap<string, string>;
}

/**
 * Writes each document to `<folder>/<safe id>.txt`. Ids that collide once made safe (or differ only
 * in case, which some file systems ignore) get a numeric suffix, so the map stays one-to-one.
 * Files whose content is already there are not rewritten, so a kept index is reused as is.
 */
export async function writeCorpusFiles(documents: readonly BeirDocument[], folder: string): Promise<WrittenCorpus> {
  await mkdir(folder, { recursive: true });
  const taken = new Set<string>();
  const idByPath = new Map<string, string>();
  const textByPath = new Map<string, string>();
  for (const document of documents) {
    const stem = safeFileStem(document.id);
    let name = `${stem}.txt`;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${stem}~${n}.txt`;
    taken.add(name.toLowerCase());
    const file = path.join(folder, name);
    const text = documentFileText(document);
    const existing = await readFile(file, 'utf8').catch(() => undefined);
    if (existing !== text) await writeFile(file, text);
    idByPath.set(file, document.id);
    textByPath.set(file, text);
  }
  return { idByPath, textByPath };
}
