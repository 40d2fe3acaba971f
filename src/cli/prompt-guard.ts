/**
 * Keeps log lines from being written over the console prompt. Loggers write to
 * {@link PromptGuard.stream}; while the console waits at its prompt on a terminal, a log line
 * first clears the prompt line, then the prompt is drawn again with whatever the user had typed.
 */
import { clearLine, cursorTo, type Interface } from 'node:readline';
import { Writable } from 'node:stream';

export interface PromptGuard {
  /** Where log lines go (on to the target stream, normally stderr). */
  readonly stream: NodeJS.WritableStream;
  /** The readline interface while it shows a prompt and waits for input; undefined otherwise. */
  setWaitingPrompt(prompt: Interface | undefined): void;
}

/**
 * Log output to `target` that steps around a waiting prompt drawn on `promptOutput` (both are the
 * same terminal when stderr and stdout are, which is the only case where it matters).
 */
export function createPromptGuard(target: NodeJS.WritableStream, promptOutput: NodeJS.WritableStream & { isTTY?: boolean }): PromptGuard {
  let waiting: Interface | undefined;
  const stream = new Writable({
    // Passed straight through and acknowledged at once, so that nothing waits in this stream's
    // buffer when the process exits (stderr itself writes synchronously to a terminal or a pipe).
    write(chunk: Buffer | string, _encoding, done) {
      const prompt = promptOutput.isTTY === true ? waiting : undefined;
      if (prompt !== undefined) {
        clearLine(promptOutput, 0);
        cursorTo(promptOutput, 0);
      }
      target.write(chunk);
      prompt?.prompt(true);
      done();
    },
  });
  return {
    stream,
    setWaitingPrompt(prompt) {
      waiting = prompt;
    },
  };
}
