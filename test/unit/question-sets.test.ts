/**
 * Every question set citebot is measured on is checked against the documents it cites: the
 * project's seeds set, the pino-docs validation set (test/fixtures/pino-docs), the held-out
 * undici-docs and fastify-docs sets (test/fixtures/undici-docs, test/fixtures/fastify-docs), and
 * the shared vitest-docs set when it is on this machine. A gold span that points past the end of a file, a
 * code block cut in half or an answer string that is not in its span would silently turn a
 * retrieval hit into a miss (or a miss into a hit), so each set must pass before its numbers mean
 * anything.
 *
 * Problems name a question by its index and its span, never by its text: the shared set is kept
 * independent of the sets written here, so a failure must not print its questions.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DOCUMENT_EXTENSIONS } from '../../src/corpus/load-documents.ts';
import { splitLines } from '../../src/corpus/split-paragraphs.ts';
import { relevanceQuestionSetSchema, type QuestionSetFile } from '../../src/evaluation/relevance-dataset.ts';
import { REPO_ROOT } from '../support/engine.ts';

// ---------------------------------------------------------------------------------------------
// The checks, as pure functions over a set and a way to read the lines of a cited file.
// ---------------------------------------------------------------------------------------------

/** A fenced code block by its 1-based opening and closing fence lines (inclusive). */
interface FencedBlock {
  readonly open: number;
  readonly close: number;
}

/** CommonMark: a fence is at least three backticks or tildes. */
const MIN_FENCE_LENGTH = 3;
/** An opening backtick fence: its info string may not contain a backtick (else it is inline code). */
const BACKTICK_OPENER = new RegExp(`^(\`{${MIN_FENCE_LENGTH},})[^\`]*$`);
const TILDE_OPENER = new RegExp(`^(~{${MIN_FENCE_LENGTH},}).*$`);
/** A closing fence carries nothing but trailing whitespace. */
const CLOSER = new RegExp(`^(\`{${MIN_FENCE_LENGTH},}|~{${MIN_FENCE_LENGTH},})\\s*$`);

/**
 * The fenced code blocks of a Markdown file. Indentation is ignored, because fences nested in list
 * items (`1. Use jq:` followed by an indented block) are as common in documentation as top-level
 * ones. A block left open runs to the end of the file, as CommonMark has it.
 */
function fencedBlocks(lines: readonly string[]): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let open: { line: number; char: string; length: number } | undefined;
  lines.forEach((raw, index) => {
    const line = raw.trimStart();
    const number = index + 1;
    if (open === undefined) {
      const fence = (BACKTICK_OPENER.exec(line) ?? TILDE_OPENER.exec(line))?.[1];
      if (fence !== undefined) open = { line: number, char: fence.charAt(0), length: fence.length };
      return;
    }
    const fence = CLOSER.exec(line)?.[1];
    if (fence !== undefined && fence.charAt(0) === open.char && fence.length >= open.length) {
      blocks.push({ open: open.line, close: number });
      open = undefined;
    }
  });
  if (open !== undefined) blocks.push({ open: open.line, close: lines.length });
  return blocks;
}

type ProblemKind =
  | 'blank-answer'
  | 'file-outside-root'
  | 'file-missing'
  | 'lines-out-of-range'
  | 'answer-not-in-span'
  | 'fence-not-closed-by-span'
  | 'span-starts-inside-code-block'
  | 'duplicate-question';

interface Problem {
  /** Which question and span, e.g. `answerable[3] corpus/api.md:L10-L12`; never the question text. */
  readonly at: string;
  readonly kind: ProblemKind;
}

/** The lines of a cited file, or why it cannot be read. */
type LineReader = (file: string) => readonly string[] | 'outside-root' | 'missing';

/** Reads cited files relative to `root`, as citebot numbers their lines, once each. */
function lineReader(root: string): LineReader {
  const cache = new Map<string, readonly string[] | 'missing'>();
  return (file) => {
    const relative = path.relative(root, path.resolve(root, file));
    if (path.isAbsolute(file) || relative.startsWith('..') || path.isAbsolute(relative)) return 'outside-root';
    const cached = cache.get(file);
    if (cached !== undefined) return cached;
    const absolute = path.join(root, relative);
    const lines = existsSync(absolute) ? splitLines(readFileSync(absolute, 'utf8')) : 'missing';
    cache.set(file, lines);
    return lines;
  };
}

/** Case- and whitespace-insensitive, so a re-typed copy of a question still counts as a copy. */
const normaliseQuestion = (question: string) => question.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Everything wrong with a set's gold spans and answers:
 * - the answer is a non-blank string found (case-insensitively) inside every gold span;
 * - every gold file lies under the set's root and exists;
 * - `1 <= startLine <= endLine <= line count`;
 * - a span that opens on a fence line closes on that block's closing fence, and no span starts
 *   inside a code block's body (both would quote half a block).
 */
function spanProblems(set: QuestionSetFile, read: LineReader): Problem[] {
  const problems: Problem[] = [];
  const fencesByFile = new Map<string, FencedBlock[]>();
  set.answerable.forEach((item, q) => {
    if (item.answer.trim() === '') problems.push({ at: `answerable[${q}]`, kind: 'blank-answer' });
    for (const gold of item.gold) {
      const at = `answerable[${q}] ${gold.file}:L${gold.startLine}-L${gold.endLine}`;
      const lines = read(gold.file);
      if (lines === 'outside-root') problems.push({ at, kind: 'file-outside-root' });
      if (lines === 'missing') problems.push({ at, kind: 'file-missing' });
      if (typeof lines === 'string') continue;
      if (!(gold.startLine >= 1 && gold.startLine <= gold.endLine && gold.endLine <= lines.length)) {
        problems.push({ at, kind: 'lines-out-of-range' });
        continue;
      }
      const quoted = lines.slice(gold.startLine - 1, gold.endLine).join('\n');
      if (item.answer.trim() !== '' && !quoted.toLowerCase().includes(item.answer.toLowerCase())) {
        problems.push({ at, kind: 'answer-not-in-span' });
      }
      const blocks = fencesByFile.get(gold.file) ?? fencedBlocks(lines);
      fencesByFile.set(gold.file, blocks);
      const opened = blocks.find((block) => block.open === gold.startLine);
      if (opened !== undefined && opened.close !== gold.endLine) problems.push({ at, kind: 'fence-not-closed-by-span' });
      if (blocks.some((block) => block.open < gold.startLine && gold.startLine <= block.close)) {
        problems.push({ at, kind: 'span-starts-inside-code-block' });
      }
    }
  });
  return problems;
}

/** Questions asked twice in one set, answerable or not. */
function duplicateProblems(set: QuestionSetFile): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  const all = [
    ...set.answerable.map((item, i) => ({ at: `answerable[${i}]`, question: item.question })),
    ...set.unanswerable.map((item, i) => ({ at: `unanswerable[${i}]`, question: item.question })),
  ];
  for (const { at, question } of all) {
    const first = seen.get(normaliseQuestion(question));
    if (first !== undefined) problems.push({ at: `${at} repeats ${first}`, kind: 'duplicate-question' });
    else seen.set(normaliseQuestion(question), at);
  }
  return problems;
}

/**
 * The project schema knows nothing of why a question is unanswerable; the sets written for
 * validation say it in an extra `kind` field, parsed here on its own so the schema stays as it is.
 */
const unanswerableKindsSchema = z.object({
  unanswerable: z.array(z.object({ kind: z.enum(['near-topic', 'off-topic']).optional() })),
});

/** Every `.txt`/`.md` file under `folder` (as the indexer would see it), with its text. */
function indexedDocuments(folder: string): { file: string; text: string }[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && DOCUMENT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext)))
    .map((entry) => {
      const absolute = path.join(entry.parentPath, entry.name);
      return { file: path.relative(folder, absolute), text: readFileSync(absolute, 'utf8') };
    });
}

// ---------------------------------------------------------------------------------------------
// The checks catch what they are meant to catch.
// ---------------------------------------------------------------------------------------------

describe('fencedBlocks', () => {
  it.each([
    ['a top-level block', ['text', '```js', 'code', '```', 'after'], [{ open: 2, close: 4 }]],
    ['tildes, and a longer closing fence', ['~~~', 'x', '~~~~'], [{ open: 1, close: 3 }]],
    ['a block indented inside a list item', ['1. Use jq:', '    ```sh', '    jq .', '    ```'], [{ open: 2, close: 4 }]],
    ['a fence of the other character does not close', ['```', '~~~', '```'], [{ open: 1, close: 3 }]],
    ['a shorter fence does not close', ['````', '```', '````'], [{ open: 1, close: 3 }]],
    ['a fence with an info string does not close', ['```', '```js', '```'], [{ open: 1, close: 3 }]],
    ['backticks in the info string make inline code, not a fence', ['```a` b', 'text'], []],
    ['an unclosed block runs to the end', ['```', 'x', 'y'], [{ open: 1, close: 3 }]],
    ['two blocks in a row', ['```', 'a', '```', '```', 'b', '```'], [{ open: 1, close: 3 }, { open: 4, close: 6 }]],
    ['no fences', ['plain', '', 'text'], []],
  ])('%s', (_name, lines, expected) => {
    expect(fencedBlocks(lines)).toEqual(expected);
  });
});

describe('spanProblems and duplicateProblems flag broken sets', () => {
  // corpus/a.md:  1 "# Title", 3 a paragraph, 5-7 a code block, 9 the last line.
  const doc = ['# Title', '', 'Intro paragraph.', '', '```js', 'const a = 1', '```', '', 'End.'];
  const read: LineReader = (file) => (file === 'corpus/a.md' ? doc : file.startsWith('..') ? 'outside-root' : 'missing');
  const setWith = (answer: string, startLine: number, endLine: number, file = 'corpus/a.md'): QuestionSetFile => ({
    answerable: [{ question: 'q?', gold: [{ file, startLine, endLine }], answer }],
    unanswerable: [{ question: 'u?' }],
  });

  it.each<[string, QuestionSetFile, ProblemKind[]]>([
    ['a paragraph span holding its answer', setWith('intro PARAGRAPH', 3, 3), []],
    ['a whole code block', setWith('const a', 5, 7), []],
    ['an answer missing from the span', setWith('Intro', 9, 9), ['answer-not-in-span']],
    ['a blank answer (it would match any span)', setWith('  ', 3, 3), ['blank-answer']],
    ['a span past the end of the file', setWith('End.', 9, 10), ['lines-out-of-range']],
    ['a span that ends before it starts', setWith('End.', 9, 8), ['lines-out-of-range']],
    ['a code block cut in half at the end', setWith('const a', 5, 6), ['fence-not-closed-by-span']],
    ['a code block cut in half at the start', setWith('const a', 6, 7), ['span-starts-inside-code-block']],
    ['a file that does not exist', setWith('x', 1, 1, 'corpus/b.md'), ['file-missing']],
    ['a file outside the set folder', setWith('x', 1, 1, '../a.md'), ['file-outside-root']],
  ])('%s', (_name, set, expected) => {
    expect(spanProblems(set, read).map((problem) => problem.kind)).toEqual(expected);
  });

  it('names a duplicated question by where it is, ignoring case and spacing', () => {
    const set: QuestionSetFile = {
      answerable: [{ question: 'What is the default level?', gold: [{ file: 'corpus/a.md', startLine: 3, endLine: 3 }], answer: 'Intro' }],
      unanswerable: [{ question: 'Other?' }, { question: '  what is the  DEFAULT level? ' }],
    };
    expect(duplicateProblems(set)).toEqual([{ at: 'unanswerable[1] repeats answerable[0]', kind: 'duplicate-question' }]);
  });

  it('reads files relative to the set folder and refuses paths that leave it', () => {
    const read = lineReader(path.join(REPO_ROOT, 'test/fixtures/pino-docs'));
    expect(read('corpus/diagnostics.md')).toHaveLength(16);
    expect(read('corpus/no-such-page.md')).toBe('missing');
    expect(read('../seed-questions.json')).toBe('outside-root');
    expect(read('/etc/hostname')).toBe('outside-root');
  });
});

// ---------------------------------------------------------------------------------------------
// The question sets themselves.
// ---------------------------------------------------------------------------------------------

const PINO_DOCS = path.join(REPO_ROOT, 'test/fixtures/pino-docs');
/** The held-out undici documentation set: see test/fixtures/undici-docs/README.md. */
const UNDICI_DOCS = path.join(REPO_ROOT, 'test/fixtures/undici-docs');
/** The held-out fastify documentation set: see test/fixtures/fastify-docs/README.md. */
const FASTIFY_DOCS = path.join(REPO_ROOT, 'test/fixtures/fastify-docs');
/** Shared evaluation data lives beside the checkouts and is never copied into the repository. */
const VITEST_DOCS = path.resolve(REPO_ROOT, '../shared/eval/vitest-docs');

interface SetUnderTest {
  readonly name: string;
  readonly questionsFile: string;
  /** The folder the gold `file` paths are relative to. */
  readonly root: string;
  /** A reason to skip, when the set is not on this machine. */
  readonly skip?: string;
  /**
   * Problems the set is known to have and that are not ours to fix (reported, left as they are).
   * Pinned exactly: a new problem fails the test, and so does fixing one without updating the list.
   */
  readonly knownProblems?: readonly Problem[];
}

/**
 * The seeds set was written before the answer-in-every-span rule: in these multi-span questions the
 * answer string is quoted from one span and the other spans answer in other words.
 */
const KNOWN_SEED_PROBLEMS: readonly Problem[] = [
  'answerable[0] seeds/000_e4409a72bea0ec59.txt:L7-L7',
  'answerable[5] seeds/000_e4409a72bea0ec59.txt:L34-L34',
  'answerable[10] seeds/000_e4409a72bea0ec59.txt:L24-L24',
  'answerable[10] seeds/000_e4409a72bea0ec59.txt:L28-L28',
  'answerable[25] seeds/001_8140afa543bea040.txt:L8-L8',
  'answerable[25] seeds/002_b5b0d5d85ae90eb1.txt:L5-L5',
  'answerable[27] seeds/001_8140afa543bea040.txt:L44-L44',
  'answerable[28] seeds/001_8140afa543bea040.txt:L30-L30',
  'answerable[28] seeds/001_8140afa543bea040.txt:L38-L38',
  'answerable[28] seeds/002_b5b0d5d85ae90eb1.txt:L13-L13',
  'answerable[28] seeds/001_8140afa543bea040.txt:L50-L50',
  'answerable[29] seeds/002_b5b0d5d85ae90eb1.txt:L25-L25',
  'answerable[49] seeds/001_8140afa543bea040.txt:L52-L52',
  'answerable[51] seeds/001_8140afa543bea040.txt:L58-L58',
].map((at) => ({ at, kind: 'answer-not-in-span' }));

const SETS: readonly SetUnderTest[] = [
  { name: 'seeds', questionsFile: path.join(REPO_ROOT, 'test/fixtures/seed-questions.json'), root: REPO_ROOT, knownProblems: KNOWN_SEED_PROBLEMS },
  { name: 'pino-docs', questionsFile: path.join(PINO_DOCS, 'questions.json'), root: PINO_DOCS },
  { name: 'undici-docs', questionsFile: path.join(UNDICI_DOCS, 'questions.json'), root: UNDICI_DOCS },
  { name: 'fastify-docs', questionsFile: path.join(FASTIFY_DOCS, 'questions.json'), root: FASTIFY_DOCS },
  {
    name: 'vitest-docs',
    questionsFile: path.join(VITEST_DOCS, 'questions.json'),
    root: VITEST_DOCS,
    ...(existsSync(path.join(VITEST_DOCS, 'questions.json')) ? {} : { skip: `skipped: ${VITEST_DOCS}/questions.json is not on this machine` }),
  },
];

for (const entry of SETS) {
  describe.skipIf(entry.skip !== undefined)(`question set ${entry.name}${entry.skip === undefined ? '' : ` (${entry.skip})`}`, () => {
    const load = () => {
      const raw: unknown = JSON.parse(readFileSync(entry.questionsFile, 'utf8'));
      return { raw, set: relevanceQuestionSetSchema.parse(raw) };
    };

    it('has the question-set shape, and any `kind` is near-topic or off-topic', () => {
      const { raw } = load();
      expect(relevanceQuestionSetSchema.safeParse(raw).success).toBe(true);
      expect(unanswerableKindsSchema.safeParse(raw).success).toBe(true);
    });

    it(`cites existing lines that hold the answer and keep code blocks whole${entry.knownProblems === undefined ? '' : ` (${entry.knownProblems.length} known exceptions)`}`, () => {
      expect(spanProblems(load().set, lineReader(entry.root))).toEqual(entry.knownProblems ?? []);
    });

    it('asks no question twice', () => {
      expect(duplicateProblems(load().set)).toEqual([]);
    });
  });
}

/**
 * The near-topic questions of the pino-docs set and the term each one turns on: the set promises
 * that none of these terms appears anywhere the indexer looks, so the documents cannot answer them.
 * Substrings on purpose: `sampl` covers sample and sampling, `encrypt` covers encryption.
 */
const PINO_NEAR_TOPIC_TERMS = ['sampl', 'splunk', 'journald', 'encrypt', 'cloudflare', 'prometheus', 'kinesis', 'pagerduty'] as const;

/** What the pino-docs set was drawn to: see test/fixtures/pino-docs/README.md. */
const PINO_COMPOSITION = { answerable: 45, nearTopic: 8, offTopic: 7, minPages: 10 } as const;

describe('question set pino-docs: composition', () => {
  const raw: unknown = JSON.parse(readFileSync(path.join(PINO_DOCS, 'questions.json'), 'utf8'));
  const set = relevanceQuestionSetSchema.parse(raw);
  const kinds = unanswerableKindsSchema.parse(raw).unanswerable.map((item) => item.kind);

  it('has the drawn numbers of questions, and says why each unanswerable one is', () => {
    expect(set.answerable).toHaveLength(PINO_COMPOSITION.answerable);
    expect(kinds.filter((kind) => kind === 'near-topic')).toHaveLength(PINO_COMPOSITION.nearTopic);
    expect(kinds.filter((kind) => kind === 'off-topic')).toHaveLength(PINO_COMPOSITION.offTopic);
    expect(kinds).not.toContain(undefined);
  });

  it('spreads its gold spans over enough pages, all inside corpus/', () => {
    const pages = new Set(set.answerable.flatMap((item) => item.gold.map((gold) => gold.file)));
    expect(pages.size).toBeGreaterThanOrEqual(PINO_COMPOSITION.minPages);
    expect([...pages].filter((file) => !file.startsWith('corpus/'))).toEqual([]);
  });

  it('turns every near-topic question on a term that no indexed document contains', () => {
    const nearTopic = set.unanswerable.filter((_item, i) => kinds[i] === 'near-topic');
    const withoutTerm = nearTopic.filter((item) => !PINO_NEAR_TOPIC_TERMS.some((term) => item.question.toLowerCase().includes(term)));
    expect(withoutTerm).toEqual([]);
    const documents = indexedDocuments(PINO_DOCS);
    expect(documents.length).toBeGreaterThan(0);
    const found = PINO_NEAR_TOPIC_TERMS.flatMap((term) => documents.filter((doc) => doc.text.toLowerCase().includes(term)).map((doc) => `${term} in ${doc.file}`));
    expect(found).toEqual([]);
  });
});

/**
 * The near-topic questions of the held-out undici-docs set and the term each one turns on, absent
 * from every indexed file there (pages and README alike). `http/3` rather than `quic`, because
 * `quic` is a substring of "Quick Start".
 */
const UNDICI_NEAR_TOPIC_TERMS = ['socks', 'zstd', 'oauth', 'graphql', 'opentelemetry', 'ntlm', 'circuit', 'http/3'] as const;

/**
 * The near-topic questions of the held-out fastify-docs set and the term each one turns on, absent
 * from every indexed file there (pages and README alike). `server-sent` and `rate-limit` rather
 * than `sse` and `rate`, which are substrings of common words on the pages.
 */
const FASTIFY_NEAR_TOPIC_TERMS = ['websocket', 'graphql', 'jwt', 'csrf', 'server-sent', 'brotli', 'sentry', 'rate-limit'] as const;

/**
 * What the blind held-out sets were drawn to (see each set's README.md): the number of questions
 * of each kind, the pages the gold spans must spread over, and the term each near-topic question
 * turns on, absent from every indexed file of the set.
 */
const HELD_OUT_COMPOSITIONS = [
  { name: 'undici-docs', root: UNDICI_DOCS, answerable: 50, nearTopic: 8, offTopic: 7, minPages: 12, nearTopicTerms: UNDICI_NEAR_TOPIC_TERMS },
  { name: 'fastify-docs', root: FASTIFY_DOCS, answerable: 50, nearTopic: 8, offTopic: 7, minPages: 12, nearTopicTerms: FASTIFY_NEAR_TOPIC_TERMS },
] as const;

describe.each(HELD_OUT_COMPOSITIONS)('question set $name: composition', (composition) => {
  const raw: unknown = JSON.parse(readFileSync(path.join(composition.root, 'questions.json'), 'utf8'));
  const set = relevanceQuestionSetSchema.parse(raw);
  const kinds = unanswerableKindsSchema.parse(raw).unanswerable.map((item) => item.kind);

  it('has the drawn numbers of questions, and says why each unanswerable one is', () => {
    expect(set.answerable).toHaveLength(composition.answerable);
    expect(kinds.filter((kind) => kind === 'near-topic')).toHaveLength(composition.nearTopic);
    expect(kinds.filter((kind) => kind === 'off-topic')).toHaveLength(composition.offTopic);
    expect(kinds).not.toContain(undefined);
  });

  it('spreads its gold spans over enough pages, all inside corpus/', () => {
    const pages = new Set(set.answerable.flatMap((item) => item.gold.map((gold) => gold.file)));
    expect(pages.size).toBeGreaterThanOrEqual(composition.minPages);
    expect([...pages].filter((file) => !file.startsWith('corpus/'))).toEqual([]);
  });

  it('never cites one line for two questions', () => {
    const owner = new Map<string, number>();
    const shared: string[] = [];
    set.answerable.forEach((item, q) => {
      for (const gold of item.gold) {
        for (let line = gold.startLine; line <= gold.endLine; line += 1) {
          const key = `${gold.file}:L${line}`;
          const first = owner.get(key);
          if (first !== undefined && first !== q) shared.push(`answerable[${q}] and answerable[${first}] at ${key}`);
          else owner.set(key, q);
        }
      }
    });
    expect(shared).toEqual([]);
  });

  it('turns every near-topic question on a term that no indexed document contains', () => {
    const terms: readonly string[] = composition.nearTopicTerms;
    const nearTopic = set.unanswerable.filter((_item, i) => kinds[i] === 'near-topic');
    const withoutTerm = nearTopic.filter((item) => !terms.some((term) => item.question.toLowerCase().includes(term)));
    expect(withoutTerm).toEqual([]);
    const documents = indexedDocuments(composition.root);
    expect(documents.length).toBeGreaterThan(0);
    const found = terms.flatMap((term) => documents.filter((doc) => doc.text.toLowerCase().includes(term)).map((doc) => `${term} in ${doc.file}`));
    expect(found).toEqual([]);
  });
});
