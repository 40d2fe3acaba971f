import { describe, expect, it } from 'vitest';
import { ELLIPSIS, blockQuote, cleanText, escapeText, fitLine, fitRendered, inlineCode, keepLines, neutraliseFences, renderQuote, trimAtWord } from '../../src/discord/render/text.ts';

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
    ['every masked link on a line, not just the first', 'See [docs](https://ok.example) and [click](https://evil.example)', 'See \\[docs](https://ok.example) and \\[click](https://evil.example)'],
    ['a masked link with an angle-bracketed target', '[x](<https://evil.example>)', '\\[x](\\<https://evil.example>)'],
    ['an autolink', '<https://x.example>', '\\<https://x.example>'],
    ['four backticks (a common fence)', '````md', '\\`\\`\\`\\`md'],
    ['seven backticks', '```````', '\\`\\`\\`\\`\\`\\`\\`'],
    ['seven asterisks', '*******x', '\\*\\*\\*\\*\\*\\*\\*x'],
    ['an odd run of underscores, with no stray backslash', '___x___', '\\_\\_\\_x\\_\\_\\_'],
    ['snake_case words', 'call snake_case_name()', 'call snake\\_case\\_name()'],
    ['a run of tildes', '~~~x~~~', '\\~\\~\\~x\\~\\~\\~'],
    ['@everyone and @here in any case', '@everyone @HERE a@b.c', '\\@everyone \\@HERE a@b.c'],
    ['a slash-command mention and a guide link', '</deploy:123> <id:customize>', '\\</deploy:123> \\<id:customize>'],
    ['a bulleted list with + and *', '+ a\n* b', '\\+ a\n\\* b'],
    ['an indented list and heading', '  - a\n   ## b', '  \\- a\n   \\## b'],
    ['a number that is not a list item', '1.5 million', '1.5 million'],
    ['a right-to-left override (removed)', 'report\u202Eexe.txt', 'reportexe.txt'],
    ['every bidi control (removed)', 'a\u061Cb\u200Ec\u200Fd\u202Ae\u202Bf\u202Cg\u202Dh\u2066i\u2067j\u2068k\u2069l', 'abcdefghijkl'],
    ['a bidi control hiding a mention', '<\u202E@123>', '\\<@123>'],
    ['CR, CRLF and U+2028 as line breaks, each line escaped', 'a\r# b\r\n- c\u2028> d', 'a\n\\# b\n\\- c\n\\> d'],
    ['a URL right before a mention: shown as text, not a link that swallows the escape', 'https://x.example/a<@1>', 'https\\://x.example/a\\<@1>'],
    ['a URL hiding a masked link: shown as text', 'https://x.example/[a](https://evil.example)', 'https\\://x.example/\\[a](https://evil.example)'],
    ['a URL glued to a word: shown as text', 'xhttps://x.example/_a_', 'xhttps\\://x.example/\\_a\\_'],
    ['a URL followed by punctuation stays a link', '(see https://x.example/a_b).', '(see https://x.example/a_b).'],
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

  it('is linear: 100,000 characters of markup in well under a second', () => {
    const text = '**_~`|[<@everyone>]_** https://x.example/a_b '.repeat(2500);
    const started = performance.now();
    escapeText(text);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('cleanText', () => {
  it.each([
    ['unchanged text keeps its range', 'abc', { start: 1, end: 2 }, 'abc', { start: 1, end: 2 }],
    ['a removed control before the range shifts it', 'a\u202Ebc', { start: 2, end: 3 }, 'abc', { start: 1, end: 2 }],
    ['a control inside the range shrinks it', 'ab\u200Fcd', { start: 1, end: 4 }, 'abcd', { start: 1, end: 3 }],
    ['CRLF becomes one line break', 'a\r\nb', { start: 3, end: 4 }, 'a\nb', { start: 2, end: 3 }],
    ['a range of controls only is gone', 'a\u202E\u202Cb', { start: 1, end: 3 }, 'ab', null],
  ])('%s', (_what, text, range, expectedText, expectedRange) => {
    expect(cleanText(text, range)).toEqual({ text: expectedText, range: expectedRange });
  });
});

describe('renderQuote', () => {
  it.each([
    ['bold inside the quote', 'One. Two.', { start: 5, end: 9 }, '> One. **Two.**'],
    ['markup in the bold is escaped', 'a **b** c', { start: 2, end: 7 }, '> a **\\*\\*b\\*\\*** c'],
    ['a line-start marker inside the bold is still escaped', '# Title', { start: 0, end: 7 }, '> **\\# Title**'],
    ['bold per line, whitespace outside it', 'a\n  b c\n', { start: 0, end: 8 }, '> **a**\n>   **b c**\n> '],
    ['a live URL is left out of the bold (it would absorb the marker)', 'Go to https://x.example/a. Now.', { start: 0, end: 31 }, '> **Go to** https://x.example/a. **Now.**'],
    ['a URL shown as text can be bold', 'See xhttps://x.example now', { start: 4, end: 26 }, '> See **xhttps\\://x.example now**'],
    ['no range, no bold', '*a*', null, '> \\*a\\*'],
  ])('%s', (_what, text, range, expected) => {
    expect(renderQuote(text, range)).toBe(expected);
  });
});

describe('inlineCode', () => {
  it.each([
    ['a plain path', 'docs/a_b.md:L1-L2', '`docs/a_b.md:L1-L2`'],
    ['a backtick', 'a`b.md', 'a\\`b.md'],
    ['a bidi control (removed)', 'a\u202Eb.md', 'ab.md'],
  ])('%s', (_what, text, expected) => {
    expect(inlineCode(text)).toBe(expected);
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

  it('removes bidi controls, which reorder code blocks too', () => {
    expect(neutraliseFences('x = "\u202Eabc"')).toBe('x = "abc"');
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
