/**
 * Parsing of user input (questions, line ranges) from `unknown`, shared by the CLI, the console
 * and the Discord bot. Parsers never throw: a problem is a value each transport renders its way.
 */

export type Parsed<T, P> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: P };

export type QuestionProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'too-long'; readonly length: number; readonly max: number };

/** A question or query: present, not just whitespace, and at most `max` characters once trimmed. */
export function parseQuestion(raw: unknown, max: number): Parsed<string, QuestionProblem> {
  if (typeof raw !== 'string') return { ok: false, problem: { kind: 'missing' } };
  const question = raw.trim();
  if (question === '') return { ok: false, problem: { kind: 'empty' } };
  const length = [...question].length;
  if (length > max) return { ok: false, problem: { kind: 'too-long', length, max } };
  return { ok: true, value: question };
}

/** What is wrong with a question, in words (the same on every transport that has no richer way to say it). Pure. */
export function describeQuestionProblem(problem: QuestionProblem): string {
  switch (problem.kind) {
    case 'missing':
    case 'empty':
      return 'The question is empty.';
    case 'too-long':
      return `The question is ${problem.length} characters long; the limit is ${problem.max}.`;
  }
}

export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export type LineRangeProblem =
  | { readonly kind: 'missing' }
  /** Not a line range. `reason` is set when it has the shape of one but a number is unusable. */
  | { readonly kind: 'malformed'; readonly input: string; readonly reason?: 'line-zero' | 'too-large' }
  | { readonly kind: 'reversed'; readonly start: number; readonly end: number };

/** Larger line numbers are typos, not documents: no text file citebot indexes has a billion lines. */
export const MAX_LINE_NUMBER = 999_999_999;

const LINE_RANGE = /^L?(\d+)(?:\s*[-–—:]\s*L?(\d+))?$/i;

/** `12-15`, `12–15`, `L12-L15` or a single line `12`; 1-based and inclusive. */
export function parseLineRange(raw: unknown): Parsed<LineRange, LineRangeProblem> {
  if (typeof raw !== 'string') return { ok: false, problem: { kind: 'missing' } };
  const input = raw.trim();
  const match = LINE_RANGE.exec(input);
  if (match?.[1] === undefined) return { ok: false, problem: { kind: 'malformed', input } };
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start > MAX_LINE_NUMBER || end > MAX_LINE_NUMBER) return { ok: false, problem: { kind: 'malformed', input, reason: 'too-large' } };
  if (start < 1 || end < 1) return { ok: false, problem: { kind: 'malformed', input, reason: 'line-zero' } };
  if (end < start) return { ok: false, problem: { kind: 'reversed', start, end } };
  return { ok: true, value: { start, end } };
}

/**
 * Why `range` does not fit in a document of `lineCount` lines, naming its real last line; undefined
 * when it fits. Shared by every transport so that the message is the same everywhere. Pure.
 */
export function describeRangePastEnd(file: string, lineCount: number, range: LineRange): string | undefined {
  if (range.end <= lineCount) return undefined;
  const lines = lineCount === 1 ? '1 line' : `${lineCount} lines`;
  if (range.start <= lineCount) {
    const fits = range.start === lineCount ? `${lineCount}` : `${range.start}-${lineCount}`;
    return `${file} has ${lines}, so the range ${range.start}-${range.end} runs past its last line, ${lineCount} (ask for ${fits}).`;
  }
  const asked = range.start === range.end ? `line ${range.start} is` : `lines ${range.start}-${range.end} are`;
  return `${file} has ${lines}: ${asked} past its last line, ${lineCount}.`;
}
