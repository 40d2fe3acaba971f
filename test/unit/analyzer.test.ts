/** The BM25 analyzer: prose as Lucene's English analyzer, identifiers whole and by parts. Pure. */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/lexical-index/analyzer.ts';
import { buildLexicalIndex } from '../../src/lexical-index/bm25-index.ts';

describe('analyze: prose, as before (Lucene English: lower case, stop words, Porter)', () => {
  it.each([
    // stop words dropped, plurals and -ing stemmed
    { text: 'The cats were running quickly', terms: ['cat', 'run', 'quickli'] },
    // question words are stop words too: a question keeps only its topic
    { text: 'What is the default pool?', terms: ['default', 'pool'] },
    // the thousands separator is removed, so "9,600" and "9600" match
    { text: 'It cost 9,600 dollars', terms: ['cost', '9600', 'dollar'] },
    // abbreviations stay one token: single letters around dots are not a path
    { text: 'the U.S. army, e.g. in 1944', terms: ['us', 'armi', 'eg', '1944'] },
    // a decimal number stays one token (digits around a dot are not a path)
    { text: 'rose to 1.8 percent', terms: ['rose', '18', 'percent'] },
    // possessive and apostrophes removed
    { text: "Vitest's runner doesn't stop", terms: ['vitest', 'runner', 'doesnt', 'stop'] },
    // capitalised words and all-caps words are words, not camelCase
    { text: 'Denver Broncos NFL', terms: ['denver', 'bronco', 'nfl'] },
    // letters of any script
    { text: 'Café naïve résumé', terms: ['café', 'naïv', 'résumé'] },
    // punctuation only
    { text: '+/- ... --- ()', terms: [] },
  ])('$text', ({ text, terms }) => {
    expect(analyze(text)).toEqual(terms);
  });
});

describe('analyze: identifiers, whole and by parts', () => {
  it.each([
    // camelCase: the whole word as prose would analyse it (stemmed), then its stemmed parts
    { text: 'deferReply', terms: ['deferrepli', 'defer', 'repli'] },
    { text: 'restoreMocks', terms: ['restoremock', 'restor', 'mock'] },
    // stop-word parts dropped ("to", "have", "been", "with"): a question never asks for them
    { text: 'toHaveBeenCalledWith', terms: ['tohavebeencalledwith', 'call'] },
    // acronym runs: the run ends where a capitalised word starts, or at the end
    { text: 'HTMLElement', terms: ['htmlelement', 'html', 'element'] },
    { text: 'toJSON', terms: ['tojson', 'json'] },
    // PascalCase with a possessive: the possessive goes before splitting
    { text: "McDonald's", terms: ['mcdonald', 'mc', 'donald'] },
    // a one-letter part names nothing ("m" of mRNA); the whole still matches
    { text: 'mRNA', terms: ['mrna', 'rna'] },
    // digits stay with the word before them; digits then capitals alone are one name
    { text: 'es2015Target', terms: ['es2015target', 'es2015', 'target'] },
    { text: 'H1N1 3D', terms: ['h1n1', '3d'] },
    // dotted path: whole kept unstemmed with its dots, parts stemmed
    { text: 'vi.mock', terms: ['vi.mock', 'vi', 'mock'] },
    { text: 'vitest.config.ts', terms: ['vitest.config.ts', 'vitest', 'config', 'ts'] },
    // a camelCase segment of a path is also indexed whole, so `getMockedSystemTime` alone matches it
    { text: 'vi.getMockedSystemTime()', terms: ['vi.getmockedsystemtime', 'vi', 'getmockedsystemtim', 'get', 'mock', 'system', 'time'] },
    // a#b and a::b
    {
      text: 'ChatInputCommandInteraction#deferReply()',
      terms: ['chatinputcommandinteraction#deferreply', 'chatinputcommandinteract', 'chat', 'input', 'command', 'interact', 'deferrepli', 'defer', 'repli'],
    },
    { text: 'std::vector', terms: ['std::vector', 'std', 'vector'] },
    // snake_case and kebab-case: each segment analysed as the word it was before, plus the whole
    { text: 'snake_case_name', terms: ['snake_case_name', 'snake', 'case', 'name'] },
    { text: 'max-workers', terms: ['max-workers', 'max', 'worker'] },
    { text: 'a full-term infant', terms: ['full-term', 'full', 'term', 'infant'] },
    // a segment that is a stop word or one letter is still a word of prose (as before: "il", "6")
    { text: 'IL-6 and a/b', terms: ['il-6', 'il', '6', 'a/b', 'b'] },
    // flags keep their dashes in the whole; `=` ends the flag
    { text: '--run', terms: ['--run', 'run'] },
    { text: 'vitest --reporter=agent', terms: ['vitest', '--reporter', 'report', 'agent'] },
    // a double dash between numbers is a range, not a flag
    { text: '1990--1995', terms: ['1990', '1995'] },
    // a path of segments
    { text: 'src/utils/deepMerge.ts', terms: ['src/utils/deepmerge.ts', 'src', 'util', 'deepmerg', 'deep', 'merg', 'ts'] },
    // underscores at the edges are Markdown emphasis, not part of the word
    { text: '__mocks__ _override_', terms: ['mock', 'overrid'] },
  ])('$text', ({ text, terms }) => {
    expect(analyze(text)).toEqual(terms);
  });
});

describe('identifiers in BM25', () => {
  const index = buildLexicalIndex([
    'Call `interaction.deferReply()` within three seconds.',
    'Reply to the message and defer nothing.',
    'Use `vi.mock` to replace a module.',
    'Run `vitest --run` to disable watch mode.',
  ]);
  const top = (query: string) => index.search(query, 1)[0]?.label;

  it.each([
    // prose words find the identifier through its parts (the shorter passage that says "reply"
    // and "defer" in prose may rank first: both are fair matches)
    { query: 'defer reply', found: 0 },
    // the identifier as written matches whole and parts: the identifier passage ranks first
    { query: 'deferReply', found: 0, first: true },
    { query: 'how do I use vi.mock', found: 2, first: true },
    { query: 'what does --run do', found: 3, first: true },
  ])('$query', ({ query, found, first }) => {
    expect(index.search(query, 4).map((hit) => hit.label)).toContain(found);
    if (first === true) expect(top(query)).toBe(found);
  });
});
