/** The one adapter over cli-progress: the ingest progress bar, on stderr so stdout stays clean. */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../index-store/ingest.ts';

const PHASE_LABELS: Record<IngestProgress['phase'], string> = {
  embed: 'Embedding paragraphs',
  index: 'Building vector index',
  save: 'Saving index',
};

/** Returns a progress callback that draws one bar per phase, and a function that closes the bar. */
export function createProgressBar(): { onProgress: (progress: IngestProgress) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let phase: IngestProgress['phase'] | undefined;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  const onProgress = (progress: IngestProgress) => {
    if (progress.phase !== phase) {
      stop();
      phase = progress.phase;
      bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          format: `${PHASE_LABELS[progress.phase].padEnd(22)} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          // Without a TTY (CI logs), print a line every few seconds instead of redrawing.
          noTTYOutput: true,
          notTTYSchedule: 5000,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(progress.total, progress.done);
    } else {
      bar?.update(progress.done);
    }
    if (progress.done >= progress.total) stop();
  };
  return { onProgress, stop };
}
