/**
 * Parsing of Discord-specific input (option values, message text) from `unknown`. Questions and
 * line ranges are parsed by the shared parsers of src/core/input.ts, re-exported here.
 * Parsers never throw: a problem is a value the command renders as a private reply.
 */
export { parseLineRange, parseQuestion, type LineRange, type LineRangeProblem, type Parsed, type QuestionProblem } from '../core/input.ts';

/** An optional integer option, clamped to [min, max] (Discord enforces the range too; this is defence in depth). */
export function parseCount(raw: unknown, range: { readonly min: number; readonly max: number; readonly fallback: number }): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw)) return range.fallback;
  return Math.min(range.max, Math.max(range.min, raw));
}

/** Remove every mention of the bot (`<@id>` or `<@!id>`) from a message, leaving the question. */
export function stripBotMention(content: string, botId: string): string {
  return content.replaceAll(new RegExp(`<@!?${botId}>`, 'g'), ' ').trim();
}

/** Whether the message text mentions the bot explicitly (not just a reply ping or @everyone). */
export function mentionsBot(content: string, botId: string): boolean {
  return new RegExp(`<@!?${botId}>`).test(content);
}
