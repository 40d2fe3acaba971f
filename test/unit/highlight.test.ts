/** pickHighlight: one sentence or line of a passage, chosen by lexical and question-type evidence. Pure, no model. */
import { describe, expect, it } from 'vitest';
import type { PassageKind } from '../../src/core/types.ts';
import { buildLexicalIndex } from '../../src/lexical-index/bm25-index.ts';
import { pickHighlight } from '../../src/retrieval/highlight.ts';

/** Every term weighs the same: the cases that test something other than idf use this. */
const flat = () => 1;

const highlight = (text: string, query: string, kind: PassageKind = 'text', idf: (term: string) => number = flat) => {
  const range = pickHighlight({ text, kind, query, idf });
  return text.slice(range.start, range.end);
};

describe('pickHighlight: prose', () => {
  // Each pair of sentences below holds the same question words, so the feature named decides.
  it.each([
    {
      why: 'the sentence sharing the most question words wins',
      text: 'Cats purr. NATO troops trained Iraqi forces in 2004. Dogs bark.',
      query: 'Which troops trained the Iraqi forces?',
      expected: 'NATO troops trained Iraqi forces in 2004.',
    },
    {
      why: 'who → the sentence with a name the question does not already say',
      text: 'Investors founded the company after a long search. Jane Doe founded the company.',
      query: 'Who founded the company?',
      expected: 'Jane Doe founded the company.',
    },
    {
      why: 'when → the sentence with a date',
      text: 'Workers opened the bridge after long delays. Workers opened the bridge in 1932.',
      query: 'When did workers open the bridge?',
      expected: 'Workers opened the bridge in 1932.',
    },
    {
      why: 'how many → the sentence with a number; 2015, named by the question, is not an answer',
      text: 'Defenders recorded sacks in 2015 with great effort. Defenders recorded 52 sacks in 2015.',
      query: 'How many sacks did defenders record in 2015?',
      expected: 'Defenders recorded 52 sacks in 2015.',
    },
    {
      why: '"what is the default" → the sentence with a value (a code span)',
      text: 'Pool defaults decide where files run. Vitest uses the `forks` pool by default.',
      query: 'What is the default pool?',
      expected: 'Vitest uses the `forks` pool by default.',
    },
    {
      why: 'question words next to each other (a phrase of the question) beat the same words apart',
      text: 'Snapshot files are written once and never update. Run update snapshot to rewrite them.',
      query: 'update snapshot',
      expected: 'Run update snapshot to rewrite them.',
    },
    {
      why: 'a word in every sentence (the subject) tells them apart less than a word in one',
      text: 'Tesla later started a small company. Tesla sold his patents early. Tesla’s first small company grew.',
      query: 'Tesla company patents',
      expected: 'Tesla sold his patents early.',
    },
    {
      why: 'a word the stemmer leaves in another form still counts by its first five letters (reduce ~ reduction)',
      text: 'Mortality data for the drug were collected. A large reduction of mortality followed the drug.',
      query: 'Does the drug reduce mortality?',
      expected: 'A large reduction of mortality followed the drug.',
    },
    {
      why: 'a fragment (a heading, a label) loses to a sentence with the same words',
      text: 'Fake timers.\nFake timers run on a controlled clock.',
      query: 'fake timers',
      expected: 'Fake timers run on a controlled clock.',
    },
    {
      why: 'a colon-ending lead-in hands its words on to the sentence it introduces',
      text: 'To turn watch mode off in CI:\nPass `--run` on the command line.',
      query: 'How do I turn watch mode off in CI?',
      expected: 'Pass `--run` on the command line.',
    },
    {
      why: 'an abbreviation does not end the sentence, so a name with an initial is not cut in two',
      text: 'The river was mapped early. It was named the St. Johns River by settlers.',
      query: 'What was the river named?',
      expected: 'It was named the St. Johns River by settlers.',
    },
  ])('$why', ({ text, query, expected }) => {
    expect(highlight(text, query)).toBe(expected);
  });

  it('weighs shared words by their idf: a rare word beats two common ones', () => {
    const index = buildLexicalIndex(['test run', 'test run file', 'test run mode', 'snapshot obsolete test']);
    const text = 'Each test run uses the file. Obsolete snapshots are reported.';
    expect(highlight(text, 'test run obsolete', 'text', (term) => index.idf(term))).toBe('Obsolete snapshots are reported.');
    // With every word weighing the same, the two shared words win.
    expect(highlight(text, 'test run obsolete')).toBe('Each test run uses the file.');
  });

  it('credits the sentence after one in the question words when it refers back to it ("He …") and holds the answer type', () => {
    // The first sentence has the question's words; the second says "he" and holds the number.
    const text = 'Peyton Manning played in the final at an advanced age. He was 39 years old then. The crowd cheered.';
    expect(highlight(text, 'How old was Peyton Manning when he played in the final?')).toBe('He was 39 years old then.');
  });
});

describe('pickHighlight: prose wrapped over lines', () => {
  const soft = (text: string, query: string) => {
    const range = pickHighlight({ text, kind: 'text', query, idf: flat, lineBreaks: 'soft' });
    return text.slice(range.start, range.end);
  };

  it('reads a Markdown paragraph hard-wrapped at ~80 columns by its sentences, not by its lines', () => {
    const text = "For Lambda deployments, it's recommended to always use a destination\nwith `sync: true`. Other\nplatforms differ.";
    expect(soft(text, 'How should I configure the destination on Lambda?')).toBe("For Lambda deployments, it's recommended to always use a destination\nwith `sync: true`.");
  });

  it('still ends a sentence at a blank line', () => {
    expect(soft('Set the destination\n\nwith care on Lambda', 'destination on Lambda')).toBe('with care on Lambda');
  });

  it('keeps a plain-text line break a break: a title line is not part of the first sentence', () => {
    const text = 'Steam engine\nThe efficiency of a steam engine is low. Turbines do better.';
    expect(highlight(text, 'What is the efficiency of a steam engine?')).toBe('The efficiency of a steam engine is low.');
    expect(soft(text, 'What is the efficiency of a steam engine?')).toBe('Steam engine\nThe efficiency of a steam engine is low.');
  });
});

describe('pickHighlight: code, lists and tables are read by line', () => {
  it.each([
    {
      why: 'the line with the question identifiers; fence lines are never chosen',
      kind: 'code' as const,
      text: "```ts\nimport { vi } from 'vitest'\nconst spy = vi.spyOn(api, 'get')\nexpect(spy).toHaveBeenCalled()\n```",
      query: 'how do I spy on a method with vi.spyOn',
      expected: "const spy = vi.spyOn(api, 'get')",
    },
    {
      why: 'the parts of one identifier are one piece of evidence: the default values beat the line that only names vi.waitUntil',
      kind: 'code' as const,
      text: '```ts\nconst element = await vi.waitUntil(\n  () => document.querySelector(".element"),\n  { timeout: 500, // default is 1000\n  }\n)\n```',
      query: 'What are the default timeout and interval for vi.waitUntil?',
      expected: '{ timeout: 500, // default is 1000',
    },
    {
      why: 'a comment hands its words on to the code line it explains; an import line names, it does not answer',
      kind: 'code' as const,
      text: "```js\nimport { setupServer } from 'msw/node'\nconst server = setupServer()\n// Reset handlers after each test\nafterEach(() => server.resetHandlers())\n```",
      query: 'How should I reset the request handlers of my MSW server between tests?',
      expected: 'afterEach(() => server.resetHandlers())',
    },
    {
      why: 'an import line names what the code uses; the call with the same words is the answer',
      kind: 'code' as const,
      text: "```ts\nimport { resetModules } from 'vitest'\nresetModules()\n```",
      query: 'how do I reset modules',
      expected: 'resetModules()',
    },
    {
      why: 'a block opener introduces the line inside it, which names the value',
      kind: 'code' as const,
      text: "```ts\nsnapshotFormat: {\n  printBasicPrototype: true,\n}\n```",
      query: 'Which snapshotFormat option prints the basic prototype?',
      expected: 'printBasicPrototype: true,',
    },
    {
      why: 'a table row, not the header or the rule; the whole identifier (hookTimeout) beats a part of it (the timeout of testTimeout)',
      kind: 'table' as const,
      text: '| Option | Default |\n| --- | --- |\n| `testTimeout` | 5000 |\n| `hookTimeout` | 10000 |',
      query: 'What is the default hookTimeout?',
      expected: '| `hookTimeout` | 10000 |',
    },
    {
      why: 'one list item',
      kind: 'list' as const,
      text: '- `threads` runs files in worker threads\n- `forks` runs files in child processes (the default)',
      query: 'Which pool runs files in child processes?',
      expected: '- `forks` runs files in child processes (the default)',
    },
    {
      why: 'a list item wrapped over several lines is one unit, its continuation included',
      kind: 'list' as const,
      text: 'Caveats:\n\n* Writes are not one-to-one with calls\n  to the logging methods\n* The most recently buffered lines can be lost\n  in case of a power cut',
      query: 'Can buffered lines be lost in a power cut?',
      expected: '* The most recently buffered lines can be lost\n  in case of a power cut',
    },
    {
      why: 'a code block inside a list item is still read line by line',
      kind: 'list' as const,
      text: '1. Use jq:\n    ```sh\n    $ # errors only\n    $ node app.js | jq \'select(.level == 50)\'\n    ```',
      query: 'how do I show only error lines with jq select',
      expected: "$ node app.js | jq 'select(.level == 50)'",
    },
    {
      why: 'a table is not answered by its header row, which holds the column names the question uses',
      kind: 'table' as const,
      text: '| Version | Node.js |\n| --- | --- |\n| 8.x | 14, 16, 18 |\n| 9.x | 18, 20 |',
      query: 'Which Node.js version does 9.x run on?',
      expected: '| 9.x | 18, 20 |',
    },
    {
      why: "a block's prose lead-in is read by its sentences: the one with the answer, not the line of code after it",
      kind: 'code' as const,
      text: 'By default Vitest uses port `9229` for debugging. You can pass another in `--inspect-brk`:\n\n```bash\nvitest --inspect-brk=127.0.0.1:3000 --browser\n```',
      query: 'Which port does the inspector use by default when debugging in the browser?',
      expected: 'By default Vitest uses port `9229` for debugging.',
    },
    {
      why: "a literal in a statement of code is not the value asked for: the comment that states it is (both hold the question's word)",
      kind: 'code' as const,
      text: "```ts\nexport default defineConfig({\n  test: { retry: 3 },\n})\n// retry defaults to 0\n```",
      query: 'What does retry default to?',
      expected: '// retry defaults to 0',
    },
    {
      why: "a list's lead-in sentences are units of their own, apart from the items",
      kind: 'list' as const,
      text: 'Safari needs version 15.4 or later. The other supported browsers are:\n\n- Chrome >=87\n- Firefox >=78',
      query: 'Which Safari version is needed?',
      expected: 'Safari needs version 15.4 or later.',
    },
  ])('$why', ({ kind, text, query, expected }) => {
    expect(highlight(text, query, kind)).toBe(expected);
  });

  it('ends no sentence inside inline code or a link target of a Markdown paragraph', () => {
    const text = 'The `bench` fixture is only in files matched by [`benchmark.include`](/config/benchmark#include) (`**/*.?(c|m)[jt]s?(x)`). Elsewhere it throws.';
    const range = pickHighlight({ text, kind: 'text', query: 'In which files is the bench fixture available?', idf: flat, lineBreaks: 'soft' });
    expect(text.slice(range.start, range.end)).toBe(text.slice(0, text.indexOf(' Elsewhere')));
  });
});

describe('pickHighlight: ranges', () => {
  it.each([
    // one sentence: the whole passage, trimmed
    { text: '  Only one sentence here.  ', query: 'anything', expected: 'Only one sentence here.' },
    // no shared word at all: the first unit (ties go to the first)
    { text: 'Alpha beta. Gamma delta.', query: 'zeta', expected: 'Alpha beta.' },
    // a code passage of fences only falls back to its sentences (what else is there to show)
    { text: '```\n```', query: 'code', kind: 'code' as const, expected: '```' },
    // nothing visible: an empty range
    { text: '   ', query: 'anything', expected: '' },
  ])('$text → $expected', ({ text, query, kind, expected }) => {
    expect(highlight(text, query, kind)).toBe(expected);
  });

  it('is a trimmed range inside the text, non-empty whenever the text has a visible character', () => {
    const texts = ['A. B. C.', '\n\nFirst line\n  second line  \n', '```js\n  const a = 1\n```', 'x', '| a |\n|---|\n| b |'];
    for (const kind of ['text', 'code', 'list', 'table', 'quote'] as const) {
      for (const text of texts) {
        const { start, end } = pickHighlight({ text, kind, query: 'a b second const', idf: flat });
        expect(start).toBeGreaterThanOrEqual(0);
        expect(end).toBeLessThanOrEqual(text.length);
        expect(end).toBeGreaterThan(start);
        expect(text.slice(start, end)).toBe(text.slice(start, end).trim());
      }
    }
  });
});
