/**
 * The interactive console (`npm start` without DISCORD_TOKEN): a line is a question, unless it
 * starts with a slash command (`/help`, `/sources`, `/source FILE:LINES`, `/quit`; any case).
 * An unknown command is refused with the list instead of being searched as a question; a line
 * like `/etc/hosts is what?` (a path, not a command word) is still a question.
 */
import { createInterface } from 'node:readline/promises';
import { renderAnswer, renderExcerpt } from '../answer/render-terminal.ts';
import { isCitebotError } from '../core/errors.ts';
import type { Engine, IndexSummary } from '../core/types.ts';
import { parseSourceReference, checkSourceRange } from './source-reference.ts';
import { countOf } from './plural.ts';
import type { PromptGuard } from './prompt-guard.ts';

/** The console's commands, in the order /help lists them. */
export const CONSOLE_COMMANDS = [
  { name: 'help', aliases: [], usage: '/help', description: 'show these commands' },
  { name: 'sources', aliases: [], usage: '/sources', description: 'list the indexed documents' },
  { name: 'source', aliases: [], usage: '/source FILE:LINES', description: 'print lines of a document verbatim (as cited: /source seeds/a.txt:24-26)' },
  { name: 'quit', aliases: ['exit'], usage: '/quit', description: 'leave (also /exit, Ctrl-D or Ctrl-C)' },
] as const;

export type ConsoleCommandName = (typeof CONSOLE_COMMANDS)[number]['name'];

export type ConsoleInput =
  | { readonly kind: 'nothing' }
  | { readonly kind: 'question'; readonly text: string }
  | { readonly kind: 'command'; readonly name: ConsoleCommandName; readonly argument: string }
  | { readonly kind: 'unknown-command'; readonly name: string };

/** `/word` or `/word argument…`; a second slash right after the word (`/etc/hosts`) makes it a path, not a command. */
const COMMAND_LINE = /^\/([a-z][\w-]*)(?:\s+([\s\S]*))?$/i;

/** What a console line asks for. Pure. */
export function parseConsoleLine(raw: string): ConsoleInput {
  const line = raw.trim();
  if (line === '') return { kind: 'nothing' };
  const match = COMMAND_LINE.exec(line);
  if (match?.[1] === undefined) return { kind: 'question', text: line };
  const word = match[1].toLowerCase();
  const command = CONSOLE_COMMANDS.find((candidate) => candidate.name === word || (candidate.aliases as readonly string[]).includes(word));
  if (command === undefined) return { kind: 'unknown-command', name: `/${match[1]}` };
  return { kind: 'command', name: command.name, argument: (match[2] ?? '').trim() };
}

export function renderConsoleHelp(): string {
  const width = Math.max(...CONSOLE_COMMANDS.map((command) => command.usage.length));
  return [
    'Type a question to get the lines that answer it, with citations. Commands:',
    ...CONSOLE_COMMANDS.map((command) => `  ${command.usage.padEnd(width)}  ${command.description}`),
  ].join('\n');
}

function renderSources(summary: IndexSummary): string {
  return summary.documents.map((d) => `${d.file}  (${countOf(d.paragraphs, 'paragraph')}, ${countOf(d.lines, 'line')})`).join('\n');
}

function sourceUsage(summary: IndexSummary): string {
  const example = summary.documents[0];
  const lines = example === undefined ? '' : `, e.g. /source ${example.file}:1-${Math.min(example.lines, 3)}`;
  return `Usage: /source FILE:LINES${lines} (see /sources for the files).`;
}

/** How the console session ended: /quit, end of input (Ctrl-D, a closed pipe), or Ctrl-C on a terminal. */
export type ConsoleEnd = 'quit' | 'end-of-input' | 'interrupted';

export interface ConsoleOptions {
  readonly stdout: NodeJS.WritableStream;
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Log lines step around the prompt while it waits. */
  readonly promptGuard?: PromptGuard;
}

/** Answers one line; resolves false when the user asked to leave. */
async function handleLine(input: ConsoleInput, engine: Engine, summary: IndexSummary, write: (text: string) => void): Promise<boolean> {
  switch (input.kind) {
    case 'nothing':
      return true;
    case 'question':
      write(renderAnswer(await engine.search(input.text), { ansi: process.stdout.isTTY === true }));
      return true;
    case 'unknown-command':
      write(`Unknown command ${input.name}. The commands are ${CONSOLE_COMMANDS.map((command) => command.usage).join(', ')}; anything else is asked as a question.`);
      return true;
    case 'command':
      switch (input.name) {
        case 'quit':
          return false;
        case 'help':
          write(renderConsoleHelp());
          return true;
        case 'sources':
          write(renderSources(summary));
          return true;
        case 'source': {
          if (input.argument === '') {
            write(sourceUsage(summary));
            return true;
          }
          const reference = parseSourceReference(input.argument);
          checkSourceRange(reference, summary);
          write(renderExcerpt(await engine.source(reference.file, reference.startLine, reference.endLine)));
          return true;
        }
      }
  }
}

/** Runs the interactive console until the user quits, input ends, or Ctrl-C. */
export async function runConsole(engine: Engine, options: ConsoleOptions): Promise<ConsoleEnd> {
  const out = options.stdout;
  const summary = engine.summary();
  out.write(
    `citebot — ${countOf(summary.documents.length, 'document')}, ${countOf(summary.paragraphs, 'paragraph')} indexed (model ${summary.modelId}).\n` +
      'Ask a question, or type /help for the commands.\n' +
      'To run the Discord bot instead, set DISCORD_TOKEN (see README, "Discord bot").\n\n',
  );
  const terminal = createInterface({ input: options.input, output: out, terminal: options.input.isTTY === true });
  let end: ConsoleEnd = 'end-of-input';
  // On a terminal readline turns Ctrl-C into this event (the process gets no SIGINT).
  terminal.on('SIGINT', () => {
    end = 'interrupted';
    terminal.close();
  });
  const waitForInput = () => {
    terminal.prompt();
    options.promptGuard?.setWaitingPrompt(terminal);
  };
  terminal.setPrompt('citebot> ');
  waitForInput();
  try {
    for await (const line of terminal) {
      options.promptGuard?.setWaitingPrompt(undefined);
      const input = parseConsoleLine(line);
      try {
        if (!(await handleLine(input, engine, summary, (text) => out.write(`${text}\n`)))) {
          end = 'quit';
          break;
        }
      } catch (error) {
        if (!isCitebotError(error)) throw error;
        out.write(`${error.message}\n${error.hint}\n`);
      }
      if (input.kind !== 'nothing') out.write('\n');
      waitForInput();
    }
  } finally {
    options.promptGuard?.setWaitingPrompt(undefined);
    terminal.close();
  }
  return end;
}
