/**
 * Property tests of Discord-safe rendering (issue 10, points 1–2), against the model of Discord
 * markdown in support/discord-markdown.ts: for any document text, heading, file name and question,
 * a reply shows the text verbatim, holds no live link (other than plain visible URLs), mention,
 * pill or markup that citebot did not add, keeps every citation intact and fits Discord's limits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCitation as citationText } from '../../src/answer/citation.ts';
import type { Hit, SearchResult, SourceSpan, TextRange } from '../../src/core/types.ts';
import { ABSTAIN_TEXT, renderAbstain, renderAnswer } from '../../src/discord/render/answer.ts';
import { SAME_TEXT_LABEL, SIMILAR_LABEL } from '../../src/discord/render/citation.ts';
import { limitViolations } from '../../src/discord/render/limits.ts';
import { renderLineRangeProblem, renderProblem, renderUnknownCommand } from '../../src/discord/render/notices.ts';
import type { Reply } from '../../src/discord/render/reply.ts';
import { renderSearch } from '../../src/discord/render/search.ts';
import { renderSource } from '../../src/discord/render/source.ts';
import { renderSources } from '../../src/discord/render/sources.ts';
import { cleanText, ELLIPSIS, escapeText, fitRendered, renderQuote } from '../../src/discord/render/text.ts';
import { type Reading, readInline, readQuote, readText } from './support/discord-markdown.ts';
import { documentText, shortText } from './support/hostile-text.ts';

/**
 * Runs per property. A reply run renders up to 10 passages three ways (answer, abstention,
 * search), so it gets fewer; together the file takes about 7 s on one shared core, inside the
 * 10 s budget (the counts are quoted in the README).
 */
const RUNS = { text: 2000, quote: 2000, fit: 1000, replies: 300, notices: 1000, source: 300 } as const;

/** A text and a range inside it. */
const textWithRange = documentText.chain((text) =>
  fc
    .tuple(fc.nat({ max: text.length }), fc.nat({ max: text.length }))
    .map(([a, b]): { text: string; range: TextRange } => ({ text, range: { start: Math.min(a, b), end: Math.max(a, b) } })),
);

/** File names with markup characters, and sometimes a backtick or a bidi control (no spaces or commas: citation lists are parsed). */
const fileName = fc.string({
  unit: fc.constantFrom('a', 'b', '_', '*', '~', '|', '[', '<', '@', '#', '-', '.', '/', '0', '`', '\u202E'),
  minLength: 1,
  maxLength: 40,
});
const span = fc
  .tuple(fileName, fc.integer({ min: 1, max: 99_999 }), fc.nat({ max: 500 }))
  .map(([file, startLine, length]): SourceSpan => ({ file, startLine, endLine: startLine + length }));

const hitArbitrary = fc
  .record({
    passage: textWithRange,
    span,
    headings: fc.array(shortText, { maxLength: 6 }),
    alsoIn: fc.array(span, { maxLength: 30 }),
    similarIn: fc.array(span, { maxLength: 60 }),
  })
  .map(({ passage, span: where, headings, alsoIn, similarIn }): Hit => ({
    ...where,
    text: passage.text,
    headings,
    kind: 'text',
    title: 'Title',
    score: 0.5,
    signals: { dense: 0.8, denseRank: 1, bm25: 1, bm25Rank: 1, fused: 0.5 },
    highlight: passage.text.slice(passage.range.start, passage.range.end),
    highlightRange: passage.range,
    alsoIn,
    similarIn,
    relevance: 0.5,
    evidence: {},
  }));

const resultArbitrary = fc
  .record({ query: documentText, hits: fc.array(hitArbitrary, { minLength: 1, maxLength: 10 }), abstained: fc.boolean() })
  .map(({ query, hits, abstained }): SearchResult => ({
    query,
    abstained,
    bestSimilarity: 0.5,
    unknownNames: [],
    hits,
    timings: { embed: 1, dense: 1, bm25: 1, fusion: 1, highlight: 1, total: 5 },
  }));

const clean = (text: string) => cleanText(text).text;
const collapsed = (text: string) => clean(text).replaceAll(/\s+/g, ' ').trim();

/**
 * The checks below collect problems instead of asserting one by one (a reply has hundreds of
 * citations, and an assertion per citation would dominate the run time); each test asserts once.
 */
type Problems = string[];

/** `shown` is `full`, or a prefix of it ending in "…" (a cut at a word, with trailing whitespace dropped). */
function checkShownOf(problems: Problems, shown: string, full: string, where: string): void {
  if (shown === full) return;
  if (!shown.endsWith(ELLIPSIS) || !full.startsWith(shown.slice(0, -ELLIPSIS.length))) {
    problems.push(`${where}: ${JSON.stringify(shown)} is neither ${JSON.stringify(full)} nor a cut of it`);
  }
}

function checkInert(problems: Problems, reading: Reading, where: string): void {
  for (const live of reading.live) problems.push(`${where}: ${live}`);
}

/** A citation as shown: inline code when the path allows it, else escaped text that reads as the path. */
function checkCitation(problems: Problems, token: string, where: SourceSpan): void {
  const text = citationText(where);
  if (token.startsWith('`')) {
    if (token !== `\`${text}\``) problems.push(`citation ${token} is not \`${text}\``);
    return;
  }
  const reading = readText(token);
  checkInert(problems, reading, `citation ${token}`);
  if (reading.visible !== clean(text)) problems.push(`citation ${token} reads ${JSON.stringify(reading.visible)}, not ${JSON.stringify(clean(text))}`);
}

/** "a, b, +N more" (or "+N more" alone): the listed places are the first of `places`, and N counts the rest. */
function checkPlaceList(problems: Problems, list: string, places: readonly SourceSpan[]): void {
  const tokens = list.split(', ');
  const more = /^\+(\d+) more$/.exec(tokens.at(-1) ?? '');
  const listed = more === null ? tokens : tokens.slice(0, -1);
  listed.forEach((token, i) => {
    const place = places[i];
    if (place === undefined) problems.push(`listed place ${i} of ${places.length}: ${token}`);
    else checkCitation(problems, token, place);
  });
  if (listed.length + Number(more?.[1] ?? 0) !== places.length) problems.push(`${list} does not account for ${places.length} places`);
}

/** One passage field: the quote verbatim and inert, then its citation lines, exact copies and similar places apart. */
function checkPassageField(problems: Problems, field: { name: string; value: string }, hit: Hit, label: string): void {
  // A field name is one line of inline markdown (no headings or lists; "1. score" is citebot's own label).
  const name = readInline(field.name);
  checkInert(problems, name, `field name ${field.name}`);
  if (!name.visible.startsWith(label)) problems.push(`field name ${field.name} does not start with ${label}`);

  const lines = field.value.split('\n');
  const quoteLength = lines.findIndex((line) => !line.startsWith('> '));
  if (quoteLength === -1) {
    problems.push(`field ${field.name} has no citation line`);
    return;
  }
  const quote = lines.slice(0, quoteLength);
  if (quote.length > 0) {
    const reading = readQuote(quote);
    checkInert(problems, reading, `quote in ${field.name}`);
    checkShownOf(problems, reading.visible, clean(hit.text), `quote in ${field.name}`);
  }
  const [citations = '', similar, ...extra] = lines.slice(quoteLength);
  if (extra.length > 0) problems.push(`field ${field.name} has extra lines ${JSON.stringify(extra)}`);
  const sameAt = citations.indexOf(` · ${SAME_TEXT_LABEL} `);
  checkCitation(problems, sameAt === -1 ? citations : citations.slice(0, sameAt), hit);
  if (sameAt !== -1) checkPlaceList(problems, citations.slice(sameAt + ` · ${SAME_TEXT_LABEL} `.length), hit.alsoIn);
  if (similar !== undefined) {
    const count = /^similar wording at (\d+) other places?$/.exec(similar);
    if (count !== null) {
      if (Number(count[1]) !== hit.similarIn.length) problems.push(`${similar}: there are ${hit.similarIn.length}`);
    } else if (similar.startsWith(`${SIMILAR_LABEL} `)) checkPlaceList(problems, similar.slice(SIMILAR_LABEL.length + 1), hit.similarIn);
    else problems.push(`unexpected line ${similar}`);
  }
}

function checkReply(reply: Reply, result: SearchResult, kind: 'answer' | 'abstain' | 'search'): Problems {
  const problems: Problems = limitViolations(reply);
  const embed = reply.embeds[0];
  if (embed === undefined) return problems;
  const title = readText(embed.title ?? '');
  checkInert(problems, title, `title ${embed.title}`);
  if (kind === 'answer') checkShownOf(problems, title.visible, collapsed(result.query), 'title');
  if (kind === 'search') checkShownOf(problems, title.visible, collapsed(`Search: ${result.query}`), 'title');
  if (embed.description !== undefined) {
    const description = readText(embed.description);
    checkInert(problems, description, `description ${embed.description}`);
    if (kind === 'answer') checkShownOf(problems, description.visible, collapsed(result.hits[0]?.highlight ?? ''), 'description');
  }
  const labels = { answer: 'Passage', abstain: 'Closest passage', search: '' } as const;
  (embed.fields ?? []).forEach((field, i) => {
    const hit = result.hits[i];
    if (hit === undefined) problems.push(`field ${i} has no hit`);
    else checkPassageField(problems, field, hit, kind === 'search' ? `${i + 1}. score` : `${labels[kind]} ${i + 1}`);
  });
  return problems;
}

describe('escapeText against the Discord markdown model', () => {
  it('shows any text verbatim (bidi controls removed) with nothing live', () => {
    fc.assert(
      fc.property(documentText, (text) => {
        const reading = readText(escapeText(text));
        expect(reading.live).toEqual([]);
        expect(reading.visible).toBe(clean(text));
      }),
      { numRuns: RUNS.text },
    );
  });
});

describe('renderQuote against the model', () => {
  it('quotes any text verbatim, bold exactly on the highlight (but for plain URLs), nothing else live', () => {
    fc.assert(
      fc.property(textWithRange, ({ text, range }) => {
        const cleaned = cleanText(text, range);
        const reading = readQuote(renderQuote(text, range).split('\n'));
        expect(reading.live).toEqual([]);
        expect(reading.visible).toBe(cleaned.text);
        const r = cleaned.range;
        // A URL absorbs a marker next to it, so the bold stops short of a URL and its trailing punctuation.
        const nearUrl = (j: number): boolean => {
          for (let k = j; k >= 0 && !/\s/.test(cleaned.text.charAt(k)); k -= 1) if (reading.link[k] === true) return true;
          return false;
        };
        const wrong: string[] = [];
        for (let j = 0; j < cleaned.text.length; j += 1) {
          const inRange = r !== null && j >= r.start && j < r.end;
          if (reading.bold[j] === true && !inRange) wrong.push(`bold outside the highlight at ${j}`);
          else if (reading.bold[j] !== true && inRange && !/\s/.test(cleaned.text.charAt(j)) && !nearUrl(j)) wrong.push(`highlight not bold at ${j}`);
        }
        expect(wrong).toEqual([]);
      }),
      { numRuns: RUNS.quote },
    );
  });

  it('fits any passage into any room without breaking markup: a verbatim prefix and "…"', () => {
    fc.assert(
      fc.property(textWithRange, fc.nat({ max: 1200 }), ({ text, range }, max) => {
        const cleaned = cleanText(text, range);
        const out = fitRendered(cleaned.text, max, (prefix) => renderQuote(prefix, cleaned.range));
        expect(out.length).toBeLessThanOrEqual(max);
        if (out === '') return;
        const problems: Problems = [];
        const reading = readQuote(out.split('\n'));
        checkInert(problems, reading, 'quote');
        checkShownOf(problems, reading.visible, cleaned.text, 'quote');
        expect(problems).toEqual([]);
      }),
      { numRuns: RUNS.fit },
    );
  });
});

describe('replies against the model', () => {
  it('answers, abstentions and searches: verbatim inert quotes, every citation intact, within the limits', () => {
    fc.assert(
      fc.property(resultArbitrary, fc.integer({ min: 1, max: 10 }), (result, count) => {
        const answered = { ...result, abstained: false };
        const abstained = { ...result, abstained: true };
        const abstention = renderAbstain(abstained, { maxPassages: count });
        expect(abstention.content).toBe(ABSTAIN_TEXT);
        expect([
          ...checkReply(renderAnswer(answered, { maxPassages: count }), answered, 'answer'),
          ...checkReply(abstention, abstained, 'abstain'),
          ...checkReply(renderSearch(result, count), result, 'search'),
        ]).toEqual([]);
      }),
      { numRuns: RUNS.replies },
    );
  });

  it('notices quoting user input hold nothing live', () => {
    fc.assert(
      fc.property(documentText, (input) => {
        const problems: Problems = [];
        const problem = renderProblem(input, 'hint').content ?? '';
        const message = readText(problem.slice(0, problem.lastIndexOf('\nhint')));
        checkInert(problems, message, 'problem');
        checkShownOf(problems, message.visible, clean(input), 'problem');
        checkInert(problems, readText(renderUnknownCommand(input).content ?? ''), 'unknown command');
        const range = renderLineRangeProblem({ kind: 'malformed', input }).content ?? '';
        checkInert(problems, readText(range.slice(0, range.lastIndexOf('” is not a line range'))), 'line range');
        expect(problems).toEqual([]);
      }),
      { numRuns: RUNS.notices },
    );
  });

  it('/source keeps any lines inside its code block, and /sources shows any file name inert', () => {
    fc.assert(
      fc.property(fc.array(documentText, { minLength: 1, maxLength: 20 }), fc.array(fileName, { minLength: 1, maxLength: 20 }), (texts, files) => {
        const lines = texts.flatMap((text) => text.split(/\r\n|\r|\n/)).map((text, i) => ({ number: i + 1, text }));
        const description = renderSource({ file: 'a.md', startLine: 1, endLine: lines.length, lines }).embeds[0]?.description ?? '';
        const body = description.slice('```text\n'.length, description.lastIndexOf('\n```'));
        expect(body).not.toMatch(/``/); // nothing can close the fence early
        expect(body).not.toMatch(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
        const summary = { modelId: 'm', builtAt: '2025-01-01T00:00:00Z', paragraphs: 1, documents: files.map((file) => ({ file, paragraphs: 1, lines: 1 })) };
        const listed = renderSources(summary).embeds[0]?.description ?? '';
        listed.split('\n').forEach((line, i) => {
          const file = files[i];
          if (file === undefined || line.startsWith('…and ')) return;
          const label = line.slice(0, line.lastIndexOf(' — '));
          if (label.startsWith('`')) expect(label).toBe(`\`${file}\``);
          else expect(readText(label)).toMatchObject({ live: [], visible: clean(file) });
        });
      }),
      { numRuns: RUNS.source },
    );
  });
});
