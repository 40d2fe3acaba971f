/**
 * What `npm start` (console and bot) and the sharded bot's manager say about live updates of the
 * index: always a log line; in the console also a line of text between the answers.
 */
import type { FollowHandlers } from '../app.ts';
import type { Logger } from '../core/logger.ts';
import type { IngestReport } from '../index-store/ingest.ts';
import { countOf } from './plural.ts';

const listed = (files: readonly string[]) => files.join(', ');

/** One line saying what changed in the documents and what the index did about it. Pure. */
export function describeLiveUpdate(report: IngestReport): string {
  const parts = [
    report.added.length > 0 ? `added ${listed(report.added)}` : undefined,
    report.changed.length > 0 ? `changed ${listed(report.changed)}` : undefined,
    report.removed.length > 0 ? `removed ${listed(report.removed)}` : undefined,
  ].filter((part): part is string => part !== undefined);
  return (
    `Documents updated: ${parts.join('; ')} — ${countOf(report.embedded, 'passage')} embedded, ` +
    `searchable after ${report.searchableSeconds.toFixed(1)} s (${report.update === 'in-place' ? 'updated in place' : 'index rebuilt'}).`
  );
}

/** Handlers that log every live update (and, given `print`, print changes for a person watching). */
export function liveUpdateHandlers(logger: Logger, print?: (line: string) => void): FollowHandlers {
  return {
    onUpdate(report) {
      if (report.upToDate) return;
      logger.info(
        {
          added: report.added,
          changed: report.changed,
          removed: report.removed,
          embedded: report.embedded,
          update: report.update,
          searchableSeconds: report.searchableSeconds,
          seconds: report.seconds,
        },
        'documents updated',
      );
      for (const skipped of report.skipped) logger.warn({ ...skipped }, `skipped ${skipped.file}: ${skipped.reason}`);
      print?.(describeLiveUpdate(report));
    },
    onReload(summary) {
      logger.info(summary, 'switched to the updated index');
    },
    onError(error) {
      logger.error({ err: error }, 'updating the index failed; still answering from the previous one');
      print?.(`Updating the index failed (${error instanceof Error ? error.message : String(error)}); still answering from the previous one.`);
    },
  };
}
