/**
 * In-place re-ingest: a change to a few files embeds and indexes only those files' passages (no
 * rebuild of HNSW or BM25 from every vector), answers exactly as a full rebuild of the same
 * folder does, and drops deleted and renamed files' passages. The hashed test embedder stands
 * in for the model.
 */
import { appendFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { INDEX_BACKENDS, openCitebot, runIngest } from '../../src/app.ts';
import type { Config } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { isTombstone, loadIndex } from '../../src/index-store/index-store.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding, type TestEmbedder } from '../support/test-embedder.ts';

/** Topics of the generated notes: distinct vocabularies, so each question has one clear answer. */
const TOPICS = [
  ['glacier', 'moraine', 'crevasse', 'icefall'],
  ['violin', 'bow', 'rosin', 'fingerboard'],
  ['compiler', 'parser', 'bytecode', 'linker'],
  ['orchard', 'apple', 'pruning', 'blossom'],
  ['lighthouse', 'keeper', 'lantern', 'fog'],
  ['volcano', 'magma', 'caldera', 'eruption'],
  ['bakery', 'sourdough', 'oven', 'crust'],
  ['telescope', 'mirror', 'nebula', 'eyepiece'],
  ['harbour', 'ferry', 'pier', 'tide'],
  ['beekeeping', 'hive', 'honey', 'queen'],
  ['railway', 'locomotive', 'signal', 'platform'],
  ['chess', 'opening', 'gambit', 'endgame'],
] as const;

/**
 * A note of four paragraphs about one topic (plain text: a run of lines is a passage), made of
 * the topic's words and stop words only, so no two notes share a scoring term (shared filler
 * words would make passages of different notes tie, and ties are ordered by label).
 */
function note(words: readonly string[], variant = ''): string {
  return words.map((word, i) => `The ${word} is with the ${words[(i + 1) % words.length]}${variant}.`).join('\n\n') + '\n';
}

const QUESTIONS = ['How does the crevasse form?', 'rosin and the bow', 'what does the linker do', 'lighthouse lantern fog', 'NATO troops Afghanistan withdrawal', 'sourdough oven crust', 'zebra convoy river', 'ferry tide harbour'];

let workspace: TestWorkspace;
let embedding: ReturnType<typeof createTestEmbedding>;
let embedder: TestEmbedder;
const ingestNow = (config: Config = workspace.config) => runIngest(config, embedder, { logger: silentLogger, embedding });
const notePath = (i: number) => path.join(workspace.seedsDir, 'notes', `${TOPICS[i]![0]}.txt`);

/** Every question's hits as citations with rounded scores, from an engine opened on `config`. */
async function answersFor(config: Config) {
  const citebot = await openCitebot(config, { logger: silentLogger, embedding: createTestEmbedding() });
  try {
    const results = [];
    for (const question of QUESTIONS) {
      const result = await citebot.engine.search(question, { k: 5, explain: true });
      const hits = result.hits.map((hit) => ({ at: `${hit.file}:${hit.startLine}-${hit.endLine}`, score: Math.round(hit.score * 1e4) }));
      // Equal scores are ordered by label, which an in-place update assigns differently from a
      // rebuild: compare ties as a set (by citation), and drop passages that score nothing.
      hits.sort((a, b) => b.score - a.score || a.at.localeCompare(b.at));
      results.push({ question, abstained: result.abstained, hits: hits.filter((hit) => hit.score > 0) });
    }
    return { results, rebuilt: citebot.ingestReport.update };
  } finally {
    await citebot.engine.close();
  }
}

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  await mkdir(path.join(workspace.seedsDir, 'notes'));
  for (const [i, words] of TOPICS.entries()) await writeFile(notePath(i), note(words));
  embedding = createTestEmbedding();
  embedder = embedding.embedder;
});
afterEach(async () => {
  await embedder.close();
  await workspace.cleanup();
});

describe('in-place re-ingest', () => {
  it('an edit embeds and indexes only the edited file, with no rebuild from all vectors', async () => {
    const { report: first } = await ingestNow();
    expect(first.update).toBe('full');
    const embeddedBefore = embedder.embedded.passage;

    await appendFile(notePath(1), '\nThe cello shares the rosin with the violin.\n');
    const { report } = await ingestNow();
    expect(report.update).toBe('in-place');
    expect(report.changed).toEqual(['seeds/notes/violin.txt']);
    // The violin note now has five passages: only they were embedded and inserted.
    expect(report.embedded).toBe(5);
    expect(embedder.embedded.passage - embeddedBefore).toBe(5);
    expect(report.vectorsInserted).toBe(5);
    // BM25 analysed the five new passages and the four removed ones, nothing else.
    expect(report.lexicalAnalysed).toBe(9);
    expect(report.paragraphs).toBe(first.paragraphs + 1);

    // The saved generation loads back with the old passages as tombstones.
    const loaded = await loadIndex(workspace.config.indexDir, INDEX_BACKENDS, 64);
    expect(loaded.paragraphs.filter(isTombstone)).toHaveLength(4);
    expect(loaded.vectors.deleted).toBe(4);
    expect(loaded.paragraphs.find((p) => p.text.includes('cello'))).toMatchObject({ file: 'seeds/notes/violin.txt', startLine: 9 });
  });

  it('after edits, additions, a rename and a deletion, answers equal those of a full rebuild of the same folder', async () => {
    await ingestNow();
    await appendFile(notePath(2), '\nThe linker resolves symbols after the parser and compiler.\n');
    expect((await ingestNow()).report.update).toBe('in-place');
    await writeFile(path.join(workspace.seedsDir, 'notes', 'extra.md'), '# Harbour notes\n\nThe ferry waits at the pier for the tide.\n');
    expect((await ingestNow()).report.update).toBe('in-place');
    await rename(notePath(4), path.join(workspace.seedsDir, 'notes', 'beacon.txt'));
    const renamed = await ingestNow();
    expect(renamed.report).toMatchObject({ update: 'in-place', added: ['seeds/notes/beacon.txt'], removed: ['seeds/notes/lighthouse.txt'] });
    await rm(notePath(6));
    await writeFile(notePath(2), note(TOPICS[2]!, ' again'));
    const last = await ingestNow();
    expect(last.report).toMatchObject({ update: 'in-place', removed: ['seeds/notes/bakery.txt'], changed: ['seeds/notes/compiler.txt'] });

    const inPlace = await answersFor(workspace.config);
    expect(inPlace.rebuilt).toBe('none');
    const rebuilt = await answersFor({ ...workspace.config, indexDir: path.join(workspace.root, 'rebuilt') });
    expect(rebuilt.rebuilt).toBe('full');
    expect(inPlace.results).toEqual(rebuilt.results);

    const cited = inPlace.results.flatMap((result) => result.hits.map((hit) => hit.at));
    expect(cited.some((at) => at.startsWith('seeds/notes/lighthouse.txt') || at.startsWith('seeds/notes/bakery.txt'))).toBe(false);
    expect(cited.some((at) => at.startsWith('seeds/notes/beacon.txt'))).toBe(true);
    expect(cited.some((at) => at.startsWith('seeds/notes/extra.md'))).toBe(true);
  });

  it('compacts (rebuilds from the stored vectors, embedding nothing else) once tombstones pass the share', async () => {
    await ingestNow();
    const embeddedBefore = embedder.embedded.passage;
    // The three seed files hold most passages: removing them leaves far more tombstones than live ones.
    for (const file of ['000_e4409a72bea0ec59.txt', '001_8140afa543bea040.txt']) await rm(path.join(workspace.seedsDir, file));
    const { report, index } = await ingestNow();
    expect(report.update).toBe('compaction');
    expect(embedder.embedded.passage).toBe(embeddedBefore);
    expect(index.paragraphs.filter(isTombstone)).toHaveLength(0);
    expect(index.vectors.deleted).toBe(0);
    expect(index.paragraphs).toHaveLength(report.paragraphs);
  });
});
