/**
 * Highlight quality guard: does the highlight of the right passage hold the answer?
 *
 * XQuAD-en (240 Wikipedia paragraphs, 1,190 questions with gold answer strings): for every
 * question, pickHighlight on its gold paragraph, with idf from a BM25 index of the whole corpus
 * (title + text, as `npm run eval` ingests it); right when the gold answer string is inside the
 * highlight. This measures the highlight step alone (retrieval is xquad.test.ts's business), so
 * the answer-in-highlight rate of the whole engine is about this times its Recall@1.
 *
 * The dataset lives outside the repository (../shared/eval, not redistributed with citebot); in a
 * clone without it the suite is skipped and says so. No model is loaded: this runs in about a second.
 * Its speed is measured by `npm run bench` ("full answer incl. highlight"), not asserted here.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentFileText, loadBeirDataset, type BeirDataset } from '../../src/evaluation/beir-dataset.ts';
import { buildLexicalIndex } from '../../src/lexical-index/bm25-index.ts';
import { pickHighlight } from '../../src/retrieval/highlight.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const datasetDir = path.resolve(repoRoot, '../shared/eval/xquad-en');
const available = existsSync(path.join(datasetDir, 'answers.jsonl'));
const title = available
  ? 'XQuAD-en highlight quality (gold paragraph → highlight holds the answer)'
  : `XQuAD-en highlight quality — SKIPPED: ${datasetDir} not found (the public eval data is not part of the repository)`;

/**
 * Measured 0.837 (996 of 1,190) on 2026-11-25; the floor sits a little below so that a change of
 * tie order does not fail the suite, while a real regression (one question in 60) does. The
 * embedding highlight it replaced measured 0.767 on the same paragraphs.
 */
const ANSWER_IN_HIGHLIGHT_FLOOR = 0.82;

describe.skipIf(!available)(title, () => {
  let dataset: BeirDataset;
  const outcomes: { right: boolean }[] = [];

  beforeAll(async () => {
    dataset = await loadBeirDataset(datasetDir, 'test');
    const index = buildLexicalIndex(dataset.documents.map(documentFileText));
    const idf = (term: string) => index.idf(term);
    const documents = new Map(dataset.documents.map((document) => [document.id, document]));
    for (const query of dataset.queries) {
      const [goldId] = [...query.judgements].find(([, grade]) => grade > 0) ?? [];
      const gold = goldId === undefined ? undefined : documents.get(goldId);
      if (gold === undefined || query.answers === undefined) throw new Error(`question ${query.id} has no gold paragraph or answer`);
      const range = pickHighlight({ text: gold.text, kind: 'text', query: query.text, idf });
      const highlight = gold.text.slice(range.start, range.end);
      outcomes.push({ right: query.answers.some((answer) => highlight.includes(answer)) });
    }
  }, 60_000);

  it('asks every question', () => {
    expect(outcomes).toHaveLength(1190);
  });

  it(`puts the answer in the highlight for at least ${ANSWER_IN_HIGHLIGHT_FLOOR} of the questions`, () => {
    const rate = outcomes.filter((outcome) => outcome.right).length / outcomes.length;
    expect(rate).toBeGreaterThanOrEqual(ANSWER_IN_HIGHLIGHT_FLOOR);
  });
});
