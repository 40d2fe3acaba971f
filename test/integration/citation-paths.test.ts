/**
 * Citations relative to the documents folder (issue 9.6): a documents folder outside the project
 * root is cited relative to that folder (optionally under CITEBOT_CITATION_PREFIX), never by its
 * absolute server path; the JSON `file` field is that same citation, and `/source` takes it back.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCitebot } from '../../src/app.ts';
import { toSearchJson } from '../../src/answer/render-json.ts';
import { parseConfig } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { citeDocument, locateCited, type CitationScheme } from '../../src/corpus/load-documents.ts';
import { REPO_ROOT, workspaceEnv } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

describe('citeDocument / locateCited', () => {
  const inside: CitationScheme = { rootDir: '/project', documentsDir: '/project/seeds' };
  const outside: CitationScheme = { rootDir: '/project', documentsDir: '/srv/private/docs' };
  const prefixed: CitationScheme = { ...outside, prefix: '/handbook/' };

  it.each([
    ['inside the root: relative to the root, as before', inside, '/project/seeds/a/b.md', 'seeds/a/b.md'],
    ['outside the root: relative to the documents folder', outside, '/srv/private/docs/a/secret.md', 'a/secret.md'],
    ['with a prefix: prefix + path in the documents folder (slashes trimmed)', prefixed, '/srv/private/docs/secret.md', 'handbook/secret.md'],
    ['a prefix inside the root too', { ...inside, prefix: 'docs' }, '/project/seeds/a.txt', 'docs/a.txt'],
  ])('%s', (_why, scheme, absolute, cited) => {
    expect(citeDocument(scheme, absolute)).toBe(cited);
    expect(locateCited(scheme, cited)).toBe(absolute);
  });

  it.each([
    ['climbing out with ../', outside, '../../etc/passwd'],
    ['an absolute path', outside, '/etc/passwd'],
    ['another prefix', prefixed, 'other/secret.md'],
    ['the root, not the documents folder', inside, 'README.md'],
  ])('refuses %s', (_why, scheme, cited) => {
    expect(locateCited(scheme, cited)).toBeUndefined();
  });
});

describe('a documents folder outside the project root, end to end', () => {
  let base: string;
  beforeEach(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'citebot-outside-'));
    await cp(path.join(REPO_ROOT, 'seeds'), path.join(base, 'private-docs'), { recursive: true });
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  for (const prefix of [undefined, 'handbook']) {
    it(`cites ${prefix === undefined ? 'relative to the folder' : 'under the prefix'}; no absolute path in any reply; /source takes the citation`, async () => {
      const docs = path.join(base, 'private-docs');
      const env = workspaceEnv({ CITEBOT_SEEDS_DIR: docs, CITEBOT_INDEX_DIR: path.join(base, 'project', 'embeddings'), ...(prefix === undefined ? {} : { CITEBOT_CITATION_PREFIX: prefix }) });
      const config = parseConfig(env, path.join(base, 'project'));
      const { engine } = await openCitebot(config, { logger: silentLogger, embedding: createTestEmbedding() });
      try {
        const expected = ['000_e4409a72bea0ec59.txt', '001_8140afa543bea040.txt', '002_b5b0d5d85ae90eb1.txt'].map((name) => (prefix === undefined ? name : `${prefix}/${name}`));
        expect(engine.summary().documents.map((document) => document.file)).toEqual(expected);
        const json = JSON.stringify(toSearchJson(await engine.search('what happened in the city', { k: 5 })));
        expect(json).not.toContain(base);
        const first = (JSON.parse(json) as { results: { file: string; startLine: number; endLine: number }[] }).results[0]!;
        expect(expected).toContain(first.file);
        const excerpt = await engine.source(first.file, first.startLine, first.endLine);
        expect(excerpt.lines.length).toBe(first.endLine - first.startLine + 1);
      } finally {
        await engine.close();
      }
    });
  }
});

describe('CITEBOT_CITATION_PREFIX', () => {
  it.each([['../up'], ['a\\b'], ['c:/x']])('refuses %s with a clear message', (prefix) => {
    expect(() => parseConfig({ CITEBOT_CITATION_PREFIX: prefix }, '/project')).toThrow(/CITEBOT_CITATION_PREFIX: must/);
  });

  it('takes a plain prefix, and is unset by default', () => {
    expect(parseConfig({ CITEBOT_CITATION_PREFIX: 'handbook/v2' }, '/project').citationPrefix).toBe('handbook/v2');
    expect(parseConfig({}, '/project').citationPrefix).toBeUndefined();
  });
});
