/** The terminal renderer: heading paths on the citation line, the highlight marked inside the quote, exact and near copies apart. */
import { describe, expect, it } from 'vitest';
import { emphasisByLine } from '../../src/answer/emphasis.ts';
import { ANSI_BOLD, renderAnswer, renderExcerpt } from '../../src/answer/render-terminal.ts';
import type { Hit, SearchResult, SourceSpan } from '../../src/core/types.ts';

const span = (file: string, startLine: number, endLine = startLine): SourceSpan => ({ file, startLine, endLine });

/** A hit with every field; the highlight is given by its text and must occur in `text`. */
function makeHit(fields: Partial<Hit> & { readonly text: string; readonly highlight?: string }): Hit {
  const highlight = fields.highlight ?? fields.text;
  const start = fields.text.indexOf(highlight);
  if (start < 0) throw new Error(`highlight ${highlight} is not in the text`);
  return {
    file: 'docs/guide.md',
    startLine: 40,
    endLine: 52,
    headings: [],
    kind: 'text',
    title: 'Guide',
    score: 0.98123,
    signals: { dense: 0.81234, denseRank: 1, bm25: 7.25, bm25Rank: 2, fused: 0.98123 },
    highlight,
    highlightRange: { start, end: start + highlight.length },
    alsoIn: [],
    similarIn: [],
    relevance: 0.8766,
    evidence: { cosine: 0.81 },
    ...fields,
  };
}

function makeResult(hits: readonly Hit[], abstained = false): SearchResult {
  return { query: 'q', abstained, bestSimilarity: 0.8, unknownNames: [], hits, timings: { embed: 12.34, dense: 1, bm25: 0.5, fusion: 0.1, highlight: 3, total: 17 } };
}

describe('renderAnswer (terminal)', () => {
  it('an abstention names what the documents never mention', () => {
    expect(renderAnswer({ ...makeResult([], true), unknownNames: ['Splunk'] })).toBe("The sources don't answer this question. They never mention Splunk.");
  });

  it('shows the heading path after the citation and marks the highlight inside the quote, not above it', () => {
    const hit = makeHit({ text: 'Defer first. Call deferReply within 3 seconds.', highlight: 'Call deferReply within 3 seconds.', headings: ['Slash commands', 'Deferred responses'] });
    expect(renderAnswer(makeResult([hit]))).toBe(
      [
        'Sources (the answer is marked »like this«):',
        '',
        '[1] docs/guide.md:L40-L52 · Slash commands › Deferred responses',
        '  > Defer first. »Call deferReply within 3 seconds.«',
      ].join('\n'),
    );
  });

  it('uses ANSI bold instead of markers when asked (a TTY), leaving the quoted characters as they are', () => {
    const hit = makeHit({ text: 'A. B is the answer.', highlight: 'B is the answer.' });
    const out = renderAnswer(makeResult([hit]), { ansi: true });
    expect(out).toContain(`  > A. ${ANSI_BOLD.open}B is the answer.${ANSI_BOLD.close}`);
    expect(out).not.toContain('»');
  });

  it('marks a highlight spanning code lines on each line, leaving blank lines and indentation unmarked', () => {
    const text = 'function f() {\n  await interaction.deferReply();\n\n  return 1;\n}';
    const highlight = 'await interaction.deferReply();\n\n  return 1;';
    const out = renderAnswer(makeResult([makeHit({ text, highlight, kind: 'code' })]));
    expect(out.split('\n').slice(3)).toEqual(['  > function f() {', '  >   »await interaction.deferReply();«', '  > ', '  >   »return 1;«', '  > }']);
  });

  it('lists exact copies and similar wording on separate lines, never the similar places as holding the quote', () => {
    const hit = makeHit({ text: 'Quoted.', alsoIn: [span('docs/copy.md', 3, 4)], similarIn: [span('docs/old.md', 9), span('docs/faq.md', 1, 2)] });
    const lines = renderAnswer(makeResult([hit])).split('\n');
    expect(lines.slice(2)).toEqual([
      '[1] docs/guide.md:L40-L52',
      '  > »Quoted.«',
      '  same text also at docs/copy.md:L3-L4',
      '  similar wording also at docs/old.md:L9-L9, docs/faq.md:L1-L2',
    ]);
  });

  it('numbers several passages and shows relevance and signals in debug output', () => {
    const out = renderAnswer(makeResult([makeHit({ text: 'One.' }), makeHit({ text: 'Two.', startLine: 60, endLine: 61, signals: { dense: null, denseRank: null, bm25: 3, bm25Rank: 1, fused: 0.5 } })]), { debug: true });
    expect(out).toContain('[1] docs/guide.md:L40-L52\n  > »One.«\n  relevance 0.877 · score 0.981 · dense cos 0.812 (rank 1) · bm25 7.25 (rank 2) · fused 0.981');
    expect(out).toContain('[2] docs/guide.md:L60-L61\n  > »Two.«\n  relevance 0.877 · score 0.981 · dense cos – (rank –) · bm25 3.00 (rank 1) · fused 0.500');
    expect(out).toMatch(/\n\n\(17\.0 ms: embed 12\.3, dense 1\.0, bm25 0\.5, fusion 0\.1, highlight 3\.0\)$/);
  });

  it('says the sources do not answer, listing the closest passages unmarked', () => {
    const out = renderAnswer(makeResult([makeHit({ text: 'Near. Topic.', highlight: 'Topic.', headings: ['Guide'] })], true));
    expect(out).toBe("The sources don't answer this question.\n\nClosest passages (not an answer):\n\n[1] docs/guide.md:L40-L52 · Guide\n  > Near. Topic.");
    expect(renderAnswer(makeResult([], true))).toBe("The sources don't answer this question.");
    expect(renderAnswer(makeResult([]))).toBe("The sources don't answer this question.");
  });

  it('has a plain header when no passage has a highlight to mark', () => {
    const hit = { ...makeHit({ text: 'Whole passage.' }), highlight: '', highlightRange: { start: 0, end: 0 } };
    expect(renderAnswer(makeResult([hit]))).toBe('Sources:\n\n[1] docs/guide.md:L40-L52\n  > Whole passage.');
  });
});

describe('emphasisByLine', () => {
  it.each([
    ['inside one line', 'ab cd', { start: 3, end: 5 }, [{ line: 'ab cd', emphasis: { start: 3, end: 5 } }]],
    ['whitespace at the ends left outside', 'ab  cd ', { start: 2, end: 7 }, [{ line: 'ab  cd ', emphasis: { start: 4, end: 6 } }]],
    ['across lines, blank line skipped', 'a\n\nb', { start: 0, end: 4 }, [{ line: 'a', emphasis: { start: 0, end: 1 } }, { line: '', emphasis: null }, { line: 'b', emphasis: { start: 0, end: 1 } }]],
    ['an empty range marks nothing', 'ab', { start: 1, end: 1 }, [{ line: 'ab', emphasis: null }]],
    ['a range past the end is clamped', 'ab', { start: 1, end: 99 }, [{ line: 'ab', emphasis: { start: 1, end: 2 } }]],
    ['no range', 'ab\ncd', null, [{ line: 'ab', emphasis: null }, { line: 'cd', emphasis: null }]],
  ])('%s', (_what, text, range, expected) => {
    expect(emphasisByLine(text, range)).toEqual(expected);
  });
});

describe('renderExcerpt', () => {
  it('prints lines verbatim with right-aligned numbers', () => {
    expect(renderExcerpt({ ...span('a.md', 9, 10), lines: [{ number: 9, text: '**x**' }, { number: 10, text: '' }] })).toBe(' 9 | **x**\n10 | ');
  });
});
