/** The interactive console: what a line means, what each command prints, and log lines around the prompt. */
import { PassThrough, Writable } from 'node:stream';
import type { Interface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { parseConsoleLine, runConsole, type ConsoleInput } from '../../src/cli/console.ts';
import { createPromptGuard } from '../../src/cli/prompt-guard.ts';
import { CitebotError } from '../../src/core/errors.ts';
import { CANNED_SUMMARY, createCannedEngine } from '../discord/support/canned-engine.ts';

describe('parseConsoleLine', () => {
  it.each<[string, string, ConsoleInput]>([
    ['blank lines are nothing', '   ', { kind: 'nothing' }],
    ['a question', ' What did NATO decide? ', { kind: 'question', text: 'What did NATO decide?' }],
    ['/help', '/help', { kind: 'command', name: 'help', argument: '' }],
    ['commands are case-insensitive', '/SOURCES', { kind: 'command', name: 'sources', argument: '' }],
    ['/Source with its reference', '/Source seeds/a.txt:1-3', { kind: 'command', name: 'source', argument: 'seeds/a.txt:1-3' }],
    ['/source without one (the command says how to use it)', '/source', { kind: 'command', name: 'source', argument: '' }],
    ['/exit is /quit', '/exit', { kind: 'command', name: 'quit', argument: '' }],
    ['an unknown command is not a question', '/foo bar', { kind: 'unknown-command', name: '/foo' }],
    ['a path is not a command word: still a question', '/etc/hosts is what?', { kind: 'question', text: '/etc/hosts is what?' }],
    ['a lone slash is a question', '/', { kind: 'question', text: '/' }],
  ])('%s', (_why, line, expected) => {
    expect(parseConsoleLine(line)).toEqual(expected);
  });
});

function capture(): Writable & { text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return Object.assign(stream, { text: () => text });
}

/** Runs the console over `lines` (then end of input) on a canned engine. */
async function session(lines: string[], engine = createCannedEngine()) {
  const input = new PassThrough();
  const stdout = capture();
  const ended = runConsole(engine, { stdout, input });
  input.end(lines.map((line) => `${line}\n`).join(''));
  return { end: await ended, output: stdout.text(), engine };
}

describe('runConsole', () => {
  it('greets with the index in the right number and points at /help', async () => {
    const { output } = await session([]);
    expect(output).toContain(`citebot — 3 documents, ${CANNED_SUMMARY.paragraphs} paragraphs indexed (model Xenova/bge-small-en-v1.5).`);
    expect(output).toContain('Ask a question, or type /help for the commands.');
  });

  it('/help lists every command; an unknown command is refused with the list and never searched', async () => {
    const { output, engine } = await session(['/help', '/foo', '/HELP']);
    expect(output.match(/\/source FILE:LINES {2}print lines/g)).toHaveLength(2);
    expect(output).toContain('Unknown command /foo. The commands are /help, /sources, /source FILE:LINES, /quit; anything else is asked as a question.');
    expect(engine.queries).toEqual([]);
  });

  it('/sources lists the documents with their counts; /source without a reference shows its usage', async () => {
    const { output, engine } = await session(['/sources', '/source']);
    expect(output).toContain('seeds/000_e4409a72bea0ec59.txt  (22 paragraphs, 44 lines)');
    expect(output).toContain('Usage: /source FILE:LINES, e.g. /source seeds/000_e4409a72bea0ec59.txt:1-3 (see /sources for the files).');
    expect(engine.queries).toEqual([]);
  });

  it('/source quotes lines, and names the last line of a range that runs past it', async () => {
    const { output } = await session(['/source seeds/000_e4409a72bea0ec59.txt:2-3', '/source seeds/000_e4409a72bea0ec59.txt:44-45']);
    expect(output).toContain('2 | line 2\n3 | line 3\n');
    expect(output).toContain('seeds/000_e4409a72bea0ec59.txt has 44 lines, so the range 44-45 runs past its last line, 44 (ask for 44).');
  });

  it('answers a question, shows a CitebotError with its hint and carries on', async () => {
    let calls = 0;
    const engine = createCannedEngine({
      search: async () => {
        calls += 1;
        throw new CitebotError('QUERY_TOO_LONG', 'The question is 900 characters long; the limit is 500.');
      },
    });
    const { output, end } = await session(['why so long?', 'and again?'], engine);
    expect(calls).toBe(2);
    expect(output).toContain('The question is 900 characters long; the limit is 500.\nShorten the question.\n');
    expect(end).toBe('end-of-input');
  });

  it('/quit (any case) ends the session before the lines after it', async () => {
    const { end, engine } = await session(['/QUIT', 'never asked']);
    expect(end).toBe('quit');
    expect(engine.queries).toEqual([]);
  });
});

describe('createPromptGuard', () => {
  function fakeTerminal(isTTY: boolean) {
    const screen = capture();
    return Object.assign(screen, { isTTY });
  }

  it('on a terminal, a log line clears the waiting prompt first and redraws it (keeping what was typed) after', () => {
    const stderr = capture();
    const stdout = fakeTerminal(true);
    const redraws: boolean[] = [];
    const prompt = { prompt: (preserveCursor?: boolean) => redraws.push(preserveCursor === true) } as unknown as Interface;
    const guard = createPromptGuard(stderr, stdout);
    guard.setWaitingPrompt(prompt);
    guard.stream.write('WARN: skipped a file\n');
    expect(stderr.text()).toBe('WARN: skipped a file\n');
    expect(stdout.text()).toBe('\u001b[2K\u001b[1G'); // erase the line, cursor to column 1
    expect(redraws).toEqual([true]);
  });

  it('passes lines straight through when no prompt waits, or when the output is not a terminal', () => {
    const stderr = capture();
    const pipe = fakeTerminal(false);
    const prompt = { prompt: () => expect.unreachable('no redraw on a pipe') } as unknown as Interface;
    const guard = createPromptGuard(stderr, pipe);
    guard.stream.write('one\n');
    guard.setWaitingPrompt(prompt);
    guard.stream.write('two\n');
    expect(stderr.text()).toBe('one\ntwo\n');
    expect(pipe.text()).toBe('');
  });
});
