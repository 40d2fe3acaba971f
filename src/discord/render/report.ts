/**
 * `/citebot report` as a Discord embed within Discord's limits. Questions are members' text: every
 * one is escaped and cut to a line. When something does not fit, the embed says so and the command
 * attaches the whole report as CSV.
 */
import type { APIEmbed, APIEmbedField } from 'discord.js';
import { describeHelpfulRate, type CommunityReport } from '../../community/report.ts';
import { DISCORD_LIMITS, embedLength } from './limits.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { collapseWhitespace, fitLine, inlineCode, keepLines, trimAtWord } from './text.ts';

/** A question in the report is cut to this (a line on a desktop client); the CSV has it whole. */
export const REPORT_QUESTION_MAX = 150;
/** At most this many "Not helpful" answers get a field each: beyond that the embed stops being readable. */
export const REPORT_UNHELPFUL_FIELDS = 10;
export const UNANSWERED_FIELD = 'Most frequent questions the sources did not answer';
export const CSV_NOTE = 'Not everything fits here: the full report is in the attached CSV.';

export interface RenderedReport {
  readonly reply: Reply;
  /** False when something was left out or cut: attach the CSV. */
  readonly complete: boolean;
}

/** The report embed, and whether it shows the whole report. */
export function renderReport(report: CommunityReport): RenderedReport {
  let complete = true;
  const question = (text: string): string => {
    if (collapseWhitespace(text).length > REPORT_QUESTION_MAX) complete = false;
    return fitLine(text, REPORT_QUESTION_MAX);
  };
  const title = `citebot report: the last ${report.days} day${report.days === 1 ? '' : 's'}`;
  const description = `${report.questions} question${report.questions === 1 ? '' : 's'} · ${report.abstained} not answered by the sources · helpful rate ${describeHelpfulRate(report)}`;

  const groupLines = report.unanswered.map((g) => `**${g.count}×** ${question(g.question)}${g.wordings.length > 1 ? ` (+${g.wordings.length - 1} similar)` : ''}`);
  const more = (n: number): string => `\n…and ${n} more`;
  const { kept, omitted } = keepLines(groupLines, DISCORD_LIMITS.fieldValue, more(groupLines.length).length);
  if (omitted > 0) complete = false;
  const fields: APIEmbedField[] = [{ name: UNANSWERED_FIELD, value: kept.length === 0 && omitted === 0 ? 'None.' : `${kept.join('\n')}${omitted > 0 ? more(omitted) : ''}` }];

  const footerRoom = CSV_NOTE.length;
  let used = title.length + description.length + fields.reduce((sum, f) => sum + f.name.length + f.value.length, 0) + footerRoom;
  const unhelpfulHeader: APIEmbedField = { name: 'Answers voted Not helpful', value: report.unhelpful.length === 0 ? 'None.' : `${report.unhelpful.length}, worst first:` };
  fields.push(unhelpfulHeader);
  used += unhelpfulHeader.name.length + unhelpfulHeader.value.length;
  report.unhelpful.forEach((answer, i) => {
    if (i >= REPORT_UNHELPFUL_FIELDS) {
      complete = false;
      return;
    }
    const name = trimAtWord(`${answer.unhelpfulVotes} not helpful · ${answer.helpfulVotes} helpful${answer.abstained ? ' · abstained' : ''}: ${question(answer.question)}`, DISCORD_LIMITS.fieldName);
    const value = answer.citations.length === 0 ? 'No passages were shown.' : trimAtWord(answer.citations.map(inlineCode).join(' · '), DISCORD_LIMITS.fieldValue);
    if (used + name.length + value.length > DISCORD_LIMITS.embedTotal || fields.length >= DISCORD_LIMITS.fieldsPerEmbed) {
      complete = false;
      return;
    }
    used += name.length + value.length;
    fields.push({ name, value });
  });

  const embed: APIEmbed = {
    color: COLOURS.search,
    title,
    description,
    fields,
    ...(complete ? {} : { footer: { text: CSV_NOTE } }),
  };
  if (embedLength(embed) > DISCORD_LIMITS.embedTotal) throw new Error('report embed over budget (a bug in renderReport)');
  return { reply: makeReply({ embeds: [embed] }), complete };
}

/** The CSV attachment's file name. */
export function reportFileName(report: CommunityReport): string {
  return `citebot-report-${new Date(report.generatedAt).toISOString().slice(0, 10)}-${report.days}d.csv`;
}
