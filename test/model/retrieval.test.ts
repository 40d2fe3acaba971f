/**
 * Retrieval quality on the hand-written question set over seeds/ (test/fixtures/seed-questions.json:
 * 63 answerable questions in our own words with gold line spans, 12 the corpus cannot answer).
 * Thresholds are what the engine measurably meets (see README, "Retrieval quality"), a little below
 * the measured values so that model nondeterminism does not flake, but high enough that a
 * regression in chunking, fusion or abstention fails the build.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/core/types.ts';
import { questionsOfSet, relevanceQuestionSetSchema } from '../../src/evaluation/relevance-dataset.ts';
import { askQuestions, summariseOutcomes, type SourceScores } from '../../src/evaluation/relevance-score.ts';
import { createTestEngine, REPO_ROOT } from '../support/engine.ts';

let engine: Engine;
let close: () => Promise<void>;
let scores: SourceScores;

beforeAll(async () => {
  const testEngine = await createTestEngine({ embedder: 'model' });
  engine = testEngine.engine;
  close = testEngine.close;
  // Scored as `npm run calibrate -- --score` scores every question set (relevance-score.ts): a
  // passage counts for a gold span when its own lines, or an exact copy's (alsoIn), overlap it.
  const set = relevanceQuestionSetSchema.parse(JSON.parse(await readFile(path.join(REPO_ROOT, 'test/fixtures/seed-questions.json'), 'utf8')));
  scores = summariseOutcomes(await askQuestions(engine, questionsOfSet(set), 5));
});
afterAll(() => close());

// Measured 2026-12-01 with structure-aware passages and retrieval context (headings+previous):
// Recall@5 0.841, MRR 0.70 (one ONNX thread). Before this change 0.889 / 0.719: on these news
// articles the previous-passage context for short paragraphs costs ~3 questions, while it lifts
// both documentation sets (README "Retrieval quality"); the floors sit just under the new values.
// Measured 2026-12-02 after "similar wording" began to require similar words (a neighbour listed
// as similar wording no longer counts for the gold span it holds): Recall@5 0.841, MRR 0.662.
describe('question set (measured: Recall@1 0.651, Recall@5 0.841, MRR 0.717)', () => {
  it('has enough questions to mean something', () => {
    expect(scores.answerable).toBeGreaterThanOrEqual(25);
    expect(scores.unanswerable).toBeGreaterThanOrEqual(5);
  });

  it('finds a gold passage in the top 5 for at least 82% of answerable questions', () => {
    expect(scores.recall5.rate).toBeGreaterThanOrEqual(0.82);
  });

  it('ranks the gold passage high: MRR ≥ 0.64', () => {
    expect(scores.mrr).toBeGreaterThanOrEqual(0.64);
  });

  // Measured 2026-12-02 after a passage is put before the short passage that borrows its words as
  // context (retrieval/borrowed-words.ts): Recall@1 0.508 → 0.619, MRR 0.640 → 0.708 (one ONNX
  // thread); then after a short passage's vector stopped borrowing its neighbour's end (BM25 still
  // reads it): Recall@1 0.651, MRR 0.717.
  it('ranks the gold passage first for at least 62% of answerable questions, and MRR ≥ 0.69', () => {
    expect(scores.recall1.rate).toBeGreaterThanOrEqual(0.62);
    expect(scores.mrr).toBeGreaterThanOrEqual(0.69);
  });

  // Measured 2026-12-02: 37 of 63 (0.587) after a passage that borrows its neighbour's words no
  // longer comes first (the highlight of a wrong first passage rarely holds the answer); 39 of 63
  // (0.619) once the vector no longer borrows them.
  it('puts the gold answer inside the first highlight for at least 58% of answerable questions', () => {
    expect(scores.answerInHighlight1.rate).toBeGreaterThanOrEqual(0.58);
  });

  // Measured 2026-12-02: 62 of 63 with the background-contrast rule (the one left says "America",
  // a name the articles never use); 55 of 63 on the bare cosine rule before it.
  it('answers (does not abstain on) at least 96% of answerable questions', () => {
    expect(scores.answerableAnswered.rate).toBeGreaterThanOrEqual(0.96);
  });

  // Measured 2026-12-02 with the fused-score show bar: 1.55 passages per answer, 0.44 of them on a
  // gold span; before it 4.37 and 0.21 (every passage the abstention rule passed was shown). Counted
  // since over every answer given (unanswerable questions answered too), as `calibrate --score`
  // reports it: 1.65 and 0.42 (45 of 107).
  it('shows a few passages, not k: at most 1.7 per answer, at least 40% of them citing a gold span', () => {
    expect(scores.passagesPerAnswer).toBeGreaterThanOrEqual(1);
    expect(scores.passagesPerAnswer).toBeLessThanOrEqual(1.7);
    expect(scores.shownRelevant.rate).toBeGreaterThanOrEqual(0.4);
  });

  it('weighs each answer against the question\'s background: the 50th nearest passage\'s cosine, below the best', async () => {
    const result = await engine.search('How many troops were in the Iraq training mission?');
    const top = result.hits[0];
    expect(top?.evidence.backgroundCosine).toBeGreaterThan(0);
    expect(top?.evidence.backgroundCosine).toBeLessThan(top?.evidence.cosine ?? 0);
  });

  it('abstains on at least two thirds of unanswerable questions, and on every clearly off-topic one', async () => {
    expect(scores.unanswerableDeclined.rate).toBeGreaterThanOrEqual(0.66);
    for (const question of ['What is a good recipe for banana bread?', 'How do I reverse a linked list in Python?', 'Who won the 2018 FIFA World Cup final?']) {
      expect((await engine.search(question)).abstained, question).toBe(true);
    }
  });
});

describe('ranking set: what comes first, and why', () => {
  it('a numbers question about the Iraq mission', async () => {
    const result = await engine.search('How many personnel will the NATO training mission in Iraq grow to?', { k: 3 });
    expect(result.abstained).toBe(false);
    const cited = result.hits.flatMap((hit) => [hit, ...hit.alsoIn]).map((s) => `${s.file}:${s.startLine}`);
    // 1st: every outlet's sentence with "around 4,000" personnel — 001:1, 001:8, 002:5 and the quotes 001:60 / 002:39.
    expect(cited.slice(0, 2).every((c) => /001_8140afa543bea040\.txt:(1|8|60)$|002_b5b0d5d85ae90eb1\.txt:(5|39)$/.test(c))).toBe(true);
    expect(result.hits[0]?.text).toMatch(/4,000/);
  });

  it('the sentence that answers comes before the short one after it that borrows its words', async () => {
    // 000:42 ("So the threat is metastasizing.") is read by BM25 with the end of 000:40 as context;
    // 000:40's own lines name the regions. While its vector borrowed those words too, the relevance
    // model ranked it first (borrowed-words.ts puts the lender back in front).
    for (const [question, answer] of [
      ["In which regions are Al-Qaeda's affiliate groups getting stronger?", 'seeds/000_e4409a72bea0ec59.txt:40'],
      ['What conditions must the Taliban meet according to Stoltenberg?', 'seeds/001_8140afa543bea040.txt:40'],
    ] as const) {
      const [first] = (await engine.search(question, { k: 5 })).hits;
      expect(`${first?.file}:${first?.startLine}`, question).toBe(answer);
    }
  });

  it('the same story from two outlets is one result citing both', async () => {
    const result = await engine.search('What did Trump agree with the Taliban about troops?', { k: 5 });
    // 001:10 and 002:7 are the same AFP sentence (straight vs curly apostrophe): one hit, the other in alsoIn.
    const withTwin = result.hits.find((hit) => hit.text.includes('struck a deal with the Taliban'));
    expect(withTwin).toBeDefined();
    expect([withTwin!, ...withTwin!.alsoIn].map((s) => s.file).sort()).toEqual(['seeds/001_8140afa543bea040.txt', 'seeds/002_b5b0d5d85ae90eb1.txt']);
    expect(result.hits.filter((hit) => hit.text.includes('struck a deal with the Taliban'))).toHaveLength(1);
  });

  it('a paraphrase with no shared keywords is found by the dense signal', async () => {
    const result = await engine.search('Which spy network might regain strength if American forces leave entirely?', { k: 3 });
    // 000:24 — "Al-Qaeda's core leadership ... the potential withdrawal of all US troops ... could allow it to regroup".
    expect(result.hits.slice(0, 3).map((h) => `${h.file}:${h.startLine}`)).toContain('seeds/000_e4409a72bea0ec59.txt:24');
  });

  it('the highlight is a verbatim sentence of its passage', async () => {
    const result = await engine.search('What did McRaven say about the threat spreading?', { k: 5 });
    for (const hit of result.hits) expect(hit.text).toContain(hit.highlight);
  });

  it('every citation is the exact span of a paragraph in its file', async () => {
    const result = await engine.search('Why are NATO countries reluctant to leave Afghanistan?', { k: 5 });
    for (const hit of [...result.hits, ...result.hits.flatMap((h) => h.alsoIn)]) {
      const excerpt = await engine.source(hit.file, hit.startLine, hit.endLine);
      expect(excerpt.lines.length).toBe(hit.endLine - hit.startLine + 1);
    }
    for (const hit of result.hits) {
      const excerpt = await engine.source(hit.file, hit.startLine, hit.endLine);
      expect(excerpt.lines.map((l) => l.text).join('\n')).toBe(hit.text);
    }
  });
});

describe('source quoting', () => {
  it('quotes lines verbatim with their numbers', async () => {
    const excerpt = await engine.source('seeds/000_e4409a72bea0ec59.txt', 21, 22);
    expect(excerpt.lines).toEqual([
      { number: 21, text: 'US exit from Afghanistan could bolster Qaeda: commander' },
      { number: 22, text: 'Washington (AFP) Feb 27, 2014 –' },
    ]);
  });

  it('refuses files outside the index and ranges outside the file', async () => {
    await expect(engine.source('../../etc/passwd', 1, 1)).rejects.toMatchObject({ code: 'SOURCE_NOT_FOUND' });
    await expect(engine.source('seeds/000_e4409a72bea0ec59.txt', 40, 99)).rejects.toMatchObject({
      code: 'SOURCE_BAD_RANGE',
      message: expect.stringContaining('has 44 lines'),
    });
  });
});
