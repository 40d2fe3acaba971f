/**
 * The fuzz suite of issue 10 (point "keep the probing as tests"), next to escape.property.test.ts
 * (which covers answers, abstentions and searches field by field). Here:
 * - every remaining reply (`/source`, `/sources`, every notice) fits Discord's limits, never
 *   pings, and shows hostile text inert, with only citebot's own markup live;
 * - every input parser (questions, line ranges, counts, bot mentions, `FILE:LINES` references,
 *   console lines, the environment) returns a value or throws a CitebotError, never anything
 *   else, and what it returns is in range.
 * Run counts are in {@link RUNS}; the README quotes them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCitation as citationText } from '../../src/answer/citation.ts';
import { parseConsoleLine, CONSOLE_COMMANDS } from '../../src/cli/console.ts';
import { checkSourceRange, parseSourceReference } from '../../src/cli/source-reference.ts';
import { parseConfig, SETTING_RANGES } from '../../src/config/config.ts';
import { isCitebotError } from '../../src/core/errors.ts';
import { MAX_LINE_NUMBER, parseLineRange, parseQuestion, type LineRangeProblem, type QuestionProblem } from '../../src/core/input.ts';
import type { IndexSummary, SourceExcerpt } from '../../src/core/types.ts';
import { mentionsBot, parseCount, stripBotMention } from '../../src/discord/input.ts';
import { DISCORD_LIMITS, limitViolations } from '../../src/discord/render/limits.ts';
import {
  renderApology,
  renderCooldown,
  renderLineRangeProblem,
  renderProblem,
  renderQuestionProblem,
  renderShuttingDown,
  renderUnknownCommand,
  type QuestionSource,
} from '../../src/discord/render/notices.ts';
import type { Reply } from '../../src/discord/render/reply.ts';
import { formatCitation } from '../../src/discord/render/citation.ts';
import { matchFiles } from '../../src/discord/commands/source.ts';
import { renderSource } from '../../src/discord/render/source.ts';
import { renderSources } from '../../src/discord/render/sources.ts';
import { cleanText, ELLIPSIS, LINE_BREAK_SYMBOL } from '../../src/discord/render/text.ts';
import { readText } from './support/discord-markdown.ts';
import { documentText, hostilePiece, shortText } from './support/hostile-text.ts';

/** Runs per property, sized so the whole file takes about 3 s on one shared core. */
const RUNS = { notices: 300, source: 150, sources: 100, parsers: 500, config: 300 } as const;

const NO_MENTIONS = { parse: [], repliedUser: false };
const clean = (text: string) => cleanText(text).text;
/** A file name as a one-line slot shows it: every line break as ␤. */
const oneLine = (text: string) => text.replaceAll(/\r\n|[\n\r\u2028\u2029]/g, LINE_BREAK_SYMBOL);

/** 400–1,000 hostile pieces (about 1–5 KB): past Discord's 2,000-character message, so every cut is exercised. */
const longText = fc.string({ unit: hostilePiece, minLength: 400, maxLength: 1_000 });
const anyText = fc.oneof({ arbitrary: documentText, weight: 3 }, { arbitrary: longText, weight: 1 });
/** Anything a Discord option, a message or a config file could hand a parser (and more). */
const anyValue = fc.oneof(anyText, fc.string({ unit: 'binary' }), fc.anything());

/** Paths as a hostile or careless admin could name files: markup, mentions, backticks, bidi, spaces, colons. */
const fileName = fc.string({
  unit: fc.oneof(fc.constantFrom('a', 'b', '_', '*', '~', '|', '[', ']', '(', ')', '<', '>', '@', '#', '-', '.', '/', ':', ' ', '0', '`', '\u202E', '\n'), hostilePiece),
  minLength: 1,
  maxLength: 60,
});

function expectFits(reply: Reply): void {
  expect(limitViolations(reply)).toEqual([]);
  expect(reply.allowedMentions).toEqual(NO_MENTIONS);
}

/** `shown` reads as `full`, or as a cut of it ending in "…". */
function isShownOf(shown: string, full: string): boolean {
  return shown === full || (shown.endsWith(ELLIPSIS) && full.startsWith(shown.slice(0, -ELLIPSIS.length)));
}

/** Run `parse` on `input`: its value, or the CitebotError it threw; any other throw fails the test. */
function valueOrCitebotError<T>(parse: () => T): { ok: true; value: T } | { ok: false } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (!isCitebotError(error)) throw new Error(`threw a non-CitebotError: ${String(error)}`, { cause: error });
    expect(error.hint.length).toBeGreaterThan(0);
    return { ok: false };
  }
}

describe('notices (fuzzed)', () => {
  const questionProblem: fc.Arbitrary<QuestionProblem> = fc.oneof(
    fc.constant({ kind: 'missing' as const }),
    fc.constant({ kind: 'empty' as const }),
    fc.record({ kind: fc.constant('too-long' as const), length: fc.nat(), max: fc.nat() }),
  );
  const source = fc.constantFrom<QuestionSource>('question option', 'query option', 'mention', 'message');
  const rangeProblem: fc.Arbitrary<LineRangeProblem> = fc.oneof(
    fc.constant({ kind: 'missing' as const }),
    fc.record({ kind: fc.constant('malformed' as const), input: anyText }),
    fc.record({ kind: fc.constant('reversed' as const), start: fc.integer(), end: fc.integer() }),
  );

  it('every notice fits in one message, never pings, and quotes user text inert and verbatim (or cut with "…")', () => {
    fc.assert(
      fc.property(anyText, questionProblem, source, rangeProblem, fc.integer({ min: 0, max: 8.64e15 }), (input, problem, where, range, retryAt) => {
        for (const reply of [
          renderQuestionProblem(problem, where),
          renderLineRangeProblem(range),
          renderProblem(input, 'hint'),
          renderUnknownCommand(input),
          renderCooldown(retryAt),
          renderApology('0123abcd'),
          renderShuttingDown(),
        ]) {
          expectFits(reply);
          expect(reply.embeds).toEqual([]);
        }
        // The user's text is the part before citebot's own words; nothing in it is live.
        const problemText = renderProblem(input, 'hint').content ?? '';
        const message = problemText.endsWith('\nhint') ? problemText.slice(0, -'\nhint'.length) : problemText;
        const reading = readText(message);
        expect(reading.live).toEqual([]);
        expect(isShownOf(reading.visible, clean(input))).toBe(true);
        // A cooldown notice holds one live construct, citebot's own timestamp pill, with a whole number.
        expect(renderCooldown(retryAt).content).toMatch(/^You're asking too quickly\. Try again <t:\d+:R>\.$/);
      }),
      { numRuns: RUNS.notices },
    );
  });
});

describe('/source and /sources (fuzzed)', () => {
  const excerpt: fc.Arbitrary<SourceExcerpt> = fc
    .tuple(fileName, fc.integer({ min: 1, max: MAX_LINE_NUMBER - 1_000 }), fc.array(anyText, { minLength: 1, maxLength: 40 }))
    .map(([file, startLine, texts]) => {
      const lines = texts.flatMap((text) => text.split(/\r\n|\r|\n/)).map((text, i) => ({ number: startLine + i, text }));
      return { file, startLine, endLine: startLine + lines.length - 1, lines };
    });

  it('/source fits, its title reads as the citation, and every shown line is the numbered verbatim line (backtick runs broken)', () => {
    fc.assert(
      fc.property(excerpt, (shown) => {
        const reply = renderSource(shown);
        expectFits(reply);
        const embed = reply.embeds[0];
        const title = readText(embed?.title ?? '');
        expect(title.live).toEqual([]);
        expect(isShownOf(title.visible, clean(citationText(shown)).replaceAll(/\s+/g, ' ').trim())).toBe(true);
        const description = embed?.description ?? '';
        expect(description.startsWith('```text\n')).toBe(true);
        const close = description.lastIndexOf('\n```');
        const body = description.slice('```text\n'.length, close).split('\n');
        const note = description.slice(close + '\n```'.length);
        // Nothing inside can close the fence early, reorder the text, or start a new line of its own.
        expect(body.join('\n')).not.toMatch(/``|[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/);
        const width = String(shown.endLine).length;
        const wrong = body.flatMap((line, i) => {
          const source = shown.lines[i];
          if (source === undefined) return [`extra line ${line}`];
          const expected = `${String(source.number).padStart(width)} │ ${source.text.replaceAll(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '')}`;
          const visible = line.replaceAll('\u200b', '');
          return isShownOf(visible, expected.replaceAll('\u200b', '')) ? [] : [`line ${i}: ${JSON.stringify(line)}`];
        });
        expect(wrong).toEqual([]);
        if (body.length < shown.lines.length) {
          expect(note).toBe(`\nLines ${shown.lines[body.length]?.number}–${shown.endLine} are not shown (too long for one message); ask for a smaller range.`);
        } else expect(note).toBe('');
      }),
      { numRuns: RUNS.source },
    );
  });

  const summary: fc.Arbitrary<IndexSummary> = fc.record({
    modelId: anyText,
    builtAt: fc.oneof(anyText, fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
    paragraphs: fc.nat(),
    documents: fc.array(fc.record({ file: fileName, paragraphs: fc.nat(), lines: fc.nat() }), { maxLength: 150 }),
  });

  it('/sources fits with any number of hostile file names, and shows each inert (or in inline code, verbatim)', () => {
    fc.assert(
      fc.property(summary, (indexed) => {
        const reply = renderSources(indexed);
        expectFits(reply);
        const embed = reply.embeds[0];
        const lines = (embed?.description ?? '').split('\n');
        const wrong: string[] = [];
        lines.forEach((line, i) => {
          const doc = indexed.documents[i];
          if (line.startsWith('…and ')) {
            if (Number(/^…and (\d+) more$/.exec(line)?.[1]) !== indexed.documents.length - i) wrong.push(`wrong count ${line}`);
            return;
          }
          if (doc === undefined) {
            if (indexed.documents.length > 0) wrong.push(`extra line ${line}`);
            return;
          }
          const label = line.slice(0, line.lastIndexOf(' — '));
          if (label.startsWith('`')) {
            if (label !== `\`${oneLine(doc.file)}\``) wrong.push(`code ${label} is not ${doc.file}`);
          } else {
            const reading = readText(label);
            if (reading.live.length > 0 || reading.visible !== clean(oneLine(doc.file))) wrong.push(`label ${JSON.stringify(label)}: ${reading.live.join('; ')}`);
          }
        });
        // The model id and a non-date "built at" are shown inert; a date is citebot's own timestamp pill.
        const fields = embed?.fields ?? [];
        const model = readText(fields.find((f) => f.name === 'Model')?.value ?? '');
        if (model.live.length > 0 || !isShownOf(model.visible, clean(indexed.modelId).trim() === '' ? 'unknown' : clean(indexed.modelId))) wrong.push(`model ${model.live.join('; ')}`);
        const built = fields.find((f) => f.name === 'Index built')?.value ?? '';
        if (!/^<t:-?\d+:f> \(<t:-?\d+:R>\)$/.test(built) && readText(built).live.length > 0) wrong.push(`built at ${built}`);
        expect(wrong).toEqual([]);
      }),
      { numRuns: RUNS.sources },
    );
  });
});

describe('citations of hostile file names (fuzzed)', () => {
  it('stay on one line and read as the path (line breaks as ␤), as inline code or as inert text', () => {
    fc.assert(
      fc.property(fileName, fc.integer({ min: 1, max: MAX_LINE_NUMBER }), fc.nat({ max: 500 }), (file, startLine, length) => {
        const span = { file, startLine, endLine: startLine + length };
        const shown = formatCitation(span);
        expect(shown).not.toMatch(/[\n\r\u2028\u2029]/);
        const expected = oneLine(citationText(span));
        if (shown.startsWith('`') && shown.endsWith('`') && !shown.slice(1, -1).includes('`')) expect(shown).toBe(`\`${expected}\``);
        else expect(readText(shown)).toMatchObject({ live: [], visible: clean(expected) });
      }),
      { numRuns: RUNS.parsers },
    );
  });
});

describe('input parsers (fuzzed): a value or a CitebotError, never anything else', () => {
  it('parseQuestion: any value and any limit give a trimmed, non-empty question within the limit, or a problem', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: 0, max: 5_000 }), (raw, max) => {
        const parsed = parseQuestion(raw, max);
        if (parsed.ok) {
          expect(parsed.value).toBe(parsed.value.trim());
          expect(parsed.value).not.toBe('');
          expect([...parsed.value].length).toBeLessThanOrEqual(max);
        } else if (parsed.problem.kind === 'too-long') {
          expect(parsed.problem.length).toBeGreaterThan(max);
        } else {
          expect(typeof raw !== 'string' || raw.trim() === '').toBe(true);
        }
      }),
      { numRuns: RUNS.parsers },
    );
  });

  const rangeLike = fc.oneof(
    anyValue,
    fc.tuple(fc.constantFrom('', 'L', 'l'), fc.bigInt({ min: -10n, max: 10n ** 12n }), fc.constantFrom('-', '–', '—', ':', ' - ', '..', ''), fc.bigInt({ min: -10n, max: 10n ** 12n })).map(([l, a, sep, b]) => `${l}${a}${sep}${l}${b}`),
  );

  it('parseLineRange: any value gives 1 ≤ start ≤ end ≤ the largest line number, or a problem', () => {
    fc.assert(
      fc.property(rangeLike, (raw) => {
        const parsed = parseLineRange(raw);
        if (!parsed.ok) return;
        expect(Number.isInteger(parsed.value.start) && Number.isInteger(parsed.value.end)).toBe(true);
        expect(1 <= parsed.value.start && parsed.value.start <= parsed.value.end && parsed.value.end <= MAX_LINE_NUMBER).toBe(true);
      }),
      { numRuns: RUNS.parsers },
    );
  });

  it('parseCount: any option value lands in the range (or is the fallback)', () => {
    fc.assert(
      fc.property(anyValue, fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 50 }), (raw, min, span) => {
        const range = { min, max: min + span, fallback: min };
        const count = parseCount(raw, range);
        expect(Number.isInteger(count) && count >= range.min && count <= range.max).toBe(true);
      }),
      { numRuns: RUNS.parsers },
    );
  });

  it('stripBotMention leaves no mention of the bot, whatever the message', () => {
    const botId = fc.bigInt({ min: 10n ** 16n, max: 10n ** 19n }).map(String);
    const mentionHeavy = fc.string({ unit: fc.oneof(hostilePiece, fc.constantFrom('<@', '<@!', '>', '<@1234567890123456789>', '<@!1234567890123456789>')) });
    fc.assert(
      fc.property(fc.oneof(anyText, mentionHeavy), botId, (content, id) => {
        const withBot = `<@${id}>${content}<@!${id}>`;
        expect(mentionsBot(withBot, id)).toBe(true);
        expect(mentionsBot(stripBotMention(withBot, id), id)).toBe(false);
        expect(mentionsBot(stripBotMention(content, id), id)).toBe(false);
      }),
      { numRuns: RUNS.parsers },
    );
  });

  it('parseSourceReference: any text is a file and a valid range, or a SOURCE_BAD_RANGE CitebotError; any well-formed reference round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.string({ unit: 'binary' })), fileName, fc.integer({ min: 1, max: MAX_LINE_NUMBER }), fc.nat({ max: 1_000 }), (raw, file, start, length) => {
        const parsed = valueOrCitebotError(() => parseSourceReference(raw));
        if (parsed.ok) expect(parsed.value.startLine >= 1 && parsed.value.startLine <= parsed.value.endLine).toBe(true);
        const end = Math.min(MAX_LINE_NUMBER, start + length);
        expect(parseSourceReference(`${file}:${start}-${end}`)).toEqual({ file, startLine: start, endLine: end });
      }),
      { numRuns: RUNS.parsers },
    );
  });

  it('checkSourceRange: any reference against any index passes or throws a CitebotError', () => {
    fc.assert(
      fc.property(
        fileName,
        fc.integer({ min: 1, max: MAX_LINE_NUMBER }),
        fc.nat({ max: 5_000 }),
        fc.array(fc.record({ file: fileName, paragraphs: fc.nat(), lines: fc.nat({ max: 10_000 }) }), { maxLength: 5 }),
        (file, startLine, length, documents) => {
          const docs = fc.sample(fc.boolean(), 1)[0] === true ? [...documents, { file, paragraphs: 1, lines: startLine + 10 }] : documents;
          valueOrCitebotError(() => checkSourceRange({ file, startLine, endLine: startLine + length }, { modelId: 'm', builtAt: '', paragraphs: 0, documents: docs }));
        },
      ),
      { numRuns: RUNS.parsers },
    );
  });

  it('/source autocomplete: any typed text gives at most 25 indexed files that Discord accepts as choices, each matching it', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fileName, fc.string({ minLength: 90, maxLength: 120 })), { maxLength: 60 }), fc.oneof(shortText, fc.string({ unit: 'binary', maxLength: 10 })), (files, typed) => {
        const choices = matchFiles(files, typed);
        expect(choices.length).toBeLessThanOrEqual(DISCORD_LIMITS.autocompleteChoices);
        for (const choice of choices) {
          expect(files).toContain(choice);
          expect(choice.length).toBeLessThanOrEqual(DISCORD_LIMITS.choiceValue);
          expect(choice.toLowerCase()).toContain(typed.toLowerCase());
        }
      }),
      { numRuns: RUNS.parsers },
    );
  });

  it('parseConsoleLine: any line is nothing, a question (its trimmed text), a known command, or an unknown one', () => {
    const commandish = fc.tuple(fc.constantFrom('/', '//', ' /'), fc.oneof(fc.constantFrom(...CONSOLE_COMMANDS.map((c) => c.name), 'EXIT', 'Quit', 'etc/hosts'), shortText), fc.constantFrom('', ' ', '\t', '/'), anyText).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(anyText, commandish, fc.string({ unit: 'binary' })), (raw) => {
        const input = parseConsoleLine(raw);
        switch (input.kind) {
          case 'nothing':
            expect(raw.trim()).toBe('');
            break;
          case 'question':
            expect(input.text).toBe(raw.trim());
            break;
          case 'command':
            expect(CONSOLE_COMMANDS.map((c) => c.name)).toContain(input.name);
            expect(input.argument).toBe(input.argument.trim());
            break;
          case 'unknown-command':
            expect(input.name.startsWith('/')).toBe(true);
            break;
        }
      }),
      { numRuns: RUNS.parsers },
    );
  });

  it('parseConfig: any environment is a Config with every number in its range, or one CONFIG_INVALID error', () => {
    const names = [...Object.keys(SETTING_RANGES), 'CITEBOT_MODEL_DTYPE', 'CITEBOT_ALLOW_REMOTE_MODELS', 'CITEBOT_RETRIEVAL_CONTEXT', 'CITEBOT_LOG_LEVEL', 'DISCORD_TOKEN', 'DISCORD_GUILD_ID', 'DISCORD_API_URL'];
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.double().map(String),
      fc.integer({ min: -10, max: 10_000 }).map(String),
      fc.constantFrom('', ' ', 'true', 'q8', 'debug', '1e3', '0x10', '-0', '.5', '5.', 'Infinity', '123456789012345678'),
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...names), value), (env) => {
        const parsed = valueOrCitebotError(() => parseConfig(env, '/p'));
        if (!parsed.ok) return;
        const config = parsed.value;
        const numbers: [keyof typeof SETTING_RANGES, number | undefined][] = [
          ['CITEBOT_THREADS', config.model.threads],
          ['CITEBOT_BATCH_SIZE', config.model.batchSize],
          ['CITEBOT_HNSW_EF', config.hnswEf],
          ['CITEBOT_RESULTS', config.defaultResults],
          ['CITEBOT_MAX_QUESTION_LENGTH', config.maxQuestionLength],
          ['CITEBOT_CHUNK_MAX_TOKENS', config.chunkMaxTokens],
          ['CITEBOT_ABSTAIN_THRESHOLD', config.abstainThreshold],
          ['CITEBOT_COOLDOWN_SECONDS', config.discord?.cooldownSeconds],
        ];
        for (const [name, number] of numbers) {
          if (number === undefined) continue;
          const range = SETTING_RANGES[name];
          expect(number >= range.min && number <= range.max && (!range.integer || Number.isInteger(number)), `${name}=${number}`).toBe(true);
        }
      }),
      { numRuns: RUNS.config },
    );
  });
});

describe('limits are what the fuzzing checks against', () => {
  it('counts what Discord counts', () => {
    // A reply over a limit is reported; the suite above would otherwise pass vacuously.
    expect(limitViolations({ content: 'x'.repeat(DISCORD_LIMITS.content + 1) })).toHaveLength(1);
    expect(limitViolations({ embeds: [{ title: 'x'.repeat(DISCORD_LIMITS.embedTitle + 1) }] })).not.toEqual([]);
  });
});
