/**
 * Honest duplicates on the seeds: a quote appears under a citation only if those lines hold that
 * very text. Two outlets ran the same wire story with small edits; the edits change meaning-bearing
 * words, so those places are "similar wording", never the same quote. (Real model: whether the
 * vectors are near enough to be grouped at all is the model's doing.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Hit, SourceSpan } from '../../src/core/types.ts';
import { createTestEngine } from '../support/engine.ts';

let engine: Engine;
let close: () => Promise<void>;

beforeAll(async () => {
  const testEngine = await createTestEngine({ embedder: 'model' });
  engine = testEngine.engine;
  close = testEngine.close;
});
afterAll(() => close());

const at = (file: string, line: number): SourceSpan => ({ file: `seeds/${file}`, startLine: line, endLine: line });
const S001 = '001_8140afa543bea040.txt';
const S002 = '002_b5b0d5d85ae90eb1.txt';
const places = (spans: readonly SourceSpan[]) => spans.map((span) => `${span.file}:${span.startLine}`);

/** The hit citing `span` itself, or carrying it as a twin. */
function hitFor(hits: readonly Hit[], span: SourceSpan): Hit | undefined {
  const key = `${span.file}:${span.startLine}`;
  return hits.find((hit) => places([hit, ...hit.alsoIn, ...hit.similarIn]).includes(key));
}

describe('honest duplicates on the seeds', () => {
  it('"…the Islamic State group" (002:L37) and "…the Daesh group" (001:L58) are similar wording, not one quote', async () => {
    const { hits } = await engine.search('What did defence ministers agree to do about the NATO training mission in Iraq?', { k: 5, explain: true });
    const hit = hitFor(hits, at(S002, 37));
    expect(hit).toBeDefined();
    for (const candidate of hits) {
      // Wherever either line shows up, the other is never cited as holding the same text.
      const own = `${candidate.file}:${candidate.startLine}`;
      if (own === `seeds/${S002}:37`) expect(places(candidate.alsoIn)).not.toContain(`seeds/${S001}:58`);
      if (own === `seeds/${S001}:58`) expect(places(candidate.alsoIn)).not.toContain(`seeds/${S002}:37`);
    }
  });

  it('001:L12 is not cited as holding 002:L9, which adds "the remaining 2,500 US troops"', async () => {
    const { hits } = await engine.search('Is the Biden administration reviewing the May 1 deadline to withdraw?', { k: 5, explain: true });
    for (const candidate of hits) {
      const own = `${candidate.file}:${candidate.startLine}`;
      if (own === `seeds/${S002}:9`) expect(places(candidate.alsoIn)).not.toContain(`seeds/${S001}:12`);
      if (own === `seeds/${S001}:12`) expect(places(candidate.alsoIn)).not.toContain(`seeds/${S002}:9`);
    }
    expect(hitFor(hits, at(S002, 9)) ?? hitFor(hits, at(S001, 12))).toBeDefined();
  });

  it('a paragraph both outlets printed word for word (001:L42 = 002:L17, typography aside) is one quote citing both', async () => {
    const { hits } = await engine.search("What is NATO's goal in Afghanistan according to Stoltenberg?", { k: 5, explain: true });
    const hit = hitFor(hits, at(S001, 42));
    expect(hit).toBeDefined();
    const cited = places([hit as Hit, ...(hit as Hit).alsoIn]);
    expect(cited).toEqual(expect.arrayContaining([`seeds/${S001}:42`, `seeds/${S002}:17`]));
  });

  it('every alsoIn place holds the quoted text exactly, modulo whitespace and typography (checked on the files)', async () => {
    const { readFile } = await import('node:fs/promises');
    const path = await import('node:path');
    const { comparableText } = await import('../../src/retrieval/collapse-duplicates.ts');
    const { REPO_ROOT } = await import('../support/engine.ts');
    const questions = ['What is NATO doing in Iraq?', 'When is the deadline for US troops to leave Afghanistan?', 'What did Stoltenberg say about the Taliban?'];
    for (const question of questions) {
      const { hits } = await engine.search(question, { k: 5, explain: true });
      for (const hit of hits) {
        for (const place of hit.alsoIn) {
          const lines = (await readFile(path.join(REPO_ROOT, place.file), 'utf8')).replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
          expect(comparableText(lines.slice(place.startLine - 1, place.endLine).join('\n'))).toBe(comparableText(hit.text));
        }
      }
    }
  });
});
