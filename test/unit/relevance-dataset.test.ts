/** Building labelled evidence for the relevance model: source specs, labels, and the questions asked of a (fake) engine. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Hit, SearchOptions, SearchResult, SourceSpan } from '../../src/core/types.ts';
import { hitLabel, labelQuestions, neutralRelevanceModel, parseSourceSpec, prepareSource, resolveCitationRoot, sourceProblem, type DatasetQuestion } from '../../src/evaluation/relevance-dataset.ts';
import { EVIDENCE_FEATURES } from '../../src/retrieval/evidence.ts';
import { parseRelevanceModel, relevanceProbability } from '../../src/retrieval/relevance-model.ts';

describe('parseSourceSpec', () => {
  const cwd = '/project';
  it.each([
    ['questions:test/fixtures/seed-questions.json@seeds', { kind: 'questions', questionsFile: '/project/test/fixtures/seed-questions.json', documentsDir: '/project/seeds' }],
    ['questions:/e/vitest-docs/questions.json@/e/vitest-docs/corpus', { kind: 'questions', questionsFile: '/e/vitest-docs/questions.json', documentsDir: '/e/vitest-docs/corpus' }],
    ['beir:/e/scifact', { kind: 'beir', folder: '/e/scifact', split: 'test', part: undefined }],
    ['beir:/e/scifact:train', { kind: 'beir', folder: '/e/scifact', split: 'train', part: undefined }],
    ['beir:../shared/xquad-en:test:1/2', { kind: 'beir', folder: '/shared/xquad-en', split: 'test', part: { index: 0, of: 2 } }],
    ['beir:/e/xquad-en:2/2', { kind: 'beir', folder: '/e/xquad-en', split: 'test', part: { index: 1, of: 2 } }],
  ])('%s', (spec, expected) => {
    const parsed = parseSourceSpec(spec, cwd);
    expect(parsed.ok && parsed.value).toMatchObject({ ...expected, spec });
  });

  it.each([
    ['seeds', /neither a questions: nor a beir: source/],
    ['questions:only-a-file.json', /needs both a question file and a documents folder/],
    ['questions:file.json@', /needs both/],
    ['beir:', /names no folder/],
    ['beir:/e/xquad:3/2', /part 3\/2/],
    ['beir:/e/xquad:0/2', /part 0\/2/],
  ])('%s is refused with a reason', (spec, problem) => {
    const parsed = parseSourceSpec(spec, cwd);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toMatch(problem);
  });
});

describe('hitLabel', () => {
  const gold: SourceSpan[] = [{ file: 'docs/a.md', startLine: 10, endLine: 20 }];
  it.each<[string, Pick<Hit, 'file' | 'startLine' | 'endLine' | 'alsoIn'>, 0 | 1]>([
    ['inside the gold span', { file: 'docs/a.md', startLine: 12, endLine: 14, alsoIn: [] }, 1],
    ['overlapping its last line', { file: 'docs/a.md', startLine: 20, endLine: 25, alsoIn: [] }, 1],
    ['just after it', { file: 'docs/a.md', startLine: 21, endLine: 25, alsoIn: [] }, 0],
    ['same lines of another file', { file: 'docs/b.md', startLine: 10, endLine: 20, alsoIn: [] }, 0],
    ['a duplicate collapsed into it is the gold', { file: 'docs/b.md', startLine: 1, endLine: 3, alsoIn: [{ file: 'docs/a.md', startLine: 15, endLine: 17 }] }, 1],
  ])('%s → %i', (_case, hit, expected) => {
    expect(hitLabel(hit, gold)).toBe(expected);
  });
});

/** An engine that returns canned hits and records what it was asked. */
function fakeEngine(hitsFor: (query: string, options: SearchOptions) => Pick<Hit, 'file' | 'startLine' | 'endLine'>[]) {
  const calls: { query: string; options: SearchOptions }[] = [];
  const engine: Engine = {
    search: async (query, options = {}): Promise<SearchResult> => {
      calls.push({ query, options });
      const hits = hitsFor(query, options).map(
        (span, i) => ({ ...span, alsoIn: [], evidence: { rank: i + 1 } }) as unknown as Hit,
      );
      return { query, abstained: false, bestSimilarity: 0, unknownNames: [], hits, timings: { embed: 0, dense: 0, bm25: 0, fusion: 0, highlight: 0, total: 0 } };
    },
    source: () => Promise.reject(new Error('not used')),
    summary: () => ({ modelId: 'fake', builtAt: '', documents: [], paragraphs: 0 }),
    close: () => Promise.resolve(),
  };
  return { engine, calls };
}

describe('labelQuestions', () => {
  const gold: SourceSpan[] = [
    { file: 'docs/a.md', startLine: 1, endLine: 5 },
    { file: 'docs/c.md', startLine: 1, endLine: 2 },
  ];
  const questions: DatasetQuestion[] = [
    { id: 'a1', question: 'How do I mock timers?', gold, answers: ['vi.useFakeTimers'], unanswerableKind: undefined },
    { id: 'u1', question: 'How do I bake bread?', gold: [], answers: [], unanswerableKind: 'off-topic' },
  ];
  // Without exclusions the gold passage ranks second; with them, only other passages come back.
  const { engine, calls } = fakeEngine((_query, options) =>
    options.excludeSpans === undefined
      ? [
          { file: 'docs/b.md', startLine: 1, endLine: 3 },
          { file: 'docs/a.md', startLine: 2, endLine: 4 },
        ]
      : [
          { file: 'docs/b.md', startLine: 1, endLine: 3 },
          { file: 'docs/a.md', startLine: 6, endLine: 9 },
        ],
  );
  let labelled: Awaited<ReturnType<typeof labelQuestions>>;
  beforeAll(async () => {
    labelled = await labelQuestions(engine, 'docs-set', questions, { k: 2, excludeGold: true });
  });

  it('asks each question with explain, and each answerable one again without all its gold spans', () => {
    expect(calls.map((call) => [call.query, call.options])).toEqual([
      ['How do I mock timers?', { k: 2, explain: true }],
      ['How do I mock timers?', { k: 2, explain: true, excludeSpans: gold }],
      ['How do I bake bread?', { k: 2, explain: true }],
    ]);
  });

  it('labels passages by gold overlap and marks the excluded variant as its own unanswerable question in the same group', () => {
    expect(labelled.map(({ id, group, origin, unanswerableKind }) => ({ id, group, origin, unanswerableKind }))).toEqual([
      { id: 'docs-set#a1', group: 'docs-set#a1', origin: 'answerable', unanswerableKind: undefined },
      { id: 'docs-set#a1/excluded', group: 'docs-set#a1', origin: 'excluded', unanswerableKind: undefined },
      { id: 'docs-set#u1', group: 'docs-set#u1', origin: 'unanswerable', unanswerableKind: 'off-topic' },
    ]);
    expect(labelled.map((item) => item.passages.map((passage) => passage.label))).toEqual([[0, 1], [0, 0], [0, 0]]);
    expect(labelled[0]?.passages[1]?.evidence).toEqual({ rank: 2 });
  });

  it('skips the excluded variant when asked to', async () => {
    const { engine: plain, calls: plainCalls } = fakeEngine(() => []);
    await labelQuestions(plain, 's', questions, { k: 3, excludeGold: false });
    expect(plainCalls.every((call) => call.options.excludeSpans === undefined)).toBe(true);
    expect(plainCalls).toHaveLength(2);
  });
});

describe('question sources on disk', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'citebot-dataset-'));
    // A set in the vitest-docs layout: gold paths relative to the set's folder, documents under corpus/.
    await mkdir(path.join(root, 'set', 'corpus', 'guide'), { recursive: true });
    await writeFile(path.join(root, 'set', 'corpus', 'guide', 'mocking.md'), '# Mocking\n\nUse vi.fn.\n');
    await writeFile(
      path.join(root, 'set', 'questions.json'),
      JSON.stringify({
        answerable: [{ question: 'How do I mock?', gold: [{ file: 'corpus/guide/mocking.md', startLine: 3, endLine: 3 }], answer: 'vi.fn' }],
        unanswerable: [{ question: 'How do I bake bread?', kind: 'off-topic' }, { question: 'Stryker?' }],
      }),
    );
    await writeFile(path.join(root, 'set', 'broken.json'), JSON.stringify({ answerable: [{ question: 'x' }] }));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('finds the folder gold paths are relative to', async () => {
    const corpus = path.join(root, 'set', 'corpus');
    expect(await resolveCitationRoot(['corpus/guide/mocking.md'], path.join(root, 'set', 'questions.json'), corpus, '/elsewhere')).toBe(path.join(root, 'set'));
    expect(await resolveCitationRoot(['corpus/guide/absent.md'], path.join(root, 'set', 'questions.json'), corpus, '/elsewhere')).toBeUndefined();
  });

  it('reads the questions, their kinds and answers, and keeps the index in the work folder', async () => {
    const spec = parseSourceSpec('questions:set/questions.json@set/corpus', root);
    if (!spec.ok) throw new Error(spec.problem);
    const source = await prepareSource(spec.value, path.join(root, 'work'), root);
    expect(source.name).toBe('set');
    expect(source.rootDir).toBe(path.join(root, 'set'));
    expect(source.indexDir.startsWith(path.join(root, 'work'))).toBe(true);
    expect(source.questions).toEqual([
      { id: 'a1', question: 'How do I mock?', gold: [{ file: 'corpus/guide/mocking.md', startLine: 3, endLine: 3 }], answers: ['vi.fn'], unanswerableKind: undefined },
      { id: 'u1', question: 'How do I bake bread?', gold: [], answers: [], unanswerableKind: 'off-topic' },
      { id: 'u2', question: 'Stryker?', gold: [], answers: [], unanswerableKind: undefined },
    ]);
  });

  it('says which file is not a question set', async () => {
    const spec = parseSourceSpec('questions:set/broken.json@set/corpus', root);
    if (!spec.ok) throw new Error(spec.problem);
    await expect(prepareSource(spec.value, path.join(root, 'work'), root)).rejects.toThrow(/broken\.json is not a question set/);
  });

  it('names a missing question file or folder before anything is loaded', async () => {
    const missing = parseSourceSpec('questions:set/absent.json@set/corpus', root);
    const noFolder = parseSourceSpec('questions:set/questions.json@set/nothing', root);
    const noBeir = parseSourceSpec('beir:set/corpus', root);
    if (!missing.ok || !noFolder.ok || !noBeir.ok) throw new Error('specs should parse');
    expect(await sourceProblem(missing.value)).toMatch(/the question file .*absent\.json does not exist/);
    expect(await sourceProblem(noFolder.value)).toMatch(/the documents folder .*nothing does not exist/);
    expect(await sourceProblem(noBeir.value)).toMatch(/corpus\.jsonl does not exist/);
  });
});

describe('neutralRelevanceModel', () => {
  it('is a valid model for the current features that rates every passage ½', () => {
    const model = parseRelevanceModel(neutralRelevanceModel('m'), 'neutral');
    expect(relevanceProbability(model, Object.fromEntries(EVIDENCE_FEATURES.map((f) => [f, 0.7])))).toBe(0.5);
  });
});
