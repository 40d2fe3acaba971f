/**
 * The live-update rows of `npm run bench` (issue 9, points 2 and 5): one changed file of ~20
 * paragraphs in an index of N passages — time until searchable, that file's embedding time alone,
 * the longest event-loop stall during the update — and peak RSS while ingesting against RSS with
 * the index loaded. Each size runs in fresh child processes (bench/children/live-update.ts), so
 * the RSS numbers are that size's own.
 */
import path from 'node:path';
import { runChild } from './child-process.ts';

export interface LiveUpdateRun {
  /** 'model': the changed file embedded by the model in its worker, as the bot runs; 'stand-in': instantly (the index work alone). */
  readonly embedder: 'model' | 'stand-in';
  readonly update: string;
  readonly embedded: number;
  /** From the start of the ingest until the updated index can answer. */
  readonly searchableSeconds: number;
  /** Until the new generation is saved too. */
  readonly savedSeconds: number;
  /** The ingest's own embedding time. */
  readonly ingestEmbedSeconds: number;
  /** The model embedding that file's passages alone (warm). */
  readonly embedSeconds: number;
  readonly maxStallMs: number;
  /** The phase(s) of the ingest the longest stall spanned. */
  readonly maxStallPhase: string;
}

export interface LiveUpdateResult {
  readonly passages: number;
  readonly buildSeconds: number;
  /** What embedded the bulk of the index when it was built (and so ran during the peak RSS): 'stand-in' unless `--live-build-model`. Absent in results before 2026-12-02 07:30 (stand-in). */
  readonly buildEmbedder?: 'model' | 'stand-in';
  readonly updates: readonly LiveUpdateRun[];
  readonly peakRssIngest: number;
  readonly rssLoaded: number;
}

export async function measureLiveUpdate(repoRoot: string, corpusFile: string, size: number, workDir: string, buildEmbedder: 'model' | 'stand-in' = 'stand-in'): Promise<LiveUpdateResult> {
  const script = path.join(repoRoot, 'bench', 'children', 'live-update.ts');
  const child = { cwd: repoRoot, nodeFlags: ['--expose-gc'] };
  await runChild<{ written: number }>(script, ['write', repoRoot, workDir, corpusFile, String(size)], child);
  const built = await runChild<{ paragraphs: number; buildSeconds: number; buildEmbedder: 'model' | 'stand-in'; peakRssIngest: number; updates: LiveUpdateRun[] }>(
    script,
    ['build-update', repoRoot, workDir, ...(buildEmbedder === 'model' ? ['model'] : [])],
    child,
  );
  const loaded = await runChild<{ rssLoaded: number }>(script, ['loaded', repoRoot, workDir], child);
  return { passages: built.paragraphs, buildSeconds: built.buildSeconds, buildEmbedder: built.buildEmbedder, updates: built.updates, peakRssIngest: built.peakRssIngest, rssLoaded: loaded.rssLoaded };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** The rows as a Markdown table: medians over the runs, the longest stall of any run. */
export function renderLiveUpdates(results: readonly LiveUpdateResult[]): string {
  const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MB`;
  const seconds = (runs: readonly LiveUpdateRun[], pick: (run: LiveUpdateRun) => number) => `${median(runs.map(pick)).toFixed(2)} s`;
  const stall = (runs: readonly LiveUpdateRun[]) => {
    const worst = [...runs].sort((a, b) => b.maxStallMs - a.maxStallMs)[0];
    return worst === undefined ? '—' : `${worst.maxStallMs.toFixed(0)} ms (${worst.maxStallPhase})`;
  };
  return [
    '| index | searchable after, with the model | of which embedding | that file embedded alone | saved after | longest stall | index work alone (stand-in embedder): searchable / saved / longest stall | peak RSS ingest / loaded |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map((result) => {
      const model = result.updates.filter((run) => run.embedder === 'model');
      const alone = result.updates.filter((run) => run.embedder === 'stand-in');
      return (
        `| ${result.passages.toLocaleString('en')} passages, ${model[0]?.embedded ?? 0} changed (${[...new Set(result.updates.map((run) => run.update))].join(', ')}) ` +
        `| ${seconds(model, (run) => run.searchableSeconds)} | ${seconds(model, (run) => run.ingestEmbedSeconds)} | ${seconds(model, (run) => run.embedSeconds)} | ${seconds(model, (run) => run.savedSeconds)} | ${stall(model)} ` +
        `| ${seconds(alone, (run) => run.searchableSeconds)} / ${seconds(alone, (run) => run.savedSeconds)} / ${stall(alone)} ` +
        `| ${mb(result.peakRssIngest)} / ${mb(result.rssLoaded)} (${(result.peakRssIngest / result.rssLoaded).toFixed(2)}×; built with the ${result.buildEmbedder === 'model' ? 'model' : 'stand-in'}) |`
      );
    }),
  ].join('\n');
}
