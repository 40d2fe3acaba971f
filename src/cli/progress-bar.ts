/** The one adapter over cli-progress: the ingest progress bar, on stderr so stdout stays clean. */
import cliProgress from 'cli-progress';
import type { IngestProgress } from '../index-store/ingest.ts';

const PHASE_LABELS: Record<IngestProgress['phase'], string> = {
  embed: 'Embedding paragraphs',
  index: 'Building vector index',
  save: 'Saving index',
};

const SECONDS_PER_MINUTE = 60;
const MINUTES_PER_HOUR = 60;
const SECONDS_PER_HOUR = SECONDS_PER_MINUTE * MINUTES_PER_HOUR;

/**
 * A duration as `45s`, `2m05s` or `1h07m`, rounded to a multiple of `roundTo` seconds (the ETA
 * uses 5, so that it does not flicker) BEFORE it is split into units: cli-progress's own
 * formatter rounds the seconds part alone and shows 119.6 s as "1m60s". Unknown → `--`. Pure.
 */
export function formatDuration(seconds: unknown, roundTo = 1): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '--';
  const step = Math.max(1, roundTo);
  const total = Math.round(seconds / step) * step;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (total >= SECONDS_PER_HOUR) {
    const minutes = Math.round(total / SECONDS_PER_MINUTE);
    return `${Math.floor(minutes / MINUTES_PER_HOUR)}h${pad(minutes % MINUTES_PER_HOUR)}m`;
  }
  if (total >= SECONDS_PER_MINUTE) return `${Math.floor(total / SECONDS_PER_MINUTE)}m${pad(total % SECONDS_PER_MINUTE)}s`;
  return `${total}s`;
}

/** Returns a progress callback that draws one bar per phase on `stream`, and a function that closes the bar. */
export function createProgressBar(stream: NodeJS.WritableStream = process.stderr): { onProgress: (progress: IngestProgress) => void; stop: () => void } {
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
          stream: stream as NodeJS.WriteStream,
          formatTime: (seconds: number, _options: unknown, roundTo: number) => formatDuration(seconds, roundTo),
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
