/**
 * `npm run bench:summary [-- files…]`: the tables of several `npm run bench` runs (default: every
 * file in bench/results/), each cell the median with the range of the runs in brackets.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMachine, renderPerformance, renderQuality } from './report.ts';
import type { BenchResult } from './results-schema.ts';

const resultsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const args = process.argv.slice(2);
const files = args.length > 0 ? args : (await readdir(resultsDir)).filter((name) => name.endsWith('.json')).map((name) => path.join(resultsDir, name));
const runs: BenchResult[] = [];
for (const file of files.sort()) runs.push(JSON.parse(await readFile(file, 'utf8')) as BenchResult);
const latest = runs.at(-1);
if (latest === undefined) {
  process.stderr.write('No results: run `npm run bench` first.\n');
  process.exitCode = 1;
} else {
  const quality = renderQuality(runs);
  process.stdout.write(
    [
      `${runs.length} run(s), ${runs[0]?.date.slice(0, 10)} – ${latest.date.slice(0, 10)}; cells: median (min–max).`,
      renderMachine(latest),
      '',
      renderPerformance(runs),
      ...(quality === undefined ? [] : ['', quality]),
      '',
    ].join('\n'),
  );
}
