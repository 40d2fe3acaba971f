/**
 * BEIR evaluation opens citebot through the composition root (app.ts's openCitebot) with its own
 * options, so anything openCitebot takes reaches it — here the hashed test embedder, on a
 * four-document dataset whose queries each share their content words with one document.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import type { BeirDataset } from '../../src/evaluation/beir-dataset.ts';
import { evaluateBeir } from '../../src/evaluation/beir-eval.ts';
import { workspaceEnv } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

const DATASET: BeirDataset = {
  name: 'tiny',
  split: 'test',
  hasAnswers: false,
  documents: [
    { id: 'd1', title: 'Volcanoes', text: 'Basalt lava flows from shield volcanoes in Hawaii.' },
    { id: 'd2', title: 'Glaciers', text: 'Glaciers carve fjords along the Norwegian coast.' },
    { id: 'd3', title: 'Deserts', text: 'Sand dunes migrate across the Sahara every year.' },
    { id: 'd4', title: 'Reefs', text: 'Coral reefs bleach when ocean water grows too warm.' },
  ],
  queries: [
    { id: 'q1', text: 'Which volcanoes make basalt lava in Hawaii?', judgements: new Map([['d1', 1]]), answers: undefined },
    { id: 'q2', text: 'What carves fjords on the Norwegian coast?', judgements: new Map([['d2', 1]]), answers: undefined },
    { id: 'q3', text: 'Why do coral reefs bleach?', judgements: new Map([['d4', 1]]), answers: undefined },
  ],
};

let workDir: string;
beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'citebot-beir-'));
});
afterEach(() => rm(workDir, { recursive: true, force: true }));

describe('evaluateBeir', () => {
  it('indexes the corpus and scores every mode through openCitebot, on the embedder it is handed', async () => {
    const embedding = createTestEmbedding();
    const run = await evaluateBeir(DATASET, {
      config: parseConfig(workspaceEnv(), workDir),
      workDir,
      modes: ['hybrid', 'bm25'],
      logger: silentLogger,
      embedding,
    });
    expect(run.ingest).toMatchObject({ files: 4, upToDate: false });
    expect(run.scores.map((s) => [s.mode, s.queries, s.recall1])).toEqual([
      ['hybrid', 3, 1],
      ['bm25', 3, 1],
    ]);
    // The handed-in embedder did the work (passages at ingest, the questions of the hybrid mode), and the engine closed it.
    expect(embedding.embedder.embedded.passage).toBeGreaterThanOrEqual(4);
    expect(embedding.embedder.embedded.query).toBeGreaterThanOrEqual(3);
    expect(embedding.embedder.closed).toBe(true);
  });
});
