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

export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export type LineRangeProblem =
  | { readonly kind: 'missing' }
  | { readonly kind: 'malformed'; readonly input: string }
  | { readonly kind: 'reversed'; readonly start: number; readonly end: number };

const LINE_RANGE = /^L?(\d{1,9})(?:\s*[-–—:]\s*L?(\d{1,9}))?$/i;

/** `12-15`, `12–15`, `L12-L15` or a single line `12`; 1-based and inclusive. */
export function parseLineRange(raw: unknown): Parsed<LineRange, LineRangeProblem> {
  if (typeof raw !== 'string') return { ok: false, problem: { kind: 'missing' } };
  const input = raw.trim();
  const match = LINE_RANGE.exec(input);
  if (match?.[1] === undefined) return { ok: false, problem: { kind: 'malformed', input } };
  const start = Number(match[1]);
  const end = match[2] === undefined ? start : Number(match[2]);
  if (start < 1) return { ok: false, problem: { kind: 'malformed', input } };
  if (end < start) return { ok: false, problem: { kind: 'reversed', start, end } };
  return { ok: true, value: { start, end } };
}
