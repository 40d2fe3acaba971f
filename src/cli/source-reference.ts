/** `FILE:LINES` references as the CLI and the console take them (`seeds/a.txt:24-26`, `seeds/a.txt:24`). */
import { CitebotError, notIndexedError } from '../core/errors.ts';
import { describeRangePastEnd, parseLineRange, type LineRangeProblem } from '../core/input.ts';
import type { IndexSummary } from '../core/types.ts';

export interface SourceReference {
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
}

const REFERENCE_HINT = 'Write it as seeds/000_e4409a72bea0ec59.txt:24-26 (or :24 for one line).';

function whyNotARange(problem: LineRangeProblem | undefined): string {
  if (problem?.kind === 'reversed') return ' (the range ends before it starts)';
  if (problem?.kind === 'malformed' && problem.reason === 'line-zero') return ' (lines are numbered from 1, so there is no line 0)';
  if (problem?.kind === 'malformed' && problem.reason === 'too-large') return ' (that line number is larger than any document has)';
  return '';
}

/** `seeds/file.txt:24-26` → file and range; a CitebotError (SOURCE_BAD_RANGE) saying what is wrong otherwise. */
export function parseSourceReference(reference: string): SourceReference {
  const colon = reference.lastIndexOf(':');
  const range = colon <= 0 ? undefined : parseLineRange(reference.slice(colon + 1));
  if (range === undefined || !range.ok) {
    throw new CitebotError('SOURCE_BAD_RANGE', `"${reference}" is not a file and line range${whyNotARange(range?.ok === false ? range.problem : undefined)}.`, {
      hint: REFERENCE_HINT,
    });
  }
  return { file: reference.slice(0, colon), startLine: range.value.start, endLine: range.value.end };
}

/**
 * Checks a reference against the index summary, so that a wrong file or a range past the end is
 * refused with the document's real last line. Throws SOURCE_NOT_FOUND / SOURCE_BAD_RANGE.
 */
export function checkSourceRange(reference: SourceReference, summary: IndexSummary): void {
  const document = summary.documents.find((candidate) => candidate.file === reference.file);
  if (document === undefined) throw notIndexedError(`${reference.file} is not an indexed document.`, summary.documents[0]?.file);
  const pastEnd = describeRangePastEnd(document.file, document.lines, { start: reference.startLine, end: reference.endLine });
  if (pastEnd !== undefined) throw new CitebotError('SOURCE_BAD_RANGE', pastEnd);
}
