/**
 * Arguments of the entries that take none but `--help`: `npm start`, `npm run start:sharded`,
 * `npm run register`. Anything else is refused with usage help (exit 1) before anything loads.
 */
import { Command } from 'commander';

export interface EntryDescription {
  /** How the user runs it, e.g. `npm start`. */
  readonly usage: string;
  readonly description: string;
  /** Shown after the option list (settings, related commands). */
  readonly details?: string;
}

/** Parses `argv` (process.argv shape); `--help` prints the help and throws commander's exit (code 0) for the entry helper. */
export function parseEntryArguments(argv: readonly string[], entry: EntryDescription, output: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): void {
  const program = new Command(entry.usage)
    .usage('[-- --help]')
    .description(entry.description)
    .helpOption('-h, --help', 'show this help')
    .showHelpAfterError('(add -- --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => output.stdout.write(text), writeErr: (text) => output.stderr.write(text) });
  if (entry.details !== undefined) program.addHelpText('after', `\n${entry.details}`);
  program.parse([...argv]);
}
