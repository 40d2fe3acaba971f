/** The report over stored answers (pure), its CSV and text forms, and its Discord embed's limits. */
import { describe, expect, it } from 'vitest';
import { buildReport, groupNearDuplicates, questionTerms, reportCsv, reportText } from '../../src/community/report.ts';
import type { AnswerWithVotes } from '../../src/core/community-store.ts';
import { limitViolations } from '../../src/discord/render/limits.ts';
import { CSV_NOTE, renderReport, REPORT_UNHELPFUL_FIELDS, UNANSWERED_FIELD } from '../../src/discord/render/report.ts';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 2);
let next = 0;

function answer(question: string, fields: Partial<AnswerWithVotes> = {}): AnswerWithVotes {
  next += 1;
  return {
    id: `a${next}`,
    guildId: 'g',
    channelId: 'c',
    userId: 'u',
    question,
    citations: ['docs/a.md:L1-L3'],
    abstained: false,
    public: true,
    createdAt: NOW - DAY + next,
    helpfulVotes: 0,
    unhelpfulVotes: 0,
    ...fields,
  };
}

describe('groupNearDuplicates', () => {
  it('groups rephrasings, case and punctuation variants, and keeps different questions apart', () => {
    const groups = groupNearDuplicates(
      [
        'How do I reset my password?',
        'how can I reset the password',
        'How do I reset my password?',
        'HOW DO I RESET MY PASSWORD!!',
        'How do I change my password?',
        'Where are the logs stored?',
      ].map((question, at) => ({ question, at })),
    );
    expect(groups.map((g) => [g.count, g.question])).toEqual([
      // The most frequent wording stands for the group.
      [4, 'How do I reset my password?'],
      [1, 'Where are the logs stored?'],
      [1, 'How do I change my password?'],
    ]);
    expect(groups[0]?.wordings).toHaveLength(3);
  });

  it('folds plurals and accents, and ignores words that carry no topic', () => {
    expect(questionTerms('What are the Cafés’ opening hours?')).toEqual(new Set(['cafe', 'opening', 'hour']));
  });
});

describe('buildReport', () => {
  const answers = [
    answer('What is the refund policy?', { abstained: true, citations: [] }),
    answer('what is the refund policy', { abstained: true }),
    answer('How big will the mission be?', { helpfulVotes: 3, unhelpfulVotes: 1 }),
    answer('When does it start?', { unhelpfulVotes: 2, citations: ['seeds/x.txt:L4-L6', 'seeds/y.txt:L1-L1'] }),
    answer('Who leads it?', { helpfulVotes: 1 }),
  ];
  const report = buildReport(answers, { guildId: 'g', days: 7, now: NOW });

  it('counts questions and abstentions, groups the unanswered ones, lists the Not helpful answers worst first, and the helpful rate', () => {
    expect(report).toMatchObject({ questions: 5, abstained: 2, helpfulVotes: 4, unhelpfulVotes: 3 });
    expect(report.helpfulRate).toBeCloseTo(4 / 7);
    expect(report.unanswered.map((g) => [g.count, g.question])).toEqual([[2, 'what is the refund policy']]);
    expect(report.unhelpful.map((a) => a.question)).toEqual(['When does it start?', 'How big will the mission be?']);
    expect(report.unhelpful[0]?.citations).toEqual(['seeds/x.txt:L4-L6', 'seeds/y.txt:L1-L1']);
  });

  it('has no helpful rate without votes', () => {
    expect(buildReport([answer('q')], { guildId: 'g', days: 1, now: NOW }).helpfulRate).toBeUndefined();
  });

  it('writes CSV a spreadsheet reads as data: quoted cells, formulas defused, one row per group and per Not helpful answer', () => {
    const tricky = buildReport([answer('=HYPERLINK("x"), and "quotes"', { abstained: true })], { guildId: 'g', days: 1, now: NOW });
    const lines = reportCsv(tricky).trimEnd().split('\r\n');
    expect(lines[0]).toBe('section,count,question,wordings,citations,helpful_votes,not_helpful_votes,abstained,last_asked_utc');
    expect(lines[2]).toMatch(/^unanswered,1,"'=HYPERLINK\(""x""\), and ""quotes""",/);
    expect(reportCsv(report).trimEnd().split('\r\n')).toHaveLength(1 + 1 + 1 + 2);
  });

  it('prints the same as text for the command line', () => {
    const text = reportText(report);
    expect(text).toMatch(/5 questions, 2 not answered by the sources; helpful rate 57% \(4 of 7 votes helpful\)/);
    expect(text).toMatch(/ {2}2× what is the refund policy {2}\(\+1 similar wording\)/);
    expect(text).toMatch(/2 not helpful \/ 0 helpful: When does it start\?\n\s+seeds\/x\.txt:L4-L6 {2}seeds\/y\.txt:L1-L1/);
  });
});

describe('renderReport', () => {
  it('shows a small report whole, with no CSV needed', () => {
    const rendered = renderReport(buildReport([answer('Where is X?', { abstained: true }), answer('Why?', { unhelpfulVotes: 1 })], { guildId: 'g', days: 30, now: NOW }));
    expect(rendered.complete).toBe(true);
    const embed = rendered.reply.embeds[0];
    expect(embed?.fields?.find((f) => f.name === UNANSWERED_FIELD)?.value).toBe('**1×** Where is X?');
    expect(embed?.footer).toBeUndefined();
  });

  it('stays within every Discord limit for a huge report, and says the CSV has the rest', () => {
    const many = Array.from({ length: 300 }, (_, i) => answer(`question number ${i} about topic${i} ${'x'.repeat(i % 7 === 0 ? 400 : 20)}`, { abstained: i % 2 === 0, unhelpfulVotes: i % 2, citations: Array.from({ length: 3 }, (_, j) => `docs/${'deep/'.repeat(20)}f${i}-${j}.md:L1-L9`) }));
    const rendered = renderReport(buildReport(many, { guildId: 'g', days: 90, now: NOW }));
    expect(rendered.complete).toBe(false);
    expect(limitViolations(rendered.reply)).toEqual([]);
    expect(rendered.reply.embeds[0]?.footer?.text).toBe(CSV_NOTE);
    expect((rendered.reply.embeds[0]?.fields ?? []).length).toBeLessThanOrEqual(2 + REPORT_UNHELPFUL_FIELDS);
  });

  it('escapes members’ questions: no mentions, no markdown', () => {
    const rendered = renderReport(buildReport([answer('@everyone **bold** <@123>', { abstained: true })], { guildId: 'g', days: 1, now: NOW }));
    const value = rendered.reply.embeds[0]?.fields?.[0]?.value ?? '';
    expect(value).not.toContain('**bold**');
    expect(value).not.toMatch(/(^|[^\\])@everyone/);
  });
});
