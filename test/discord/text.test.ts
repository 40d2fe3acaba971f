import { describe, expect, it } from 'vitest';
import { ELLIPSIS, blockQuote, escapeText, fitLine, fitRendered, keepLines, neutraliseFences, trimAtWord } from '../../src/discord/render/text.ts';

describe('escapeText', () => {
  it.each([
    ['bold', '**bold**', '\\*\\*bold\\*\\*'],
    ['underline', '__under__', '\\_\\_under\\_\\_'],
    ['italics', '*it* _it_', '\\*it\\* \\_it\\_'],
    ['strikethrough', '~~strike~~', '\\~\\~strike\\~\\~'],
    ['spoiler', '||spoiler||', '\\|\\|spoiler\\|\\|'],
    ['inline code', '`code`', '\\`code\\`'],
    ['a code fence', '```js\nx\n```', '\\`\\`\\`js\nx\n\\`\\`\\`'],
    ['a heading', '# Heading', '\\# Heading'],
    ['a bulleted list', '- item', '\\- item'],
    ['a numbered list', '1. item', '1\\. item'],
    ['a masked link', '[click](https://evil.example)', '\\[click](https://evil.example)'],
    ['a block quote', '> quote', '\\> quote'],
    ['a multi-line block quote', '>>> quote', '\\>>> quote'],
    ['sub-text', '-# small', '\\-# small'],
    ['a backslash', 'back\\slash', 'back\\\\slash'],
    ['a user mention pill', 'hi <@123> and <@&456>', 'hi \\<@123> and \\<@&456>'],
    ['a channel, emoji and timestamp', '<#1> <:e:2> <a:e:3> <t:4:R>', '\\<#1> \\<:e:2> \\<a:e:3> \\<t:4:R>'],
    ['underscores inside a URL (left alone, or the link breaks)', 'see https://x.com/a_b_c', 'see https://x.com/a_b_c'],
    ['plain prose', 'NATO agreed, on Thursday, to expand.', 'NATO agreed, on Thursday, to expand.'],
  ])('neutralises %s', (_what, input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('escapes formatting at the start of every line, not only the first', () => {
    expect(escapeText('ok\n# h\n- l\n> q')).toBe('ok\n\\# h\n\\- l\n\\> q');
  });
});

describe('neutraliseFences', () => {
  it('leaves no two backticks adjacent, so text cannot close or open a fence', () => {
    const out = neutraliseFences('a ``` b ```` c ` d');
    expect(out).not.toMatch(/``/);
    expect(out.replaceAll('\u200b', '')).toBe('a ``` b ```` c ` d');
  });

  it('leaves text without backtick runs unchanged', () => {
    expect(neutraliseFences('const x = `a`;')).toBe('const x = `a`;');
  });
});

describe('trimAtWord', () => {
  it.each([
    ['fits: unchanged', 'The quick brown fox', 19, 'The quick brown fox'],
    ['cut at the last word boundary', 'The quick brown fox jumps', 12, `The quick${ELLIPSIS}`],
    ['one long word: cut mid-word', 'Thequickbrownfoxjumps', 12, `Thequickbro${ELLIPSIS}`],
    ['never splits a surrogate pair', 'ab😀😀😀😀', 5, `ab😀${ELLIPSIS}`],
    ['trailing whitespace before the ellipsis is dropped', 'one two   three', 9, `one two${ELLIPSIS}`],
    ['room for the ellipsis only', 'abcdef', 1, ELLIPSIS],
    ['no room at all', 'abcdef', 0, ''],
  ])('%s', (_what, text, max, expected) => {
    const out = trimAtWord(text, max);
    expect(out).toBe(expected);
    expect(out.length).toBeLessThanOrEqual(max);
  });
});

describe('fitRendered', () => {
  const quoted = (t: string) => blockQuote(escapeText(t));

  it('returns the whole rendering when it fits', () => {
    expect(fitRendered('**a** b', 20, quoted)).toBe('> \\*\\*a\\*\\* b');
  });

  it('cuts the rendering at a word boundary, never inside an escape sequence', () => {
    const out = fitRendered('**a** **b** **c** **d**', 14, quoted);
    expect(out).toBe(`> \\*\\*a\\*\\*${ELLIPSIS}`);
    expect(out.length).toBeLessThanOrEqual(14);
  });

  it('fits a very long text quickly (rendered once, on bounded input)', () => {
    const text = 'The alliance weighed its options at length. '.repeat(5000);
    const started = performance.now();
    const out = fitRendered(text, 1000, quoted);
    expect(performance.now() - started).toBeLessThan(200);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.endsWith(`length.${ELLIPSIS}`) || out.endsWith(ELLIPSIS)).toBe(true);
  });

  it('collapses whitespace in one-line slots', () => {
    expect(fitLine('  what\n\tabout   _this_? ', 256)).toBe('what about \\_this\\_?');
  });
});

describe('keepLines', () => {
  it('keeps everything that fits', () => {
    expect(keepLines(['ab', 'cd'], 5, 100)).toEqual({ kept: ['ab', 'cd'], omitted: 0 });
  });

  it('reserves room for the omission note when not everything fits', () => {
    expect(keepLines(['aaaa', 'bbbb', 'cccc'], 12, 3)).toEqual({ kept: ['aaaa', 'bbbb'], omitted: 1 });
    expect(keepLines(['aaaa', 'bbbb', 'cccc'], 11, 3)).toEqual({ kept: ['aaaa'], omitted: 2 });
  });
});
