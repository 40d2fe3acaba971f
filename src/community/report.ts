/**
 * "What could citebot not answer?": the report over a server's stored answers, as data (pure).
 * The Discord embed, the CSV and the command line all render this one structure.
 */
import type { AnswerWithVotes } from '../core/community-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Two questions are near-duplicates when their content words overlap this much (Jaccard). 0.6
 * groups rephrasings ("how do I reset my password" / "how can I reset the password?") and case or
 * punctuation variants, and keeps apart questions sharing one topic word ("reset password" /
 * "change password": 1/3).
 */
export const NEAR_DUPLICATE_JACCARD = 0.6;

/** Words that say nothing about what was asked; dropped before comparing questions. */
const STOPWORDS = new Set(
  'a an the is are was were be been do does did can could should would will i me my we our you your it its of to in on for with at by from and or how what why when where which who whom this that these those there please any some about as if so'.split(
    ' ',
  ),
);

/** A group of near-duplicate questions citebot abstained on. */
export interface UnansweredGroup {
  /** The most frequent wording in the group (the latest among equals). */
  readonly question: string;
  readonly count: number;
  /** Every distinct wording, most frequent first. */
  readonly wordings: readonly string[];
  readonly lastAskedAt: number;
}

/** An answer at least one member voted "Not helpful". */
export interface UnhelpfulAnswer {
  readonly question: string;
  readonly citations: readonly string[];
  readonly abstained: boolean;
  readonly helpfulVotes: number;
  readonly unhelpfulVotes: number;
  readonly createdAt: number;
}

export interface CommunityReport {
  readonly guildId: string;
  readonly days: number;
  readonly since: number;
  readonly generatedAt: number;
  readonly questions: number;
  readonly abstained: number;
  readonly unanswered: readonly UnansweredGroup[];
  readonly unhelpful: readonly UnhelpfulAnswer[];
  readonly helpfulVotes: number;
  readonly unhelpfulVotes: number;
  /** Helpful votes over all votes, 0–1; undefined without votes. */
  readonly helpfulRate: number | undefined;
}

/** The moment a report over the last `days` days starts at. */
export function reportSince(now: number, days: number): number {
  return now - days * DAY_MS;
}

/** The content words of a question, folded (case, accents, punctuation, a plural `s`). */
export function questionTerms(question: string): Set<string> {
  const words = question
    .normalize('NFKD')
    .replaceAll(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '' && !STOPWORDS.has(word))
    .map((word) => (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word));
  return new Set(words);
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared += 1;
  return shared / (a.size + b.size - shared);
}

/**
 * Groups near-duplicate questions (greedy, in order: a question joins the first group whose first
 * question it overlaps by {@link NEAR_DUPLICATE_JACCARD}), most frequent group first.
 */
export function groupNearDuplicates(asked: readonly { readonly question: string; readonly at: number }[]): UnansweredGroup[] {
  const groups: { terms: Set<string>; items: { question: string; at: number }[] }[] = [];
  for (const item of asked) {
    const terms = questionTerms(item.question);
    const home = groups.find((group) => jaccard(group.terms, terms) >= NEAR_DUPLICATE_JACCARD);
    if (home === undefined) groups.push({ terms, items: [item] });
    else home.items.push(item);
  }
  return groups
    .map((group): UnansweredGroup => {
      const counts = new Map<string, { count: number; at: number }>();
      for (const item of group.items) {
        const wording = item.question.trim();
        const seen = counts.get(wording);
        counts.set(wording, { count: (seen?.count ?? 0) + 1, at: Math.max(seen?.at ?? 0, item.at) });
      }
      const wordings = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || b[1].at - a[1].at).map(([wording]) => wording);
      return { question: wordings[0] ?? '', count: group.items.length, wordings, lastAskedAt: Math.max(...group.items.map((i) => i.at)) };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt - a.lastAskedAt);
}

/** The report over `answers` (a server's answers of the last `days` days). */
export function buildReport(answers: readonly AnswerWithVotes[], options: { readonly guildId: string; readonly days: number; readonly now: number }): CommunityReport {
  const abstained = answers.filter((answer) => answer.abstained);
  const helpfulVotes = answers.reduce((sum, a) => sum + a.helpfulVotes, 0);
  const unhelpfulVotes = answers.reduce((sum, a) => sum + a.unhelpfulVotes, 0);
  const unhelpful = answers
    .filter((answer) => answer.unhelpfulVotes > 0)
    .map(
      (answer): UnhelpfulAnswer => ({
        question: answer.question,
        citations: answer.citations,
        abstained: answer.abstained,
        helpfulVotes: answer.helpfulVotes,
        unhelpfulVotes: answer.unhelpfulVotes,
        createdAt: answer.createdAt,
      }),
    )
    .sort((a, b) => b.unhelpfulVotes - b.helpfulVotes - (a.unhelpfulVotes - a.helpfulVotes) || b.createdAt - a.createdAt);
  const votes = helpfulVotes + unhelpfulVotes;
  return {
    guildId: options.guildId,
    days: options.days,
    since: reportSince(options.now, options.days),
    generatedAt: options.now,
    questions: answers.length,
    abstained: abstained.length,
    unanswered: groupNearDuplicates(abstained.map((answer) => ({ question: answer.question, at: answer.createdAt }))),
    unhelpful,
    helpfulVotes,
    unhelpfulVotes,
    helpfulRate: votes === 0 ? undefined : helpfulVotes / votes,
  };
}

/** "67% (4 of 6 votes)", or "no votes yet". */
export function describeHelpfulRate(report: CommunityReport): string {
  const votes = report.helpfulVotes + report.unhelpfulVotes;
  if (report.helpfulRate === undefined) return 'no votes yet';
  return `${Math.round(report.helpfulRate * 100)}% (${report.helpfulVotes} of ${votes} vote${votes === 1 ? '' : 's'} helpful)`;
}

/** A CSV cell: quoted per RFC 4180, and a leading = + - @ defused so a spreadsheet never runs a question as a formula. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The whole report as CSV: one row per unanswered group and per answer voted Not helpful, and a summary row. */
export function reportCsv(report: CommunityReport): string {
  const header = ['section', 'count', 'question', 'wordings', 'citations', 'helpful_votes', 'not_helpful_votes', 'abstained', 'last_asked_utc'];
  const iso = (ms: number): string => new Date(ms).toISOString();
  const rows: (string | number)[][] = [
    ['summary', report.questions, `last ${report.days} days`, '', '', report.helpfulVotes, report.unhelpfulVotes, report.abstained, iso(report.generatedAt)],
    ...report.unanswered.map((g) => ['unanswered', g.count, g.question, g.wordings.join(' | '), '', '', '', g.count, iso(g.lastAskedAt)]),
    ...report.unhelpful.map((a) => ['not_helpful', 1, a.question, '', a.citations.join(' '), a.helpfulVotes, a.unhelpfulVotes, a.abstained ? 1 : 0, iso(a.createdAt)]),
  ];
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** The report as plain text for the terminal (`npm run report`). */
export function reportText(report: CommunityReport): string {
  const lines = [
    `citebot report for server ${report.guildId}: last ${report.days} days (since ${new Date(report.since).toISOString()})`,
    `${report.questions} question${report.questions === 1 ? '' : 's'}, ${report.abstained} not answered by the sources; helpful rate ${describeHelpfulRate(report)}`,
    '',
    'Most frequent questions the sources did not answer:',
    ...(report.unanswered.length === 0 ? ['  (none)'] : report.unanswered.map((g) => `  ${String(g.count).padStart(3)}× ${g.question}${g.wordings.length > 1 ? `  (+${g.wordings.length - 1} similar wording${g.wordings.length > 2 ? 's' : ''})` : ''}`)),
    '',
    'Answers voted Not helpful:',
    ...(report.unhelpful.length === 0
      ? ['  (none)']
      : report.unhelpful.flatMap((a) => [
          `  ${a.unhelpfulVotes} not helpful / ${a.helpfulVotes} helpful: ${a.question}${a.abstained ? ' (abstained)' : ''}`,
          `      ${a.citations.length === 0 ? '(no passages shown)' : a.citations.join('  ')}`,
        ])),
  ];
  return `${lines.join('\n')}\n`;
}
