/**
 * `npm run report -- [--days 30] [--guild <id>] [--csv]`: what `/citebot report` shows, from the
 * command line, read-only from the community database in CITEBOT_DATA_DIR (safe while the bot runs:
 * WAL lets a reader in next to the writer).
 */
import { Command, InvalidArgumentError } from 'commander';
import { openCommunityStore } from '../app.ts';
import { buildReport, reportCsv, reportSince, reportText } from '../community/report.ts';
import { loadConfig } from '../config/config.ts';
import { runEntry } from './entry.ts';

/** Same range and default as `/citebot report days:`. */
const DAYS = { min: 1, max: 365, fallback: 30 } as const;

function parseDays(raw: string): number {
  const days = Number(raw);
  if (!Number.isInteger(days) || days < DAYS.min || days > DAYS.max) throw new InvalidArgumentError(`give a whole number of days from ${DAYS.min} to ${DAYS.max}`);
  return days;
}

await runEntry(async () => {
  const program = new Command('npm run report')
    .description("What citebot could not answer: per server, the most frequent abstained questions (near-duplicates grouped), answers voted Not helpful with their citations, and the helpful rate.")
    .option('--days <n>', `how many days back (${DAYS.min}-${DAYS.max})`, parseDays, DAYS.fallback)
    .option('--guild <id>', 'only this server (default: every server in the database)')
    .option('--csv', 'print CSV (the /citebot report attachment) instead of text')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .showHelpAfterError('(add -- --help for usage)');
  program.parse(process.argv);
  const options = program.opts<{ days: number; guild?: string; csv?: boolean }>();
  const config = loadConfig();
  const store = openCommunityStore(config, { readOnly: true });
  try {
    const now = Date.now();
    const guilds = options.guild === undefined ? await store.guilds() : [options.guild];
    if (guilds.length === 0) process.stderr.write('No questions are stored yet.\n');
    for (const [i, guildId] of guilds.entries()) {
      const report = buildReport(await store.answersSince(guildId, reportSince(now, options.days)), { guildId, days: options.days, now });
      if (options.csv === true) {
        // One header for all servers would hide which row is whose: a CSV per server, separated by a blank line.
        process.stdout.write(`${i > 0 ? '\n' : ''}${reportCsv(report)}`);
      } else {
        process.stdout.write(`${i > 0 ? '\n' : ''}${reportText(report)}`);
      }
    }
  } finally {
    await store.close();
  }
});
