/**
 * `npm run bench:follow-ups [-- --hashed]`: follow-up retrieval, Recall@5 of the follow-up asked
 * alone and with the earlier question as context (src/community/follow-up.ts, what the bot
 * retrieves with), on the pairs in bench/fixtures/follow-up-pairs.json over seeds/ and
 * test/fixtures/pino-docs. The model by default; `--hashed` uses the deterministic test embedder.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCitebot } from '../src/app.ts';
import { followUpQuery, fuseFollowUpResults } from '../src/community/follow-up.ts';
import { questionTerms } from '../src/community/report.ts';
import { parseConfig } from '../src/config/config.ts';
import { silentLogger } from '../src/core/logger.ts';
import type { Hit } from '../src/core/types.ts';
import { createTestEmbedding } from '../test/support/test-embedder.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Recall@K: the follow-up is answered if any of the first K passages overlaps a gold span. */
const K = 5;

interface Pair {
  readonly earlier: string;
  readonly followUp: string;
  readonly gold: readonly (readonly [string, number, number])[];
}

/** Where each corpus lives, and the folder name its citations start with. */
const CORPORA: Record<string, { readonly source: string; readonly folder: string }> = {
  seeds: { source: path.join(REPO, 'seeds'), folder: 'seeds' },
  'pino-docs': { source: path.join(REPO, 'test/fixtures/pino-docs/corpus'), folder: 'corpus' },
};

function hitsGold(hits: readonly Hit[], gold: Pair['gold']): boolean {
  return hits.slice(0, K).some((hit) => gold.some(([file, start, end]) => hit.file === file && hit.startLine <= end && hit.endLine >= start));
}

/** Ways to give retrieval the context, compared with the follow-up alone (the bot fuses the follow-up alone with `followUpQuery`). */
const STRATEGIES: Record<string, (earlier: string, followUp: string) => string> = {
  'earlier, then follow-up': followUpQuery,
  'follow-up, then earlier': (earlier, followUp) => `${followUp}\n${earlier}`,
  "follow-up + earlier's content words": (earlier, followUp) => `${followUp} ${[...questionTerms(earlier)].join(' ')}`,
};

const hashed = process.argv.includes('--hashed');
const { corpora } = JSON.parse(await readFile(path.join(REPO, 'bench/fixtures/follow-up-pairs.json'), 'utf8')) as { corpora: Record<string, Pair[]> };
console.log(`follow-up Recall@${K} (${hashed ? 'hashed test embedder' : 'bge-small-en-v1.5 q8'}), ${new Date().toISOString()}`);
console.log(`| corpus | pairs | follow-up alone | fused: alone + earlier-then-follow-up (bot) | ${Object.keys(STRATEGIES).join(' | ')} |`);
console.log(`|---|---|---|---|${Object.keys(STRATEGIES).map(() => '---|').join('')}`);
for (const [name, pairs] of Object.entries(corpora)) {
  const corpus = CORPORA[name];
  if (corpus === undefined) throw new Error(`unknown corpus ${name}`);
  const root = await mkdtemp(path.join(tmpdir(), 'citebot-follow-ups-'));
  try {
    await cp(corpus.source, path.join(root, corpus.folder), { recursive: true });
    const config = parseConfig({ CITEBOT_SEEDS_DIR: corpus.folder, CITEBOT_MODELS_DIR: path.join(REPO, 'models') }, root);
    const { engine } = await openCitebot(config, { logger: silentLogger, ...(hashed ? { embedding: createTestEmbedding() } : {}) });
    let alone = 0;
    let fused = 0;
    const found = Object.fromEntries(Object.keys(STRATEGIES).map((key) => [key, 0]));
    const misses: string[] = [];
    for (const pair of pairs) {
      const aloneResult = await engine.search(pair.followUp, { k: K, explain: true });
      if (hitsGold(aloneResult.hits, pair.gold)) alone += 1;
      const contextResult = await engine.search(followUpQuery(pair.earlier, pair.followUp), { k: K, explain: true });
      if (hitsGold(fuseFollowUpResults(aloneResult, contextResult, K).hits, pair.gold)) fused += 1;
      else misses.push(`  fused (bot) missed: ${pair.earlier} → ${pair.followUp}`);
      for (const [key, build] of Object.entries(STRATEGIES)) {
        const hit = hitsGold((await engine.search(build(pair.earlier, pair.followUp), { k: K, explain: true })).hits, pair.gold);
        if (hit) found[key] = (found[key] ?? 0) + 1;
        else misses.push(`  ${key} missed: ${pair.earlier} → ${pair.followUp}`);
      }
    }
    await engine.close();
    const rate = (n: number) => `${(n / pairs.length).toFixed(3)} (${n}/${pairs.length})`;
    console.log(`| ${name} | ${pairs.length} | ${rate(alone)} | ${rate(fused)} | ${Object.keys(STRATEGIES).map((key) => rate(found[key] ?? 0)).join(' | ')} |`);
    for (const miss of misses) console.error(miss);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
