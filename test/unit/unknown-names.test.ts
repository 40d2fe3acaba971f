import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lexical-index/analyzer.ts';
import { unknownNames } from '../../src/retrieval/unknown-names.ts';
import { neverMentioned } from '../../src/answer/never-mentioned.ts';

/** The documents' terms, analyzed as the index does. */
const documents = 'Pino runs on Node.js. Use it with Fastify or Express. Bunyan compatibility. Worker threads. Source on GitHub. Open an auth header.';
const known = new Set(analyze(documents));
const isKnown = (term: string) => known.has(term);

describe('unknownNames', () => {
  it.each([
    ['a name the documents never mention', 'How do I ship pino logs to Splunk?', ['Splunk']],
    ['names the documents hold', 'Can I use Pino with Fastify and Express?', []],
    ['a sentence-initial capital says nothing', 'Splunk support?', []],
    ['after a sentence end, too', 'I use pino. Splunk is next: Datadog?', []],
    ['a name after a colon starts a clause', 'One question: Datadog?', []],
    ['a dotted name is looked up by its terms', 'Does it run on Node.js and Deno?', ['Deno']],
    ['a compound name is known when any of its terms is', 'Does it work in Cloudflare Workers?', ['Cloudflare']],
    ['a one-word compound is known only as a whole: its case-change parts are everyday words', 'Does pino support OAuth or OpenTelemetry?', ['OAuth', 'OpenTelemetry']],
    ['a one-word compound the documents hold whole is known', 'Is the source on GitHub?', []],
    ['short acronyms and units never count', 'Can it buffer 4 KB for the US team?', []],
    ['each name once, in question order', 'Is there a Kinesis transport, or PagerDuty, or Kinesis again?', ['Kinesis', 'PagerDuty']],
    ['lower-case words are never names', 'how do I send logs to splunk?', []],
    ['a name in quotes or brackets opens a phrase and is left alone', 'Does "Splunk" or (Datadog) work?', []],
  ])('%s', (_name, question, expected) => {
    expect(unknownNames(question, isKnown)).toEqual(expected);
  });
});

describe('neverMentioned', () => {
  it.each([
    [[], ''],
    [['Splunk'], ' They never mention Splunk.'],
    [['Kinesis', 'PagerDuty'], ' They never mention Kinesis or PagerDuty.'],
    [['A1', 'B2', 'C3'], ' They never mention A1, B2 or C3.'],
  ])('%j → %j', (names, expected) => {
    expect(neverMentioned(names)).toBe(expected);
  });

  it('quotes each name with the caller’s escaper', () => {
    expect(neverMentioned(['*Bold*'], (name) => name.replace(/\*/g, '\\*'))).toBe(' They never mention \\*Bold\\*.');
  });
});
