/**
 * The layering check (npm run lint:layers, run by .ci/run) holds for src/, and fails on
 * wrong-way imports: each case below adds one deliberately wrong file to a copy of src/ and names
 * the rule that must catch it. Plus the one rule that is not about imports: only config/ reads
 * process.env.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLayers, type LayerReport } from '../../scripts/lint-layers.ts';
import { REPO_ROOT } from '../support/engine.ts';

/** Wrong (or allowed) files, each with the rules it must trip (none for the allowed ones). */
const CASES: readonly { readonly file: string; readonly text: string; readonly rules: readonly string[]; readonly why: string }[] = [
  { why: 'core/ imports nothing of citebot', file: 'src/core/wrong-way.ts', text: "import { openCitebot } from '../app.ts';\nexport const x = openCitebot;\n", rules: ['core-is-the-bottom', 'only-entries-use-the-root'] },
  { why: 'discord/ is handed an Engine, never the root', file: 'src/discord/wrong-root.ts', text: "import { openCitebot } from '../app.ts';\nexport const x = openCitebot;\n", rules: ['discord', 'only-entries-use-the-root'] },
  { why: 'discord.js only in discord/', file: 'src/retrieval/wrong-library.ts', text: "import { Client } from 'discord.js';\nexport const x = Client;\n", rules: ['one-home-for-discord-js'] },
  { why: 'hnswlib-node only in its adapter file', file: 'src/vector-index/second-adapter.ts', text: "import hnswlib from 'hnswlib-node';\nexport const x = hnswlib;\n", rules: ['one-home-for-hnswlib-node'] },
  { why: 'a lower layer does not build adapters', file: 'src/corpus/wrong-adapter.ts', text: "import { createHnswIndex } from '../vector-index/hnsw-vector-index.ts';\nexport const x = createHnswIndex;\n", rules: ['corpus', 'only-the-root-wires-adapters'] },
  { why: 'embedding/ does not import config/ (not even a type)', file: 'src/embedding/wrong-config.ts', text: "import type { Config } from '../config/config.ts';\nexport type X = Config;\n", rules: ['embedding'] },
  { why: 'the index store gets its implementations from app.ts, not by importing them', file: 'src/index-store/wrong-build.ts', text: "import { buildLexicalIndex } from '../lexical-index/bm25-index.ts';\nexport const x = buildLexicalIndex;\n", rules: ['index-store', 'only-the-root-wires-adapters'] },
  { why: 'a type-only import of the same file is fine where the layer allows it', file: 'src/retrieval/typed-only.ts', text: "import type { LexicalIndex } from '../lexical-index/bm25-index.ts';\nexport type X = LexicalIndex;\n", rules: [] },
  { why: 'an unlisted library (and a devDependency) in src/', file: 'src/corpus/wrong-dev-library.ts', text: "import { WebSocket } from 'ws';\nexport const x = WebSocket;\n", rules: ['no-unlisted-library', 'no-dev-dependency-in-src'] },
  { why: 'only the root builds an engine', file: 'src/answer/second-root.ts', text: "import { createEngine } from '../retrieval/engine.ts';\nexport const x = createEngine;\n", rules: ['answer', 'one-composition-root'] },
  { why: 'no cycles', file: 'src/core/cycle-a.ts', text: "import { b } from './cycle-b.ts';\nexport const a = () => b;\n", rules: ['no-circular'] },
  { why: 'no cycles (the other half)', file: 'src/core/cycle-b.ts', text: "import { a } from './cycle-a.ts';\nexport const b = () => a;\n", rules: ['no-circular'] },
];

let report: LayerReport;

beforeAll(async () => {
  report = await checkLayers(REPO_ROOT, Object.fromEntries(CASES.map((c) => [c.file, c.text])));
}, 60_000);

describe('npm run lint:layers', () => {
  it('finds no violation in src/ itself, beyond the listed known exceptions', () => {
    const added = new Set(CASES.map((c) => c.file));
    expect(report.violations.filter((v) => !added.has(v.from))).toEqual([]);
    expect(report.modules).toBeGreaterThan(60);
  });

  it.each(CASES)('$file: $why', ({ file, rules }) => {
    // A cycle is reported once, on the edge that closes it: count it for both of its modules.
    const involved = report.violations.filter((v) => v.from === file || (v.rule === 'no-circular' && v.to === file));
    const tripped = [...new Set(involved.map((v) => v.rule))].sort();
    expect(tripped).toEqual([...rules].sort());
  });
});

/** Source files that read `process.env` outside comments. Pure. */
function readersOfEnvironment(files: ReadonlyMap<string, string>): string[] {
  const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  return [...files].filter(([, text]) => /\bprocess\.env\b/.test(code(text))).map(([file]) => file);
}

describe('only config/ reads process.env', () => {
  it('the check sees a read, and ignores the word in a comment', () => {
    const files = new Map([
      ['src/a.ts', "const token = process.env['DISCORD_TOKEN'];"],
      ['src/b.ts', '/** Nothing here reads `process.env`. */\n// process.env neither\nexport {};'],
    ]);
    expect(readersOfEnvironment(files)).toEqual(['src/a.ts']);
  });

  it('holds for src/', async () => {
    const files = new Map<string, string>();
    for (const entry of await readdir(path.join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !/\.(ts|mjs)$/.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      files.set(path.relative(REPO_ROOT, file).split(path.sep).join('/'), await readFile(file, 'utf8'));
    }
    expect(readersOfEnvironment(files).filter((file) => !file.startsWith('src/config/'))).toEqual([]);
  });
});
