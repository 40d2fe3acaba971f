import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ChunkedDocument, Paragraph } from '../../src/core/types.ts';
import { chunkDocument } from '../../src/corpus/chunk-document.ts';
import { chunkMarkdown, frontMatterTitle, LIST_PIECE_TOKENS } from '../../src/corpus/markdown-passages.ts';
import { splitLines, type TokenCounter } from '../../src/corpus/split-paragraphs.ts';
import { REPO_ROOT } from '../support/engine.ts';

/**
 * A stand-in for the model's tokenizer (about 1.3 tokens per English word): these tests are about
 * structure and span arithmetic; the real tokenizer is exercised in the integration tests.
 */
const TOKENS_PER_WORD = 1.3;
const fakeTokens: TokenCounter = (text) => Math.ceil(text.split(/\s+/).filter(Boolean).length * TOKENS_PER_WORD);

/** Large enough that nothing in the small fixtures is split. */
const ROOMY = 10_000;

/** The provenance invariant: a passage's text is exactly its lines. */
function expectVerbatim(source: string, passages: readonly Paragraph[]): void {
  const lines = splitLines(source);
  for (const passage of passages) expect(passage.text, `lines ${passage.startLine}-${passage.endLine}`).toBe(lines.slice(passage.startLine - 1, passage.endLine).join('\n'));
}

/** Chunks `text` as Markdown and checks the invariant for every passage, so no test can forget it. */
function chunk(text: string, maxTokens = ROOMY, file = 'docs/page.md', countTokens: TokenCounter = fakeTokens): ChunkedDocument {
  const document = chunkMarkdown(file, text, { maxTokens, headingMaxWords: 5 }, countTokens);
  expectVerbatim(text, document.passages);
  return document;
}

/** Compact view: [startLine, endLine, kind, heading path]. */
const outline = (text: string, maxTokens = ROOMY) => chunk(text, maxTokens).passages.map((p) => [p.startLine, p.endLine, p.kind, p.headings.join(' > ')]);

describe('heading context', () => {
  it.each([
    [
      'ATX levels, going back up from ### to ## and to #',
      '# A\n\nin a\n\n## B\n\nin b\n\n### C\n\nin c\n\n## D\n\nin d\n\n# E\n\nin e\n',
      [[3, 3, 'text', 'A'], [7, 7, 'text', 'A > B'], [11, 11, 'text', 'A > B > C'], [15, 15, 'text', 'A > D'], [19, 19, 'text', 'E']],
    ],
    ['text before the first heading has none', 'intro\n\n# A\n\nbody\n', [[1, 1, 'text', ''], [5, 5, 'text', 'A']]],
    ['a skipped level pops correctly', '# A\n\n### C\n\nx\n\n## B\n\ny\n', [[5, 5, 'text', 'A > C'], [9, 9, 'text', 'A > B']]],
    ['setext headings (= is level 1, - is level 2)', 'Title\n=====\n\nintro\n\nSection\n-------\n\nbody\n\nOther\n-----\n\nmore\n', [[4, 4, 'text', 'Title'], [9, 9, 'text', 'Title > Section'], [14, 14, 'text', 'Title > Other']]],
    ['ATX and setext mixed', '# A\n\nB\n---\n\n### C\n\nx\n', [[8, 8, 'text', 'A > B > C']]],
    ['inline code and emphasis are stripped', '## `vi.mock` and *friends*\n\nx\n', [[3, 3, 'text', 'vi.mock and friends']]],
    ['a custom anchor is removed', '## Setup {#custom-id}\n\nx\n', [[3, 3, 'text', 'Setup']]],
    ['inline HTML tags go, their text stays; links keep their text', '## calledAfter <Version>4.1.0</Version> <CRoot /> {#called-after}\n\n### See [the guide](/guide) **now**\n\nx\n', [[5, 5, 'text', 'calledAfter 4.1.0 > See the guide now']]],
    ['a closing ATX sequence is not text', '## Options ##\n\nx\n', [[3, 3, 'text', 'Options']]],
    ['a heading on the last line, without a final newline, is no passage', '# A\n\nbody\n\n## Last', [[3, 3, 'text', 'A']]],
  ])('%s', (_name, text, expected) => {
    expect(outline(text)).toEqual(expected);
  });

  it('the heading path is metadata: the quoted text never holds it', () => {
    const [passage] = chunk('# Guide\n\n## Setup\n\nRun the installer.\n').passages;
    expect(passage).toEqual({ file: 'docs/page.md', startLine: 5, endLine: 5, text: 'Run the installer.', headings: ['Guide', 'Setup'], kind: 'text' });
  });
});

describe('code blocks', () => {
  it.each([
    ['a fence with blank lines inside is one passage, fences included', 'Intro.\n\n```ts\nconst a = 1\n\n\nconst b = 2\n```\n\nAfter.\n', [[1, 1, 'text'], [3, 8, 'code'], [10, 10, 'text']]],
    ['a 4-backtick fence holding a ``` fence', '````md\n```ts\nx\n```\n\nmore\n````\n', [[1, 7, 'code']]],
    ['a ~~~ fence', '~~~\nplain\n\ncode\n~~~\n', [[1, 5, 'code']]],
    ['an indented code block', 'Intro.\n\n    npm install\n\n    npm test\n\nAfter.\n', [[1, 1, 'text'], [3, 5, 'code'], [7, 7, 'text']]],
    ['an empty fence is no passage', '```ts\n```\n\ntext\n', [[4, 4, 'text']]],
    ['an unclosed fence runs to the end of the file, as the parser reads it', 'a\n\n```sh\nnpm test\n\nmore', [[1, 1, 'text'], [3, 6, 'code']]],
  ])('%s', (_name, text, expected) => {
    expect(chunk(text).passages.map((p) => [p.startLine, p.endLine, p.kind])).toEqual(expected);
  });

  it('the fence line keeps its language and [label]', () => {
    const [passage] = chunk('```ts [vitest.config.ts]\nexport default {}\n```\n').passages;
    expect(passage?.text.split('\n')[0]).toBe('```ts [vitest.config.ts]');
  });
});

describe('lists, tables and quotes stay whole', () => {
  it.each([
    ['a nested bullet list', '# L\n\n- one\n  - one.a\n  - one.b\n    1. deep\n- two\n\nAfter.\n', [[3, 7, 'list', 'L'], [9, 9, 'text', 'L']]],
    ['a loose ordered list (blank lines between items)', '1. first\n\n2. second\n\n   still second\n\n3. third\n', [[1, 7, 'list', '']]],
    ['a list item holding a code block', '- run:\n\n  ```sh\n  vitest\n\n  --run\n  ```\n- done\n', [[1, 8, 'list', '']]],
    ['a GFM table', '| Option | Default |\n| --- | --- |\n| `globals` | `false` |\n| `pool` | `forks` |\n\nAfter.\n', [[1, 4, 'table', ''], [6, 6, 'text', '']]],
    ['a blockquote of two paragraphs', '> first\n> line\n>\n> second\n\nAfter.\n', [[1, 4, 'quote', ''], [6, 6, 'text', '']]],
    ['a thematic break is no passage', 'a\n\n---\n\nb\n', [[1, 1, 'text', ''], [5, 5, 'text', '']]],
  ])('%s', (_name, text, expected) => {
    expect(outline(text)).toEqual(expected);
  });
});

describe('a lead-in ending with a colon belongs to the block it introduces', () => {
  it.each([
    ['a lead-in and its list', '# B\n\nThe following files are bundled separately:\n\n* `worker.js`\n* `file.js`\n', [[3, 6, 'list', 'B']]],
    ['a lead-in and its code block', 'For example:\n```ts\nvi.fn()\n```\n', [[1, 4, 'code', '']]],
    ['a lead-in and its table', 'Options:\n\n| a | b |\n| - | - |\n| 1 | 2 |\n', [[1, 5, 'table', '']]],
    ['a lead-in and its quote', 'The docs say:\n\n> quoted\n', [[1, 3, 'quote', '']]],
    ['a paragraph that does not end with a colon stays apart', 'Run this.\n\n```sh\nnpm test\n```\n', [[1, 1, 'text', ''], [3, 5, 'code', '']]],
    ['a colon before a paragraph joins nothing: prose follows prose', 'Note:\n\nThis is prose.\n', [[1, 1, 'text', ''], [3, 3, 'text', '']]],
    ['a heading between them separates them', 'Setup:\n\n## Next\n\n- item\n', [[1, 1, 'text', ''], [5, 5, 'list', 'Next']]],
    ['a container marker between them separates them', 'Setup:\n\n::: tip\n- item\n:::\n', [[1, 1, 'text', ''], [4, 4, 'list', '']]],
  ])('%s', (_name, text, expected) => {
    expect(outline(text)).toEqual(expected);
  });

  it('a long lead-in block is still cut to the limit, every piece its own lines', () => {
    const items = Array.from({ length: 40 }, (_, i) => `- item number ${i} with some words`).join('\n');
    const passages = chunk(`These are the items:\n\n${items}\n`, 60).passages;
    expect(passages.length).toBeGreaterThan(1);
    expect(passages[0]?.startLine).toBe(1);
    expect(passages.at(-1)?.endLine).toBe(42);
  });
});

describe('front matter and title', () => {
  it.each([
    ['front matter title wins', '---\ntitle: globals | Config\noutline: deep\n---\n\n# globals\n\nBody.\n', 'globals | Config', [[8, 8]]],
    ['a quoted title is unquoted', "---\ntitle: 'Mocking: a guide'\n---\nBody.\n", 'Mocking: a guide', [[4, 4]]],
    ['without a title key, the first # heading', '---\nlayout: doc\n---\n\n## Intro\n\n# The `vi` object\n\nBody.\n', 'The vi object', [[9, 9]]],
    ['without either, the file name', 'Just text.\n', 'page', [[1, 1]]],
    ['a file that is only front matter', '---\ntitle: Home\nlayout: home\n---\n', 'Home', []],
    ['an empty file', '', 'page', []],
    ['only blank lines', '\n\n   \n', 'page', []],
    ['a first line --- that is never closed is a thematic break, not front matter', '---\n\nBody text.\n', 'page', [[3, 3]]],
  ])('%s', (_name, text, title, spans) => {
    const document = chunk(text);
    expect(document.title).toBe(title);
    expect(document.passages.map((p) => [p.startLine, p.endLine])).toEqual(spans);
  });

  it.each([
    ['title: Plain', 'Plain'],
    ['title: "Double: quoted"', 'Double: quoted'],
    ["layout: home\ntitle: 'Single'\n", 'Single'],
    ['title: |\n  block scalar', undefined],
    ['hero:\n  title: nested, not the page title', undefined],
    ['titles: not the key', undefined],
    ['title:', undefined],
    ['', undefined],
  ])('frontMatterTitle(%j) → %j', (yaml, expected) => {
    expect(frontMatterTitle(yaml)).toBe(expected);
  });
});

describe('HTML', () => {
  it.each([
    ['a comment is no passage', 'a\n\n<!-- note to editors -->\n\nb\n', [[1, 1, 'text', ''], [5, 5, 'text', '']]],
    ['a multi-line comment is no passage', '<!--\nhidden\n\nstill hidden\n-->\n\nb\n', [[7, 7, 'text', '']]],
    ['a <script setup> block is no passage', '<script setup>\nimport { data } from "./x"\n</script>\n\n# T\n\nb\n', [[7, 7, 'text', 'T']]],
    ['a paragraph of inline HTML without text (an anchor) is no passage', 'a\n\n<a id="islevelenabled"></a>\n\nb\n', [[1, 1, 'text', ''], [5, 5, 'text', '']]],
    ['a tag without text (an image) is no passage', '<img alt="logo" src="/logo.png">\n\nb\n', [[3, 3, 'text', '']]],
    ['HTML with visible text is a text passage', '<div class="note">\nVisible words here.\n</div>\n', [[1, 3, 'text', '']]],
    [
      '<details>: the summary is the context of what is inside, not a passage',
      '# T\n\n<details>\n<summary>Why separate types?</summary>\n\nInside text.\n\n</details>\n\nAfter.\n',
      [[6, 6, 'text', 'T > Why separate types?'], [10, 10, 'text', 'T']],
    ],
  ])('%s', (_name, text, expected) => {
    expect(outline(text)).toEqual(expected);
  });
});

describe('VitePress containers', () => {
  const MARKER = /^\s*:{3,}/;
  it.each([
    ['the marker lines are in no passage', 'a\n\n::: tip\nInside.\n:::\n\nb\n', [[1, 1, 'text', ''], [4, 4, 'text', ''], [7, 7, 'text', '']]],
    ['no space after the colons', '# T\n\n:::tip\nInside.\n:::\n', [[4, 4, 'text', 'T']]],
    ['a container title is context for the blocks inside, and only those', '# T\n\n::: warning Deprecated\nOld API.\n\n- still here\n:::\n\nAfter.\n', [[4, 4, 'text', 'T > Deprecated'], [6, 6, 'list', 'T > Deprecated'], [9, 9, 'text', 'T']]],
    ['a title is plain text', '::: details Why are `Captured` and `Expected` separate? {#why}\nBecause.\n:::\n', [[2, 2, 'text', 'Why are Captured and Expected separate?']]],
    ['a code group: each fence is one passage', '::: code-group\n```ts [a.ts]\nexport const a = 1\n\nexport const b = 2\n```\n```js [b.js]\nmodule.exports = {}\n```\n:::\n', [[2, 6, 'code', ''], [7, 9, 'code', '']]],
    ['nested containers (:::: outside)', ':::: details Outer\n::: tip Inner\nDeep.\n:::\nShallow.\n::::\n', [[3, 3, 'text', 'Outer > Inner'], [5, 5, 'text', 'Outer']]],
    ['a container inside a list item: the list is cut around the markers', '- item\n\n  ::: tip\n  Inside the tip.\n  :::\n\n- next\n', [[1, 1, 'list', ''], [4, 4, 'list', ''], [7, 7, 'list', '']]],
    ['a stray ::: line is no passage and opens nothing', 'a\n\n:::\n\nb\n', [[1, 1, 'text', ''], [5, 5, 'text', '']]],
    ['::: inside a fence is code', '```md\n::: tip\nx\n:::\n```\n', [[1, 5, 'code', '']]],
  ])('%s', (_name, text, expected) => {
    const passages = chunk(text).passages;
    expect(passages.map((p) => [p.startLine, p.endLine, p.kind, p.headings.join(' > ')])).toEqual(expected);
    for (const passage of passages.filter((p) => p.kind !== 'code')) expect(passage.text.split('\n').some((line) => MARKER.test(line))).toBe(false);
  });
});

describe('long blocks are split at structure, each piece with its true lines', () => {
  /** Asserts the pieces are consecutive and together hold every non-blank line of lines begin..end. */
  function expectTiles(text: string, pieces: readonly Paragraph[], begin: number, end: number): void {
    const lines = splitLines(text);
    const covered = new Set(pieces.flatMap((p) => Array.from({ length: p.endLine - p.startLine + 1 }, (_, i) => p.startLine + i)));
    for (let line = begin; line <= end; line++) if ((lines[line - 1] ?? '').trim() !== '') expect(covered.has(line), `line ${line}`).toBe(true);
    for (let i = 1; i < pieces.length; i++) expect(pieces[i]?.startLine).toBeGreaterThan(pieces[i - 1]?.endLine ?? Infinity);
  }

  it('a long code block: pieces of whole lines that fit, fences in the first and last, headings kept', () => {
    const body = Array.from({ length: 30 }, (_, i) => `call(${i}, alpha, beta)`).join('\n');
    const text = `## Example\n\n\`\`\`ts\n${body}\n\`\`\`\n`;
    const limit = 40;
    const pieces = chunk(text, limit).passages;
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(fakeTokens(piece.text)).toBeLessThanOrEqual(limit);
      expect(piece).toMatchObject({ kind: 'code', headings: ['Example'] });
    }
    expect(pieces[0]).toMatchObject({ startLine: 3 });
    expect(pieces[0]?.text.startsWith('```ts\n')).toBe(true);
    expect(pieces.at(-1)).toMatchObject({ endLine: 34 });
    expect(pieces.at(-1)?.text.endsWith('\n```')).toBe(true);
    expectTiles(text, pieces, 3, 34);
  });

  it('a long code block is cut after blank lines when that is enough', () => {
    const group = (name: string) => [`function ${name}() {`, '  return one two three', '}'].join('\n');
    const text = `\`\`\`js\n${group('a')}\n\n${group('b')}\n\n${group('c')}\n\`\`\`\n`;
    const pieces = chunk(text, 12).passages;
    // Each group is 3 lines of ~9 tokens: one group per piece, cut where the blank lines are.
    expect(pieces.map((p) => [p.startLine, p.endLine])).toEqual([[1, 4], [6, 8], [10, 13]]);
  });

  it('a long list is cut between items', () => {
    const items = Array.from({ length: 8 }, (_, i) => `- item ${i} has four words\n  and a second line`).join('\n');
    const pieces = chunk(`${items}\n`, 25).passages;
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.kind).toBe('list');
      expect(piece.text.startsWith('- item')).toBe(true);
    }
    expectTiles(items, pieces, 1, 16);
  });

  it(`a list longer than ${LIST_PIECE_TOKENS} tokens is cut between items into pieces of at most that many, though the model would take it whole`, () => {
    // 40 items of 10 words (13 tokens): 520 tokens, well inside ROOMY.
    const items = Array.from({ length: 40 }, (_, i) => `* **option${i}** sets the value used by feature number ${i} here`).join('\n');
    const text = `Options:\n\n${items}\n`;
    const pieces = chunk(text).passages;
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.kind).toBe('list');
      expect(fakeTokens(piece.text)).toBeLessThanOrEqual(LIST_PIECE_TOKENS);
      expect(piece.text.split('\n').at(-1)).toMatch(/^\* \*\*option\d+\*\*/);
    }
    // The lead-in stays with the first items.
    expect(pieces[0]?.text.startsWith('Options:\n\n* **option0**')).toBe(true);
    expectTiles(text, pieces, 1, 42);
  });

  it(`a list within ${LIST_PIECE_TOKENS} tokens stays whole, and so does a single item longer than that`, () => {
    const short = Array.from({ length: 5 }, (_, i) => `- item ${i} is short`).join('\n');
    expect(chunk(`${short}\n`).passages.map((p) => [p.startLine, p.endLine])).toEqual([[1, 5]]);
    const longItem = `- ${Array.from({ length: LIST_PIECE_TOKENS }, (_, i) => `word${i}`).join(' ')}`;
    const text = `${longItem}\n- a short item after it\n`;
    expect(chunk(text).passages.map((p) => [p.startLine, p.endLine])).toEqual([[1, 1], [2, 2]]);
  });

  it('a long table is cut between rows; the header and delimiter stay with the first rows', () => {
    const rows = Array.from({ length: 10 }, (_, i) => `| option${i} | value number ${i} |`).join('\n');
    const text = `| Name | Meaning |\n| --- | --- |\n${rows}\n`;
    const pieces = chunk(text, 30).passages;
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces[0]?.text.split('\n').slice(0, 3)).toEqual(['| Name | Meaning |', '| --- | --- |', '| option0 | value number 0 |']);
    for (const piece of pieces) expect(piece.kind).toBe('table');
    expectTiles(text, pieces, 1, 12);
  });

  it('a long quote is cut between its blocks', () => {
    const text = '> First paragraph has several words in it.\n>\n> Second paragraph has several words too.\n>\n> Third one is here.\n';
    // Each paragraph fits in 12 tokens (8 words), no two together do.
    const pieces = chunk(text, 12).passages;
    expect(pieces.map((p) => [p.startLine, p.endLine, p.kind])).toEqual([[1, 1, 'quote'], [3, 3, 'quote'], [5, 5, 'quote']]);
  });

  it('a long paragraph is cut at sentence ends', () => {
    const text = '# T\n\nThe first sentence is here.\nThe second sentence is here.\nThe third sentence is here.\n';
    expect(outline(text, 14)).toEqual([[3, 4, 'text', 'T'], [5, 5, 'text', 'T']]);
  });

  it('a single line longer than the limit is cut at words; every part keeps that line as its span', () => {
    const line = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    const text = `\`\`\`\nshort\n${line}\n\`\`\`\n`;
    // This is the one case where a passage is part of a line: the invariant holds for the line, not the text.
    const pieces = chunkMarkdown('docs/page.md', text, { maxTokens: 8, headingMaxWords: 5 }, fakeTokens).passages;
    const longParts = pieces.filter((p) => p.startLine === 3);
    expect(longParts.length).toBeGreaterThan(1);
    expect(longParts.map((p) => p.text).join(' ')).toBe(line);
    for (const piece of longParts) expect(piece).toMatchObject({ endLine: 3, kind: 'code' });
    expectVerbatim(text, pieces.filter((p) => p.startLine !== 3));
  });
});

describe('line endings and edges', () => {
  const lf = '---\ntitle: T\n---\n\n# A\n\nText here.\n\n```sh\nnpm i\n\nnpm t\n```\n';
  it.each([
    ['CRLF', lf.replaceAll('\n', '\r\n')],
    ['lone CR', lf.replaceAll('\n', '\r')],
    ['BOM + CRLF', `\uFEFF${lf.replaceAll('\n', '\r\n')}`],
    ['no final newline', lf.slice(0, -1)],
  ])('%s gives the same passages as LF', (_name, text) => {
    const expected = chunk(lf);
    expect(chunk(text)).toEqual(expected);
  });

  it('no final newline: the last passage ends on the last line', () => {
    expect(outline('# A\n\nfirst\n\nlast line')).toEqual([[3, 3, 'text', 'A'], [5, 5, 'text', 'A']]);
  });

  it.each([
    ['punctuation only', 'a\n\n…\n\nb\n'],
    ['an empty list item', 'a\n\n-\n\nb\n'],
  ])('a passage without a letter or digit (%s) is skipped', (_name, text) => {
    expect(chunk(text).passages.map((p) => p.text)).toEqual(['a', 'b']);
  });
});

describe('chunkDocument dispatches on the extension', () => {
  const text = '# Guide\n\n```sh\nnpm i\n\nnpm t\n```\n';
  const settings = { maxTokens: ROOMY, headingMaxWords: 5 };
  it.each(['docs/guide.md', 'docs/GUIDE.MD'])('%s is Markdown: one code passage under its heading', (file) => {
    expect(chunkDocument(file, text, settings, fakeTokens).passages.map((p) => [p.startLine, p.endLine, p.kind, p.headings])).toEqual([[3, 7, 'code', ['Guide']]]);
  });

  it('.txt is plain text: runs of non-blank lines', () => {
    expect(chunkDocument('docs/guide.txt', text, settings, fakeTokens).passages.map((p) => [p.startLine, p.endLine, p.kind])).toEqual([
      [3, 4, 'text'],
      [6, 7, 'text'],
    ]);
  });
});

describe('the vitest documentation corpus', () => {
  const corpus = path.resolve(REPO_ROOT, '../shared/eval/vitest-docs/corpus');
  const present = existsSync(corpus);
  /** The model's real input size (bge-small: 512 minus 2 special tokens), measured here in whitespace-separated words. */
  const MODEL_INPUT_TOKENS = 510;
  const words: TokenCounter = (text) => text.split(/\s+/).filter(Boolean).length;
  const FENCE_LINE = /^ {0,3}(?:`{3,}|~{3,})/;
  const LONE_MARKER = /^\s*:{3,}\s*$/;

  const title = present
    ? 'every passage is its own lines, never starts or ends with :::, and code fences pair up'
    : `skipped: ${corpus} is absent (the evaluation data lives outside the repository)`;

  it.skipIf(!present)(title, () => {
    const files = readdirSync(corpus, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.md'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const text = readFileSync(path.join(corpus, name), 'utf8');
      const { passages } = chunkDocument(name, text, { maxTokens: MODEL_INPUT_TOKENS, headingMaxWords: 5 }, words);
      expectVerbatim(text, passages);
      // A code passage opens and closes its fence; a code block split in pieces opens it in one
      // piece and closes it in a later one, with only pieces of the same block in between.
      let fenceOpen = false;
      for (const passage of passages) {
        const where = `${name}:${passage.startLine}`;
        const lines = passage.text.split('\n');
        expect(LONE_MARKER.test(lines[0] ?? ''), where).toBe(false);
        expect(LONE_MARKER.test(lines.at(-1) ?? ''), where).toBe(false);
        if (fenceOpen) expect(passage.kind, `${where} should continue a split code block`).toBe('code');
        if (passage.kind !== 'code') continue;
        const fences = lines.filter((line) => FENCE_LINE.test(line)).length;
        if (fences % 2 === 1) fenceOpen = !fenceOpen;
      }
      expect(fenceOpen, `${name}: a code block's fences do not pair up`).toBe(false);
    }
  });
});
