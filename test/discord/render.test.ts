/** Render functions are pure: SearchResult (etc.) in, Discord message payload out. */
import { describe, expect, it } from 'vitest';
import type { Hit, SourceSpan } from '../../src/core/types.ts';
import { ABSTAIN_TEXT, ANSWER_MAX_LENGTH, CLOSEST_PASSAGES_TITLE, renderAbstain, renderAnswer } from '../../src/discord/render/answer.ts';
import { citationBlock, citationLine, formatCitation, headingLabel, similarLine } from '../../src/discord/render/citation.ts';
import { DISCORD_LIMITS, limitViolations } from '../../src/discord/render/limits.ts';
import {
  renderApology,
  renderCooldown,
  renderLineRangeProblem,
  renderProblem,
  renderQuestionProblem,
  renderShuttingDown,
  renderUnknownCommand,
} from '../../src/discord/render/notices.ts';
import type { Reply } from '../../src/discord/render/reply.ts';
import { LOW_CONFIDENCE_TEXT, renderSearch } from '../../src/discord/render/search.ts';
import { renderSource } from '../../src/discord/render/source.ts';
import { renderSources } from '../../src/discord/render/sources.ts';
import { CANNED_SUMMARY, hit, searchResult } from './support/canned-engine.ts';
import { passageAndCitation } from './support/citations.ts';

const OPTIONS = { maxPassages: 3 };
const span = (file: string, startLine: number, endLine = startLine): SourceSpan => ({ file, startLine, endLine });

describe('citations', () => {
  it('format a span as inline code, e.g. seeds/001_8140afa543bea040.txt:L8-L8', () => {
    expect(formatCitation(span('seeds/001_8140afa543bea040.txt', 8))).toBe('`seeds/001_8140afa543bea040.txt:L8-L8`');
  });

  it('fall back to escaped text for a path containing a backtick', () => {
    expect(formatCitation(span('odd`name.txt', 1, 2))).toBe('odd\\`name.txt:L1-L2');
  });

  it('list every place holding the same text, summarising only what cannot fit', () => {
    const also = [span('b.txt', 2, 3), span('c.txt', 4)];
    expect(citationLine(span('a.txt', 1), also, 1000)).toBe('`a.txt:L1-L1` · same text also at `b.txt:L2-L3`, `c.txt:L4-L4`');
    expect(citationLine(span('a.txt', 1), also, 58)).toBe('`a.txt:L1-L1` · same text also at `b.txt:L2-L3`, +1 more');
    expect(citationLine(span('a.txt', 1), also, 45)).toBe('`a.txt:L1-L1` · same text also at +2 more');
    expect(citationLine(span('a.txt', 1), also, 10)).toBe('`a.txt:L1-L1`');
  });

  it.each([
    ['all listed', 1000, 'similar wording also at `x.txt:L1-L1`, `y.txt:L2-L9`'],
    ['the tail counted', 50, 'similar wording also at `x.txt:L1-L1`, +1 more'],
    ['only the number', 40, 'similar wording at 2 other places'],
    ['nothing when not even the number fits', 20, ''],
  ])('name places with similar wording on their own line: %s', (_what, max, expected) => {
    const line = similarLine([span('x.txt', 1), span('y.txt', 2, 9)], max);
    expect(line).toBe(expected);
    expect(line.length).toBeLessThanOrEqual(max);
  });

  it('keep exact copies and similar wording apart, the primary citation always whole', () => {
    const passage = { ...span('a.txt', 1), alsoIn: [span('b.txt', 2)], similarIn: [span('c.txt', 3)] };
    expect(citationBlock(passage, 1000)).toBe('`a.txt:L1-L1` · same text also at `b.txt:L2-L2`\nsimilar wording also at `c.txt:L3-L3`');
    expect(citationBlock({ ...passage, similarIn: [] }, 1000)).toBe('`a.txt:L1-L1` · same text also at `b.txt:L2-L2`');
    // Room for the count of similar places is kept even when exact copies would fill the line.
    const many = { ...passage, alsoIn: Array.from({ length: 30 }, (_, i) => span(`b${i}.txt`, i + 1)) };
    const block = citationBlock(many, 200);
    expect(block.length).toBeLessThanOrEqual(200);
    expect(block.split('\n')[1]).toMatch(/^similar wording (also at `c\.txt:L3-L3`|at 1 other place)$/);
    expect(citationBlock(passage, 5)).toBe('`a.txt:L1-L1`');
  });
});

describe('heading labels', () => {
  const path = ['Slash commands', 'Deferred responses'];

  it.each([
    ['the whole path when it fits', path, 100, 'Slash commands › Deferred responses'],
    ['outer titles elided first', path, 30, '… › Deferred responses'],
    ['the innermost title cut when it alone is too long', path, 16, '… › Deferred…'],
    ['a lone title cut at a word', ['Deferred responses and more'], 15, 'Deferred…'],
    ['whitespace collapsed, empty titles dropped', ['  Slash\n commands ', ''], 100, 'Slash commands'],
    ['markup in a title escaped', ['**Bold** _title_'], 100, '\\*\\*Bold\\*\\* \\_title\\_'],
    ['nothing without headings', [], 100, ''],
  ])('%s', (_what, headings, max, expected) => {
    const label = headingLabel(headings, max);
    expect(label).toBe(expected);
    expect(label.length).toBeLessThanOrEqual(max);
  });
});

describe('renderAnswer', () => {
  it('shows the highlight as the answer and each passage verbatim with its citation', () => {
    const reply = renderAnswer(
      searchResult('How big will the Iraq mission get?', [
        hit({
          text: 'While defence ministers held off, they did decide to expand a NATO training mission in Iraq from 500 to "around 4,000" personnel.',
          highlight: 'they did decide to expand a NATO training mission in Iraq from 500 to "around 4,000" personnel.',
          alsoIn: [span('seeds/002_b5b0d5d85ae90eb1.txt', 5)],
        }),
        hit({ text: 'The size of our mission will increase from 500 personnel to around 4,000.', file: 'seeds/002_b5b0d5d85ae90eb1.txt', startLine: 39, endLine: 39 }),
      ]),
      OPTIONS,
    );
    expect(reply.allowedMentions).toEqual({ parse: [], repliedUser: false });
    expect(reply.content).toBeUndefined();
    const [embed] = reply.embeds;
    expect(embed?.title).toBe('How big will the Iraq mission get?');
    expect(embed?.description).toBe('they did decide to expand a NATO training mission in Iraq from 500 to "around 4,000" personnel.');
    expect(embed?.fields).toEqual([
      {
        name: 'Passage 1',
        value:
          '> While defence ministers held off, **they did decide to expand a NATO training mission in Iraq from 500 to "around 4,000" personnel.**\n' +
          '`seeds/001_8140afa543bea040.txt:L8-L8` · same text also at `seeds/002_b5b0d5d85ae90eb1.txt:L5-L5`',
      },
      {
        name: 'Passage 2',
        value: '> **The size of our mission will increase from 500 personnel to around 4,000.**\n`seeds/002_b5b0d5d85ae90eb1.txt:L39-L39`',
      },
    ]);
    expect(embed?.footer?.text).toBe('Answer in bold in passage 1 · 2 passages · 17 ms');
  });

  it('names each passage with its heading path, and lists similar wording apart from the quote', () => {
    const reply = renderAnswer(
      searchResult('How do I defer?', [
        hit({
          text: 'Call deferReply within 3 seconds. Then edit the reply.',
          highlight: 'Call deferReply within 3 seconds.',
          headings: ['Slash commands', 'Deferred responses'],
          alsoIn: [span('docs/copy.md', 3, 4)],
          similarIn: [span('docs/old.md', 10, 12), span('docs/faq.md', 7)],
        }),
      ]),
      OPTIONS,
    );
    expect(reply.embeds[0]?.fields).toEqual([
      {
        name: 'Passage 1 · Slash commands › Deferred responses',
        value:
          '> **Call deferReply within 3 seconds.** Then edit the reply.\n' +
          '`seeds/001_8140afa543bea040.txt:L8-L8` · same text also at `docs/copy.md:L3-L4`\n' +
          'similar wording also at `docs/old.md:L10-L12`, `docs/faq.md:L7-L7`',
      },
    ]);
  });

  it('bolds a highlight spanning lines (code) line by line, skipping blank lines', () => {
    const text = 'const a = 1;\nawait interaction.deferReply();\n\nawait interaction.editReply("done");\nreturn;';
    const start = text.indexOf('await');
    const end = text.indexOf(';', text.indexOf('editReply')) + 1;
    const reply = renderAnswer(searchResult('q', [hit({ text, highlight: text.slice(start, end), highlightRange: { start, end }, kind: 'code' })]), OPTIONS);
    expect(reply.embeds[0]?.fields?.[0]?.value).toBe(
      '> const a = 1;\n> **await interaction.deferReply();**\n> \n> **await interaction.editReply("done");**\n> return;\n`seeds/001_8140afa543bea040.txt:L8-L8`',
    );
    expect(reply.embeds[0]?.description).toBe('await interaction.deferReply(); await interaction.editReply("done");');
  });

  it('escapes the text inside and around the bold separately, so document text cannot close or forge it', () => {
    const text = 'Run **all** tests** first. Then `deploy` it.';
    const highlight = 'tests** first.';
    const reply = renderAnswer(searchResult('q', [hit({ text, highlight })]), OPTIONS);
    expect(reply.embeds[0]?.fields?.[0]?.value).toBe(
      '> Run \\*\\*all\\*\\* **tests\\*\\* first.** Then \\`deploy\\` it.\n`seeds/001_8140afa543bea040.txt:L8-L8`',
    );
  });

  it('closes the bold when a passage is trimmed inside its highlight', () => {
    const text = `Intro. ${'The highlighted sentence goes on and on. '.repeat(60)}`;
    const reply = renderAnswer(searchResult('q', [hit({ text, highlight: text.slice(7).trim() })]), OPTIONS);
    const value = reply.embeds[0]?.fields?.[0]?.value ?? '';
    expect(limitViolations(reply)).toEqual([]);
    expect(value).toMatch(/^> Intro\. \*\*The highlighted sentence goes on .*\*\*…\n`seeds\/001_8140afa543bea040\.txt:L8-L8`$/s);
    expect(value.match(/\*\*/g)).toHaveLength(2);
  });

  it('escapes document and question text, quoting every line of a multi-line passage', () => {
    const reply = renderAnswer(searchResult('**why** @everyone?', [hit({ text: '**Bold** claim\n# not a heading\n```\nfence', highlight: '**Bold** claim' })]), OPTIONS);
    const [embed] = reply.embeds;
    expect(embed?.title).toBe('\\*\\*why\\*\\* \\@everyone?');
    expect(embed?.description).toBe('\\*\\*Bold\\*\\* claim');
    expect(embed?.fields?.[0]?.value).toBe('> **\\*\\*Bold\\*\\* claim**\n> \\# not a heading\n> \\`\\`\\`\n> fence\n`seeds/001_8140afa543bea040.txt:L8-L8`');
  });

  it('has no answer line and no bold when there is no highlight, and quotes at most maxPassages', () => {
    const hits = [1, 2, 3, 4, 5].map((n) => hit({ text: `Passage number ${n}.`, highlight: '', highlightRange: { start: 0, end: 0 }, startLine: n, endLine: n }));
    const [embed] = renderAnswer(searchResult('q', hits), { maxPassages: 2 }).embeds;
    expect(embed?.description).toBeUndefined();
    expect(embed?.footer?.text).toBe('Answer quoted from passage 1 · 2 passages · 17 ms');
    expect(embed?.fields?.map((field) => field.value)).toEqual(['> Passage number 1.\n`seeds/001_8140afa543bea040.txt:L1-L1`', '> Passage number 2.\n`seeds/001_8140afa543bea040.txt:L2-L2`']);
  });

  it('cuts a long answer line at a word, on one line', () => {
    const highlight = `${'The alliance weighed every option\nat length. '.repeat(20)}`;
    const [embed] = renderAnswer(searchResult('q', [hit({ text: highlight })]), OPTIONS).embeds;
    expect(embed?.description?.length).toBeLessThanOrEqual(ANSWER_MAX_LENGTH);
    expect(embed?.description).toMatch(/^The alliance weighed every option at length\. The .*\S…$/);
  });

  it('trims long passages at a word boundary, never the citations, to fit every Discord limit', () => {
    const text = (n: number) => `Passage ${n}. ${'Ministers weighed the options again and again. '.repeat(400)}`;
    const also = Array.from({ length: 6 }, (_, i) => span(`seeds/00${i}_0123456789abcdef.txt`, i + 1, i + 3));
    const hits = [1, 2, 3, 4, 5].map((n) => hit({ text: text(n), highlight: text(n), startLine: n * 10, endLine: n * 10 + 2, alsoIn: also }));
    const reply = renderAnswer(searchResult('q'.repeat(400), hits), { maxPassages: 5 });
    expect(limitViolations(reply)).toEqual([]);
    const fields = reply.embeds[0]?.fields ?? [];
    expect(fields).toHaveLength(5);
    fields.forEach((field, i) => {
      const { passage, trimmed, citation, alsoIn } = passageAndCitation(field);
      expect(citation).toEqual(span('seeds/001_8140afa543bea040.txt', (i + 1) * 10, (i + 1) * 10 + 2));
      expect(alsoIn).toEqual(also);
      expect(trimmed).toBe(true);
      expect(text(i + 1).startsWith(passage)).toBe(true);
      expect(text(i + 1).charAt(passage.length)).toBe(' ');
    });
  });

  it('renders a non-abstained result without hits as an abstention', () => {
    expect(renderAnswer(searchResult('q', []), OPTIONS).content).toBe(ABSTAIN_TEXT);
  });
});

describe('renderAbstain', () => {
  it('names what the documents never mention, escaped: the names are the user’s words', () => {
    const reply = renderAbstain({ ...searchResult('q', [], true), unknownNames: ['Splunk', '*Data*dog'] }, OPTIONS);
    expect(reply.content).toBe(`${ABSTAIN_TEXT} They never mention Splunk or \\*Data\\*dog.`);
  });

  it('says only that the sources do not cover it when nothing is close', () => {
    expect(renderAbstain(searchResult('q', [], true), OPTIONS)).toEqual({ content: ABSTAIN_TEXT, embeds: [], allowedMentions: { parse: [], repliedUser: false } });
  });

  it('labels the closest passages clearly as not an answer, still with citations, and bolds nothing in them', () => {
    const reply = renderAnswer(
      searchResult('q', [hit({ text: 'Somewhat related. Not this.', highlight: 'Somewhat related.', headings: ['Guide'], similarIn: [span('b.txt', 2)] })], true),
      OPTIONS,
    );
    expect(reply.content).toBe(ABSTAIN_TEXT);
    const [embed] = reply.embeds;
    expect(embed?.title).toBe(CLOSEST_PASSAGES_TITLE);
    expect(embed?.fields).toEqual([
      {
        name: 'Closest passage 1 (not an answer) · Guide',
        value: '> Somewhat related. Not this.\n`seeds/001_8140afa543bea040.txt:L8-L8`\nsimilar wording also at `b.txt:L2-L2`',
      },
    ]);
  });
});

describe('renderSearch', () => {
  it('lists passages with scores and citations', () => {
    const reply = renderSearch(searchResult('iraq', [hit({ text: 'A.', score: 0.0328 }), hit({ text: 'B.', score: 0.01613, startLine: 3, endLine: 4 })]), 5);
    const [embed] = reply.embeds;
    expect(embed?.title).toBe('Search: iraq');
    expect(embed?.description).toBeUndefined();
    expect(embed?.fields).toEqual([
      { name: '1. score 0.0328', value: '> **A.**\n`seeds/001_8140afa543bea040.txt:L8-L8`' },
      { name: '2. score 0.0161', value: '> **B.**\n`seeds/001_8140afa543bea040.txt:L3-L4`' },
    ]);
  });

  it('adds the heading path to the score, and never bolds after abstaining', () => {
    const result = searchResult('q', [hit({ text: 'A. B.', highlight: 'B.', headings: ['Guide', 'Setup'] })], true);
    const [embed] = renderSearch(result, 5).embeds;
    expect(embed?.fields).toEqual([{ name: '1. score 0.0328 · Guide › Setup', value: '> A. B.\n`seeds/001_8140afa543bea040.txt:L8-L8`' }]);
    const [answered] = renderSearch({ ...result, abstained: false }, 5).embeds;
    expect(answered?.fields?.[0]?.value).toBe('> A. **B.**\n`seeds/001_8140afa543bea040.txt:L8-L8`');
  });

  it('warns when retrieval abstained, and says when nothing was found', () => {
    expect(renderSearch(searchResult('q', [hit({ text: 'A.' })], true), 5).embeds[0]?.description).toBe(LOW_CONFIDENCE_TEXT);
    expect(renderSearch(searchResult('q', []), 5).embeds[0]?.description).toBe('No passages found.');
  });

  it('fits ten long passages in one message', () => {
    const hits = Array.from({ length: 10 }, (_, i) => hit({ text: `${i} ${'word '.repeat(3000)}`, startLine: i + 1, endLine: i + 1 }));
    const reply = renderSearch(searchResult('q', hits), 10);
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds[0]?.fields?.map((f) => passageAndCitation(f).citation.startLine)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('renderSource', () => {
  it('shows the lines verbatim in a code block with line numbers', () => {
    const reply = renderSource({
      file: 'seeds/001_8140afa543bea040.txt',
      startLine: 9,
      endLine: 10,
      lines: [
        { number: 9, text: '**not bold** and ``` not a fence' },
        { number: 10, text: '' },
      ],
    });
    const [embed] = reply.embeds;
    expect(embed?.title).toBe('seeds/001\\_8140afa543bea040.txt:L9-L10');
    expect(embed?.description).toBe('```text\n 9 │ **not bold** and `\u200b`\u200b` not a fence\n10 │ \n```');
  });

  it('leaves out lines that do not fit and says which', () => {
    const lines = Array.from({ length: 200 }, (_, i) => ({ number: i + 1, text: 'x'.repeat(60) }));
    const reply = renderSource({ file: 'a.txt', startLine: 1, endLine: 200, lines });
    expect(limitViolations(reply)).toEqual([]);
    const description = reply.embeds[0]?.description ?? '';
    expect(description).toMatch(/\n```\nLines \d+–200 are not shown \(too long for one message\); ask for a smaller range\.$/);
    const shown = Number(/Lines (\d+)–200/.exec(description)?.[1]);
    expect(description).toContain(`${String(shown - 1).padStart(3)} │ ${'x'.repeat(60)}`);
  });

  it('trims a single enormous line rather than showing nothing', () => {
    const reply = renderSource({ file: 'a.txt', startLine: 1, endLine: 2, lines: [{ number: 1, text: 'word '.repeat(2000) }, { number: 2, text: 'b' }] });
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds[0]?.description).toMatch(/^```text\n1 │ word word .*…\n```\nLines 2–2 are not shown/s);
  });
});

describe('renderSources', () => {
  it('lists documents with paragraph counts, and when the index was built', () => {
    const [embed] = renderSources(CANNED_SUMMARY).embeds;
    expect(embed?.title).toBe('Indexed sources (3)');
    expect(embed?.description).toBe(
      [
        '`seeds/000_e4409a72bea0ec59.txt` — 22 paragraphs, 44 lines',
        '`seeds/001_8140afa543bea040.txt` — 33 paragraphs, 67 lines',
        '`seeds/002_b5b0d5d85ae90eb1.txt` — 30 paragraphs, 58 lines',
      ].join('\n'),
    );
    const unix = Date.parse(CANNED_SUMMARY.builtAt) / 1000;
    expect(embed?.fields).toEqual([
      { name: 'Index built', value: `<t:${unix}:f> (<t:${unix}:R>)`, inline: true },
      { name: 'Paragraphs', value: '85', inline: true },
      { name: 'Model', value: 'Xenova/bge-small-en-v1.5', inline: true },
    ]);
  });

  it('summarises documents that do not fit', () => {
    const documents = Array.from({ length: 500 }, (_, i) => ({ file: `docs/${String(i).padStart(4, '0')}-a-rather-long-document-name.md`, paragraphs: 1, lines: 1 }));
    const reply = renderSources({ ...CANNED_SUMMARY, documents });
    expect(limitViolations(reply)).toEqual([]);
    expect(reply.embeds[0]?.description).toMatch(/\n…and \d+ more$/);
  });

  it('copes with no documents and an unparseable build time', () => {
    const [embed] = renderSources({ ...CANNED_SUMMARY, documents: [], builtAt: 'yesterday_ish' }).embeds;
    expect(embed?.description).toBe('No documents are indexed.');
    expect(embed?.fields?.[0]?.value).toBe('yesterday\\_ish');
  });
});

describe('notices', () => {
  it('shows the cooldown end as a relative Discord timestamp', () => {
    expect(renderCooldown(1_700_000_004_200).content).toBe("You're asking too quickly. Try again <t:1700000005:R>.");
  });

  it('gives the error id in the apology', () => {
    expect(renderApology('a1b2c3d4').content).toContain('`a1b2c3d4`');
  });

  it('escapes the error message (it may quote user input) but not the hint (ours)', () => {
    expect(renderProblem('“**x**” is not indexed.', 'See `/sources`.').content).toBe('“\\*\\*x\\*\\*” is not indexed.\nSee `/sources`.');
  });

  it.each([
    [renderQuestionProblem({ kind: 'empty' }, 'question option'), /question is empty/],
    [renderQuestionProblem({ kind: 'missing' }, 'query option'), /query is empty/],
    [renderQuestionProblem({ kind: 'empty' }, 'mention'), /Ask me a question after the mention/],
    [renderQuestionProblem({ kind: 'too-long', length: 612, max: 500 }, 'question option'), /612 characters long; the limit is 500/],
    [renderQuestionProblem({ kind: 'too-long', length: 612, max: 500 }, 'message'), /That message is 612 characters long/],
    [renderLineRangeProblem({ kind: 'malformed', input: '**x**' }), /“\\\*\\\*x\\\*\\\*” is not a line range/],
    [renderLineRangeProblem({ kind: 'reversed', start: 9, end: 3 }), /Give it as `3-9`/],
    [renderUnknownCommand('`frob`'), /“\\`frob\\`”/],
    [renderShuttingDown(), /restarting/],
  ])('%#: says what is wrong', (reply, expected) => {
    expect(reply.content).toMatch(expected);
  });
});

describe('every renderer', () => {
  const replies: [string, Reply][] = [
    ['answer', renderAnswer(searchResult('q', [hit({ text: 'a' })]), OPTIONS)],
    ['abstain', renderAbstain(searchResult('q', [hit({ text: 'a' })], true), OPTIONS)],
    ['search', renderSearch(searchResult('q', [hit({ text: 'a' })]), 5)],
    ['source', renderSource({ file: 'a', startLine: 1, endLine: 1, lines: [{ number: 1, text: 'a' }] })],
    ['sources', renderSources(CANNED_SUMMARY)],
    ['cooldown', renderCooldown(0)],
    ['apology', renderApology('x')],
    ['problem', renderProblem('m', 'h')],
  ];

  it.each(replies)('%s: never pings anyone, not even the user replied to', (_name, reply) => {
    expect(reply.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });
});

describe('layout under random stress', () => {
  // A small deterministic PRNG, so a failure is reproducible.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }
  const pieces = ['word', '**b**', '__u__', '`c`', '```', '||s||', '> q', '# h', '- l', '<@1>', '\\', '😀', 'https://x.y/a_b', '\n', ' ', ' ', ' '];

  it('always fits Discord and keeps every citation, whatever the passages contain', () => {
    const next = random(42);
    for (let round = 0; round < 60; round += 1) {
      const hits: Hit[] = Array.from({ length: 1 + Math.floor(next() * 10) }, (_, i) => {
        const length = Math.floor(next() * 3000);
        let text = '';
        while (text.length < length) text += pieces[Math.floor(next() * pieces.length)];
        const also = Array.from({ length: Math.floor(next() * 40) }, (_, j) => span(`seeds/${j}_${'f'.repeat(Math.floor(next() * 30))}.txt`, j + 1));
        const similar = Array.from({ length: Math.floor(next() * 40) }, (_, j) => span(`docs/${j}_${'s'.repeat(Math.floor(next() * 30))}.md`, j + 1));
        const headings = Array.from({ length: Math.floor(next() * 5) }, () => pieces.slice(0, Math.floor(next() * pieces.length)).join(''));
        const start = Math.floor(next() * text.length);
        const end = start + Math.floor(next() * (text.length - start));
        return hit({ text, highlight: text.slice(start, end), highlightRange: { start, end }, startLine: i + 1, endLine: i + 1, alsoIn: also, similarIn: similar, headings });
      });
      const result = searchResult('question '.repeat(Math.floor(next() * 60)), hits, next() < 0.3);
      for (const reply of [renderAnswer(result, { maxPassages: 10 }), renderSearch(result, 10)]) {
        expect(limitViolations(reply)).toEqual([]);
        const fields = reply.embeds[0]?.fields ?? [];
        fields.forEach((field, i) => {
          expect(field.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
          const { passage, citation, alsoIn, similarIn } = passageAndCitation(field);
          expect(citation.startLine).toBe(i + 1);
          expect(alsoIn.every((place) => place.file.startsWith('seeds/'))).toBe(true);
          expect(similarIn.every((place) => place.file.startsWith('docs/'))).toBe(true);
          // What the reader sees is the passage verbatim (a prefix of it when trimmed).
          expect(hits[i]?.text.startsWith(passage)).toBe(true);
        });
      }
    }
  });
});
