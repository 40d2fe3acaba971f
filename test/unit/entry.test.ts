/** The entry helper's judgement of failures: which the user can fix (message + hint, exit 1) and which are bugs. */
import { CommanderError } from 'commander';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFailure, EXIT_CODES, reportFailure } from '../../src/cli/entry.ts';
import { CitebotError } from '../../src/core/errors.ts';

/** A Node system error as fs / net raise it. */
function systemError(code: string, fields: Record<string, unknown>): Error {
  return Object.assign(new Error(`${code} something`), { code, ...fields });
}

function jsonSyntaxError(): unknown {
  try {
    JSON.parse('{"a": 1,}');
  } catch (error) {
    return error;
  }
  throw new Error('JSON.parse accepted a trailing comma');
}

const zodError = (() => {
  const parsed = z.object({ questions: z.array(z.object({ text: z.string() })) }).safeParse({ questions: [{ text: 3 }] });
  return parsed.success ? undefined : parsed.error;
})();

describe('describeFailure', () => {
  it.each<[string, unknown, RegExp | undefined, RegExp | undefined]>([
    ['a CitebotError: its message and hint', new CitebotError('INDEX_MISSING', 'No index here.'), /^No index here\.$/, /npm run ingest/],
    ['ENOENT names the path', systemError('ENOENT', { path: '/nonexistent.json' }), /^\/nonexistent\.json does not exist\.$/, /Check the path/],
    ['EACCES', systemError('EACCES', { path: '/root/x.json' }), /permission denied/, /permissions/],
    ['EISDIR', systemError('EISDIR', { path: '/tmp' }), /is a folder, not a file/, /a file/],
    [
      'ENOTFOUND inside fetch\'s TypeError("fetch failed") names the host',
      new TypeError('fetch failed', { cause: systemError('ENOTFOUND', { hostname: 'discord.com' }) }),
      /^Cannot resolve the server name discord\.com \(ENOTFOUND\)/,
      /network connection/,
    ],
    [
      'ECONNREFUSED inside an AggregateError (several addresses tried)',
      new Error('connect failed', { cause: new AggregateError([systemError('ECONNREFUSED', { address: '127.0.0.1', port: 9 })]) }),
      /^Nothing accepts connections at 127\.0\.0\.1:9/,
      /server is running/,
    ],
    ['a JSON syntax error', jsonSyntaxError(), /^Invalid JSON: /, /syntax/],
    ['a zod error lists each field', zodError, /expected shape:\n {2}- questions\.0\.text: /, /Fix the listed fields/],
    ['a TypeError from our own code is a bug', new TypeError("Cannot read properties of undefined (reading 'x')"), undefined, undefined],
    ['a SyntaxError that is not about JSON is a bug', new SyntaxError('Invalid regular expression'), undefined, undefined],
    ['a thrown string is a bug', 'oops', undefined, undefined],
    ['an unknown system error code is not guessed at', systemError('EMFILE', {}), undefined, undefined],
  ])('%s', (_what, error, message, hint) => {
    const failure = describeFailure(error);
    if (message === undefined) {
      expect(failure).toBeUndefined();
    } else {
      expect(failure?.message).toMatch(message);
      expect(failure?.hint).toMatch(hint!);
    }
  });
});

describe('reportFailure', () => {
  function stderr() {
    let text = '';
    const stream = new Writable({ write: (chunk, _encoding, done) => ((text += chunk.toString()), done()) });
    return Object.assign(stream, { text: () => text });
  }

  it('prints a fixable failure as "citebot: message" and the hint, and returns exit code 1', () => {
    const out = stderr();
    expect(reportFailure(new CitebotError('QUERY_EMPTY', 'The question is empty.'), out)).toBe(EXIT_CODES.failure);
    expect(out.text()).toBe('citebot: The question is empty.\nAsk a question with some words in it.\n');
  });

  it("keeps commander's exit code (it printed its own message or the help)", () => {
    const out = stderr();
    expect(reportFailure(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'), out)).toBe(0);
    expect(reportFailure(new CommanderError(1, 'commander.unknownOption', 'error: unknown option'), out)).toBe(1);
    expect(out.text()).toBe('');
  });

  it('rethrows a bug, so that it surfaces with its stack trace', () => {
    const bug = new TypeError('undefined is not a function');
    expect(() => reportFailure(bug, stderr())).toThrow(bug);
  });
});
