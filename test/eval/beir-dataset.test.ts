import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/corpus/chunk-document.ts';
import { documentFileText, loadBeirDataset, parseQrels, safeFileStem, writeCorpusFiles } from '../../src/evaluation/beir-dataset.ts';
import { rankDocuments, scoreOutcomes, toEvalJson } from '../../src/evaluation/beir-eval.ts';

const folders: string[] = [];
async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(tmpdir(), 'citebot-beir-test-'));
  folders.push(folder);
  return folder;
}
afterEach(async () => {
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});

describe('parseQrels', () => {
  it('skips the header and blank lines, keeps grades per query', () => {
    const qrels = parseQrels('query-id\tcorpus-id\tscore\n1\tA\t1\n1\tB\t2\r\n2\tC\t0\n\n');
    expect([...qrels.keys()]).toEqual(['1', '2']);
    expect([...(qrels.get('1') ?? [])]).toEqual([
      ['A', 1],
      ['B', 2],
    ]);
    expect(qrels.get('2')?.get('C')).toBe(0);
  });
});

describe('document files', () => {
  it.each([
    { id: '4983', stem: '4983' },
    { id: 'Super_Bowl_50__p0', stem: 'Super_Bowl_50__p0' },
    { id: 'Kenya_(country)__p3', stem: 'Kenya__country___p3' },
    { id: '../etc/passwd', stem: '___etc_passwd' },
    { id: '.hidden', stem: '_hidden' },
  ])('safeFileStem($id) = $stem', ({ id, stem }) => {
    expect(safeFileStem(id)).toBe(stem);
  });

  it('keeps title and text as one passage, even when the title is short enough to look like a heading', () => {
    const text = documentFileText({ id: '1', title: 'Super Bowl 50', text: 'The Panthers defense gave up just 308 points.' });
    expect(text).toBe('Super Bowl 50\nThe Panthers defense gave up just 308 points.\n');
    const { title, passages } = chunkDocument('1.txt', text, { maxTokens: 510, headingMaxWords: 5 }, (t) => t.split(/\s+/).length);
    expect(passages).toEqual([{ file: '1.txt', startLine: 1, endLine: 2, text: text.trimEnd(), headings: [], kind: 'text' }]);
    // The first line is also the document's title, the context of any later passage of a long abstract.
    expect(title).toBe('Super Bowl 50');
  });

  it('maps every file back to its id, also when two ids collide once made safe or differ only in case', async () => {
    const folder = await tempFolder();
    const written = await writeCorpusFiles(
      [
        { id: 'a(1)', title: '', text: 'one' },
        { id: 'a_1_', title: '', text: 'two' },
        { id: 'A(1)', title: '', text: 'three' },
      ],
      folder,
    );
    expect([...written.idByPath].map(([file, id]) => [path.basename(file), id])).toEqual([
      ['a_1_.txt', 'a(1)'],
      ['a_1_~2.txt', 'a_1_'],
      ['A_1_~3.txt', 'A(1)'],
    ]);
    expect(await readFile(path.join(folder, 'a_1_~2.txt'), 'utf8')).toBe('two\n');
  });
});

describe('loadBeirDataset', () => {
  async function writeDataset(files: Record<string, string>): Promise<string> {
    const folder = path.join(await tempFolder(), 'tiny');
    await mkdir(path.join(folder, 'qrels'), { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(folder, name), content);
    return folder;
  }

  it('evaluates the queries judged in the split, with their answers', async () => {
    const folder = await writeDataset({
      'corpus.jsonl': '{"_id": "d1", "title": "T", "text": "x"}\n{"_id": 2, "text": "y"}\n',
      'queries.jsonl': '{"_id": "q1", "text": "first?"}\n{"_id": "q2", "text": "second?"}\n{"_id": "q3", "text": "unjudged?"}\n',
      'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq2\td1\t1\nq1\t2\t1\nq1\td1\t0\n',
      'answers.jsonl': '{"_id": "q1", "answers": ["y"]}\n',
    });
    const dataset = await loadBeirDataset(folder);
    expect(dataset.name).toBe('tiny');
    expect(dataset.documents).toEqual([
      { id: 'd1', title: 'T', text: 'x' },
      { id: '2', title: '', text: 'y' },
    ]);
    expect(dataset.queries.map((q) => [q.id, q.text, q.answers])).toEqual([
      ['q2', 'second?', undefined],
      ['q1', 'first?', ['y']],
    ]);
    expect(dataset.hasAnswers).toBe(true);
  });

  it.each([
    { why: 'a missing folder', files: undefined, message: /does not exist/ },
    { why: 'a bad JSON line', files: { 'corpus.jsonl': '{"_id": "d1", "text": "x"}\nnot json\n' }, message: /corpus\.jsonl:2 is not valid JSON/ },
    {
      why: 'a qrels query without text',
      files: { 'corpus.jsonl': '{"_id": "d1", "text": "x"}\n', 'queries.jsonl': '', 'qrels/test.tsv': 'q9\td1\t1\n' },
      message: /Query q9 of qrels\/test\.tsv is not in queries\.jsonl/,
    },
  ])('fails with a hint on $why', async ({ files, message }) => {
    const folder = files === undefined ? path.join(await tempFolder(), 'absent') : await writeDataset(files);
    await expect(loadBeirDataset(folder)).rejects.toMatchObject({ code: 'CORPUS_MISSING', message: expect.stringMatching(message), hint: expect.stringContaining('--beir') });
  });
});

describe('scoring a run', () => {
  const dataset = {
    name: 'tiny',
    split: 'test',
    documents: [],
    hasAnswers: true,
    queries: [
      { id: 'q1', text: '', judgements: new Map([['d1', 1]]), answers: ['308'] },
      { id: 'q2', text: '', judgements: new Map([['d2', 1]]), answers: ['Broncos'] },
    ],
  };

  it('ranks documents by their best passage, duplicates of a result right after it', () => {
    const hits = [
      { file: 'docs/d2.txt', alsoIn: [{ file: 'docs/d3.txt', startLine: 1, endLine: 2 }] },
      { file: 'docs/d2.txt', alsoIn: [] },
      { file: 'docs/d1.txt', alsoIn: [] },
      { file: 'docs/unknown.txt', alsoIn: [] },
    ];
    expect(rankDocuments(hits, (file) => /docs\/(d\d)\.txt/.exec(file)?.[1])).toEqual(['d2', 'd3', 'd1']);
  });

  it('averages over every judged query; a query that returned nothing scores 0', () => {
    const scores = scoreOutcomes(dataset, 'hybrid', [{ queryId: 'q1', ranking: ['x', 'd1'], citedTexts: ['no', 'just 308 points'], topHighlight: 'no' }]);
    // q1: relevant at rank 2 → nDCG 1/log2(3), RR 1/2, R@1 0, R@5 1, answer at 2. q2: no outcome → 0 everywhere.
    expect(scores.ndcg10).toBeCloseTo(1 / Math.log2(3) / 2, 10);
    expect(scores.mrr10).toBeCloseTo(0.25, 10);
    expect([scores.recall1, scores.recall5, scores.recall10, scores.answerHit1, scores.answerHit5]).toEqual([0, 0.5, 0.5, 0, 0.5]);
    expect(toEvalJson(scores, 12.345)).toEqual({
      dataset: 'tiny',
      mode: 'hybrid',
      queries: 2,
      ndcg10: 0.3155,
      mrr10: 0.25,
      recall1: 0,
      recall5: 0.5,
      recall10: 0.5,
      answerHit1: 0,
      answerHit5: 0.5,
      // q1's top highlight ('no') holds no answer; q2 has no outcome.
      answerInHighlight1: 0,
      seconds: 12.3,
    });
  });

  it('reports AnswerHit as null when the dataset has no answers', () => {
    expect(scoreOutcomes({ ...dataset, hasAnswers: false }, 'bm25', []).answerHit1).toBeNull();
  });
});
