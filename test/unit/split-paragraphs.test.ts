import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument } from '../../src/corpus/chunk-document.ts';
import type { Paragraph } from '../../src/core/types.ts';
import {
  chunkPlainText,
  fileTitle,
  fitToTokenLimit,
  isHeading,
  plainTextTitle,
  splitLines,
  splitParagraphs,
  splitSentences,
  TITLE_MAX_WORDS,
} from '../../src/corpus/split-paragraphs.ts';
import { REPO_ROOT } from '../support/engine.ts';

/** A stand-in token counter: one token per word. */
const countWords = (t: string) => t.split(/\s+/).length;
const settings = (headingMaxWords: number) => ({ maxTokens: 100, headingMaxWords });

/** Spans only, for compact expectations. */
const spans = (text: string) => splitParagraphs('f.txt', text).map((p) => [p.startLine, p.endLine, p.text]);

describe('splitParagraphs: edge cases', () => {
  it.each([
    ['plain LF', 'one\n\ntwo\n', [[1, 1, 'one'], [3, 3, 'two']]],
    ['CRLF line endings', 'one\r\ntwo\r\n\r\nthree\r\n', [[1, 2, 'one\ntwo'], [4, 4, 'three']]],
    ['lone CR line endings', 'one\r\rtwo', [[1, 1, 'one'], [3, 3, 'two']]],
    ['UTF-8 BOM is not part of line 1', '\uFEFFfirst\n\nsecond', [[1, 1, 'first'], [3, 3, 'second']]],
    ['no final newline', 'a\n\nb', [[1, 1, 'a'], [3, 3, 'b']]],
    ['runs of blank lines', '\n\n\na\n\n\n\nb\n\n', [[4, 4, 'a'], [8, 8, 'b']]],
    ['whitespace-only lines separate paragraphs', 'a\n   \t\nb', [[1, 1, 'a'], [3, 3, 'b']]],
    ['a no-break space alone is blank', 'a\n\u00A0\nb', [[1, 1, 'a'], [3, 3, 'b']]],
    ['trailing spaces are kept verbatim', 'a  \nb \n', [[1, 2, 'a  \nb ']]],
    ['curly quotes and ellipses are kept verbatim', '“Yes,” he said…\n', [[1, 1, '“Yes,” he said…']]],
    ['empty file', '', []],
    ['only blank lines', '\n\n  \n', []],
  ])('%s', (_name, text, expected) => {
    expect(spans(text)).toEqual(expected);
  });

  it('keeps each copy of a duplicate paragraph at its own lines', () => {
    const text = 'Same caption.\n\nOther.\n\nSame caption.\n';
    expect(spans(text)).toEqual([
      [1, 1, 'Same caption.'],
      [3, 3, 'Other.'],
      [5, 5, 'Same caption.'],
    ]);
  });

  it('counts lines like an editor: a final newline does not add a line', () => {
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
  });
});

describe('splitParagraphs: the seeds, checked by hand against `cat -n`', () => {
  const paragraphsOf = (name: string) => {
    const file = `seeds/${name}`;
    return splitParagraphs(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'));
  };

  it('000: first paragraph, the two-line headline + dateline, and the last line (no final newline)', () => {
    const paragraphs = paragraphsOf('000_e4409a72bea0ec59.txt');
    expect(paragraphs[0]).toMatchObject({ startLine: 1, endLine: 1 });
    expect(paragraphs[0]?.text).toMatch(/^NATO defence ministers agreed Thursday/);
    const headline = paragraphs.find((p) => p.text.startsWith('US exit from Afghanistan'));
    expect(headline).toMatchObject({ startLine: 21, endLine: 22, text: 'US exit from Afghanistan could bolster Qaeda: commander\nWashington (AFP) Feb 27, 2014 –' });
    expect(paragraphs.at(-1)).toMatchObject({ startLine: 44, endLine: 44 });
    expect(paragraphs.at(-1)?.text.endsWith('exceptions."')).toBe(true);
    expect(paragraphs).toHaveLength(22);
  });

  it('001: the duplicated photo caption is one two-line paragraph at lines 3-4', () => {
    const paragraphs = paragraphsOf('001_8140afa543bea040.txt');
    expect(paragraphs[1]).toEqual({
      file: 'seeds/001_8140afa543bea040.txt',
      startLine: 3,
      endLine: 4,
      text: 'German Bundeswehr soldiers are seen at a camp in Afghanistan, March 25, 2018.\nGerman Bundeswehr soldiers are seen at a camp in Afghanistan, March 25, 2018. (Reuters)',
      headings: [],
      kind: 'text',
    });
    expect(paragraphs.find((p) => p.text.startsWith('While defence ministers held off'))).toMatchObject({ startLine: 8, endLine: 8 });
    expect(paragraphs.at(-1)).toMatchObject({ text: 'Source: TRTWorld and agencies', startLine: 68, endLine: 68 });
  });

  it('002: curly quotes and trailing no-break spaces survive, line numbers exact', () => {
    const paragraphs = paragraphsOf('002_b5b0d5d85ae90eb1.txt');
    const third = paragraphs.find((p) => p.startLine === 3);
    expect(third?.text).toContain('“no final decision”');
    expect(third?.text.endsWith('\u00A0')).toBe(true);
    expect(paragraphs.find((p) => p.text === 'Iraq expansion')).toMatchObject({ startLine: 35, endLine: 35 });
  });
});

describe('headings', () => {
  const paragraph = (text: string): Paragraph => ({ file: 'f', startLine: 1, endLine: 1, text, headings: [], kind: 'text' });
  it.each([
    ['Iraq expansion', true],
    ['Stalling peace talks', true],
    ['## Setup and configuration of the bot', true],
    ['Source: TRTWorld and agencies', false],
    ['He said no.', false],
    ['“We will stay,” he said', false],
    ['Six words make a line a sentence', false],
  ])('%s → heading: %s', (text, expected) => {
    expect(isHeading(paragraph(text), 5)).toBe(expected);
  });

  it('are not indexed as passages, and 0 turns the rule off', () => {
    const text = 'Iraq expansion\n\nThe mission will grow to 4,000.\n';
    expect(chunkDocument('f.txt', text, settings(5), countWords).passages.map((p) => p.startLine)).toEqual([3]);
    expect(chunkDocument('f.txt', text, settings(0), countWords).passages.map((p) => p.startLine)).toEqual([1, 3]);
  });

  it('become the context of the paragraphs after them, until the next heading', () => {
    const text = 'Lead paragraph, before any heading.\n\nIraq expansion\n\nThe mission will grow.\n\nIt starts in May.\n\n## Stalling talks\n\nNo date was set.\n';
    const passages = chunkPlainText('f.txt', text, settings(5), countWords).passages;
    expect(passages.map((p) => [p.startLine, p.headings, p.kind])).toEqual([
      [1, [], 'text'],
      [5, ['Iraq expansion'], 'text'],
      [7, ['Iraq expansion'], 'text'],
      [11, ['Stalling talks'], 'text'],
    ]);
  });

  it('give no context when the rule is off', () => {
    const passages = chunkPlainText('f.txt', 'Iraq expansion\n\nThe mission will grow.\n', settings(0), countWords).passages;
    expect(passages.map((p) => p.headings)).toEqual([[], []]);
  });

  it('stay the context of every piece of a split paragraph', () => {
    const text = 'Iraq expansion\n\nOne two three. Four five six.\n';
    const passages = chunkPlainText('f.txt', text, { maxTokens: 3, headingMaxWords: 5 }, countWords).passages;
    expect(passages.map((p) => [p.text, p.headings])).toEqual([
      ['One two three.', ['Iraq expansion']],
      ['Four five six.', ['Iraq expansion']],
    ]);
  });
});

describe('plain-text title', () => {
  const longLine = Array.from({ length: TITLE_MAX_WORDS + 1 }, (_, i) => `w${i}`).join(' ');
  it.each([
    ['a headline', 'US exit from Afghanistan could bolster Qaeda: commander\nWashington (AFP) Feb 27, 2014 –\n\nBody.', 'US exit from Afghanistan could bolster Qaeda: commander'],
    ['leading blank lines are skipped', '\n\n  NATO weighs exit  \n\nBody.', 'NATO weighs exit'],
    ['a Markdown-style marker is not part of the title', '## Setup\n\nBody.', 'Setup'],
    ['a first line ending like a sentence is prose', 'German soldiers are seen at a camp in Afghanistan.\n', 'news 01'],
    ['a first line ending in a colon introduces what follows', 'The ministers agreed on three points:\n', 'news 01'],
    [`more than ${TITLE_MAX_WORDS} words is a lead paragraph`, longLine, 'news 01'],
    ['an empty file', '', 'news 01'],
  ])('%s', (_name, text, expected) => {
    expect(plainTextTitle('corpus/news-01.txt', splitLines(text))).toBe(expected);
  });

  // Checked by hand: each seed starts with a lead paragraph (20–30 words) or a photo caption, not a headline.
  // Their file names are hashes that name nothing, so they have no title at all (no noise in every passage's context).
  it.each(['000_e4409a72bea0ec59', '001_8140afa543bea040', '002_b5b0d5d85ae90eb1'])('seed %s opens with a lead paragraph and a hash name: no title', (name) => {
    const file = `seeds/${name}.txt`;
    expect(chunkDocument(file, readFileSync(path.join(REPO_ROOT, file), 'utf8'), settings(5), countWords).title).toBe('');
  });

  it.each([
    ['docs/getting-started.txt', 'getting started'],
    ['notes/release_notes_2024.txt', 'release notes 2024'],
    ['a/x1.txt', ''],
  ])('a file name that names something is the title of last resort: %s → %j', (file, expected) => {
    expect(fileTitle(file)).toBe(expected);
  });
});

describe('fitToTokenLimit', () => {
  // A stand-in counter (one token per word) keeps these tests about span arithmetic; the real
  // tokenizer is exercised in test/integration/embedding.test.ts.
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  const at = (startLine: number, endLine: number, text: string): Paragraph => ({ file: 'f', startLine, endLine, text, headings: [], kind: 'text' });

  it('leaves a paragraph that fits untouched', () => {
    const paragraph = at(5, 6, 'One two.\nThree four.');
    expect(fitToTokenLimit(paragraph, 10, words)).toEqual([paragraph]);
  });

  it('splits at sentence boundaries, each piece keeping its true lines', () => {
    const paragraph = at(10, 12, 'Alpha beta gamma. Delta epsilon.\nZeta eta theta iota.\nKappa lambda.');
    const pieces = fitToTokenLimit(paragraph, 5, words);
    expect(pieces).toEqual([at(10, 10, 'Alpha beta gamma. Delta epsilon.'), at(11, 11, 'Zeta eta theta iota.'), at(12, 12, 'Kappa lambda.')]);
    for (const piece of pieces) expect(words(piece.text)).toBeLessThanOrEqual(5);
  });

  it('a sentence spanning two lines keeps both lines', () => {
    const paragraph = at(1, 2, 'One two three\nfour five. Six seven eight nine ten.');
    expect(fitToTokenLimit(paragraph, 5, words).map((p) => [p.startLine, p.endLine])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('splits a single over-long sentence at word boundaries rather than letting the model truncate it', () => {
    const paragraph = at(1, 1, 'a b c d e f g h i j');
    expect(fitToTokenLimit(paragraph, 4, words).map((p) => p.text)).toEqual(['a b c d', 'e f g h', 'i j']);
  });

  it("carries the paragraph's headings and kind to every piece", () => {
    const paragraph: Paragraph = { ...at(1, 1, 'One two. Three four.'), headings: ['Guide', 'Setup'], kind: 'quote' };
    expect(fitToTokenLimit(paragraph, 2, words).map((p) => [p.text, p.headings, p.kind])).toEqual([
      ['One two.', ['Guide', 'Setup'], 'quote'],
      ['Three four.', ['Guide', 'Setup'], 'quote'],
    ]);
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends and keeps each sentence verbatim', () => {
    expect(splitSentences('“We stay,” he said. They left! Did they?')).toEqual(['“We stay,” he said.', 'They left!', 'Did they?']);
  });
});
