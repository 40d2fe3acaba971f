import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chunkDocument, fitToTokenLimit, isHeading, splitLines, splitParagraphs, splitSentences } from '../../src/corpus/split-paragraphs.ts';
import { REPO_ROOT } from '../support/engine.ts';

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
  const paragraph = (text: string) => ({ file: 'f', startLine: 1, endLine: 1, text });
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
    const countWords = (t: string) => t.split(/\s+/).length;
    expect(chunkDocument('f', text, { maxTokens: 100, headingMaxWords: 5 }, countWords).map((p) => p.startLine)).toEqual([3]);
    expect(chunkDocument('f', text, { maxTokens: 100, headingMaxWords: 0 }, countWords).map((p) => p.startLine)).toEqual([1, 3]);
  });
});

describe('fitToTokenLimit', () => {
  // A stand-in counter (one token per word) keeps these tests about span arithmetic; the real
  // tokenizer is exercised in test/integration/embedding.test.ts.
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

  it('leaves a paragraph that fits untouched', () => {
    const paragraph = { file: 'f', startLine: 5, endLine: 6, text: 'One two.\nThree four.' };
    expect(fitToTokenLimit(paragraph, 10, words)).toEqual([paragraph]);
  });

  it('splits at sentence boundaries, each piece keeping its true lines', () => {
    const paragraph = { file: 'f', startLine: 10, endLine: 12, text: 'Alpha beta gamma. Delta epsilon.\nZeta eta theta iota.\nKappa lambda.' };
    const pieces = fitToTokenLimit(paragraph, 5, words);
    expect(pieces).toEqual([
      { file: 'f', startLine: 10, endLine: 10, text: 'Alpha beta gamma. Delta epsilon.' },
      { file: 'f', startLine: 11, endLine: 11, text: 'Zeta eta theta iota.' },
      { file: 'f', startLine: 12, endLine: 12, text: 'Kappa lambda.' },
    ]);
    for (const piece of pieces) expect(words(piece.text)).toBeLessThanOrEqual(5);
  });

  it('a sentence spanning two lines keeps both lines', () => {
    const paragraph = { file: 'f', startLine: 1, endLine: 2, text: 'One two three\nfour five. Six seven eight nine ten.' };
    expect(fitToTokenLimit(paragraph, 5, words).map((p) => [p.startLine, p.endLine])).toEqual([
      [1, 2],
      [2, 2],
    ]);
  });

  it('splits a single over-long sentence at word boundaries rather than letting the model truncate it', () => {
    const paragraph = { file: 'f', startLine: 1, endLine: 1, text: 'a b c d e f g h i j' };
    expect(fitToTokenLimit(paragraph, 4, words).map((p) => p.text)).toEqual(['a b c d', 'e f g h', 'i j']);
  });
});

describe('splitSentences', () => {
  it('splits on sentence ends and keeps each sentence verbatim', () => {
    expect(splitSentences('“We stay,” he said. They left! Did they?')).toEqual(['“We stay,” he said.', 'They left!', 'Did they?']);
  });
});
