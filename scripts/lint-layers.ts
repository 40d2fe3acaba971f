/**
 * `npm run lint:layers`: checks src/ against the layering rules in .dependency-cruiser.cjs.
 *
 * dependency-cruiser parses TypeScript with the TypeScript compiler API, which TypeScript 7 (the
 * native compiler this project uses) no longer has. So this script first transpiles src/ into a
 * temporary mirror with esbuild (already installed, tsx's own transpiler): every module becomes
 * `.js` with its value imports kept exactly (verbatimModuleSyntax), and every type-only import
 * (`import type … from 'x'`, `export type … from 'x'`) becomes a `require('x')` marker — citebot
 * is ESM and never calls require, so the rules read dependency type `require` as "type-only".
 * Violations are reported with the original `.ts` paths; the ones listed in
 * .dependency-cruiser-known-violations.json (being removed, each with a reason) are not errors.
 *
 * Exported for test/unit/layers.test.ts, which shows the check failing on wrong-way imports.
 */
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser';
import { transform } from 'esbuild';
import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile, copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LayerViolation {
  readonly rule: string;
  readonly from: string;
  readonly to: string;
  readonly comment: string;
}

export interface LayerReport {
  readonly modules: number;
  readonly dependencies: number;
  readonly violations: readonly LayerViolation[];
  /** Violations matched by the known-violations file (not errors). */
  readonly known: readonly LayerViolation[];
  /** Entries of the known-violations file that no longer occur: delete them. */
  readonly stale: readonly { readonly rule: string; readonly from: string; readonly to: string }[];
}

interface KnownViolation {
  readonly from: string;
  readonly to: string;
  readonly rule: string;
  readonly why: string;
}

const CONFIG_FILE = '.dependency-cruiser.cjs';
const KNOWN_FILE = '.dependency-cruiser-known-violations.json';

/** `import type …` / `export type …` statements with a module specifier (possibly over several lines). */
const TYPE_ONLY_STATEMENT = /^(?:import|export)\s+type\s+(?:\{[^}]*\}|\*\s+as\s+\w+|\*|\w+)\s+from\s+(['"][^'"]+['"])\s*;?/gm;
/** Relative specifiers of .ts files, rewritten to the mirror's .js names. */
const TS_SPECIFIER = /(['"])(\.{1,2}\/[^'"]*?)\.ts\1/g;

/** The mirror's text of one TypeScript module: type-only imports as require markers, then transpiled. */
async function mirrorTypeScript(source: string, file: string): Promise<string> {
  const marked = source.replace(TYPE_ONLY_STATEMENT, (_statement, specifier: string) => `require(${specifier});`);
  const { code } = await transform(marked, {
    loader: 'ts',
    format: 'esm',
    target: 'es2022',
    sourcefile: file,
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  return code.replace(TS_SPECIFIER, '$1$2.js$1');
}

async function listFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

/** The original path of a mirror path (`src/app.js` → `src/app.ts` when that is what it was). */
function originalPath(mirrorPath: string, typeScriptFiles: ReadonlySet<string>): string {
  const asTs = mirrorPath.replace(/\.js$/, '.ts');
  return typeScriptFiles.has(asTs) ? asTs : mirrorPath;
}

/**
 * Checks `repoRoot`'s src/ (plus `extraFiles`, paths relative to the repository, e.g. a test's
 * deliberately wrong `src/core/x.ts`) against the rules.
 */
export async function checkLayers(repoRoot: string, extraFiles: Readonly<Record<string, string>> = {}): Promise<LayerReport> {
  const require = createRequire(import.meta.url);
  const config = require(path.join(repoRoot, CONFIG_FILE)) as { forbidden: NonNullable<IFlattenedRuleSet['forbidden']>; options: Record<string, unknown> };
  const known = JSON.parse(await readFile(path.join(repoRoot, KNOWN_FILE), 'utf8')) as KnownViolation[];
  const mirror = await mkdtemp(path.join(tmpdir(), 'citebot-layers-'));
  try {
    const sources = new Map<string, string>();
    for (const file of await listFiles(path.join(repoRoot, 'src'))) sources.set(path.relative(repoRoot, file).split(path.sep).join('/'), await readFile(file, 'utf8'));
    for (const [file, text] of Object.entries(extraFiles)) sources.set(file, text);
    const typeScriptFiles = new Set([...sources.keys()].filter((file) => file.endsWith('.ts')));
    for (const [file, text] of sources) {
      const target = path.join(mirror, file.endsWith('.ts') ? file.replace(/\.ts$/, '.js') : file);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.endsWith('.ts') ? await mirrorTypeScript(text, file) : text.replace(TS_SPECIFIER, '$1$2.js$1'));
    }
    // Libraries resolve as in the repository; package.json says which are dependencies.
    await symlink(path.join(repoRoot, 'node_modules'), path.join(mirror, 'node_modules'), 'dir');
    await copyFile(path.join(repoRoot, 'package.json'), path.join(mirror, 'package.json'));

    const result = await cruise(['src'], { ...config.options, baseDir: mirror, validate: true, ruleSet: { forbidden: config.forbidden }, outputType: 'json' });
    const cruised = JSON.parse(String(result.output)) as ICruiseResult;
    const comments = new Map(config.forbidden.map((rule) => [rule.name, rule.comment ?? '']));
    const all = cruised.summary.violations.map((violation) => ({
      rule: violation.rule.name,
      from: originalPath(violation.from, typeScriptFiles),
      to: originalPath(violation.to, typeScriptFiles),
      comment: comments.get(violation.rule.name) ?? '',
    }));
    const isKnown = (violation: LayerViolation) => known.some((entry) => entry.rule === violation.rule && entry.from === violation.from && entry.to === violation.to);
    return {
      modules: cruised.summary.totalCruised,
      dependencies: cruised.summary.totalDependenciesCruised ?? 0,
      violations: all.filter((violation) => !isKnown(violation)),
      known: all.filter(isKnown),
      stale: known.filter((entry) => !all.some((violation) => violation.rule === entry.rule && violation.from === entry.from && violation.to === entry.to)),
    };
  } finally {
    await rm(mirror, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const report = await checkLayers(repoRoot);
  for (const violation of report.violations) process.stderr.write(`✘ ${violation.rule}: ${violation.from} → ${violation.to}\n    ${violation.comment}\n`);
  process.stdout.write(
    `${report.violations.length === 0 ? '✔ layering holds' : `✘ ${report.violations.length} layering violation(s)`}: ` +
      `${report.modules} modules, ${report.dependencies} dependencies; ${report.known.length} known exception(s) listed in ${KNOWN_FILE}.\n`,
  );
  for (const entry of report.stale) process.stdout.write(`  note: ${entry.rule}: ${entry.from} → ${entry.to} no longer occurs; delete it from ${KNOWN_FILE}.\n`);
  if (report.violations.length > 0) process.exitCode = 1;
}
