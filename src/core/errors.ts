/**
 * The error catalogue. Infrastructure faults and bad input are typed errors with a stable code
 * and a hint that tells the user how to fix it; callers render `message` and `hint`, and log `cause`.
 */

export const ERROR_CATALOGUE = {
  CONFIG_INVALID: 'Fix the listed settings in your environment or .env file (see the README configuration table).',
  CORPUS_MISSING: 'Create the folder and put .txt or .md files in it, or point CITEBOT_SEEDS_DIR at the right folder.',
  CORPUS_EMPTY: 'Add .txt or .md files to the folder, or point CITEBOT_SEEDS_DIR at the right folder.',
  MODEL_MISSING: 'Check CITEBOT_MODEL and CITEBOT_MODELS_DIR, or set CITEBOT_ALLOW_REMOTE_MODELS=true to download the model once.',
  MODEL_UNSUPPORTED: 'Use one of the known models, or set CITEBOT_POOLING (and the query/passage prefixes) for your model.',
  INDEX_MISSING: 'Run `npm run ingest` to build the index.',
  INDEX_CORRUPT: 'The index will be rebuilt by `npm run ingest` (or automatically by `npm start`).',
  INDEX_STALE: 'Run `npm run ingest` to rebuild the index for the current model, settings and documents.',
  QUERY_EMPTY: 'Ask a question with some words in it.',
  QUERY_TOO_LONG: 'Shorten the question.',
  SOURCE_NOT_FOUND: 'Use the file path exactly as a citation shows it (`/sources` and the index summary list them).',
  SOURCE_CHANGED: 'Ask again in a few seconds: the index is being brought up to date, and the citation will then point at the new lines.',
  INDEX_LOCKED: 'Wait for the other ingest to finish (or stop it), then run this again.',
  SOURCE_BAD_RANGE: 'Give a line range like 12-15 (or a single line like 12) inside the file.',
  EMBEDDER_FAILED: 'The embedding worker stopped; restart citebot. If it keeps happening, rebuild the index with `npm run ingest`.',
  DISCORD_UNREACHABLE: 'Check the network connection, and DISCORD_API_URL if you set it (unset it to use discord.com).',
  STATE_UNAVAILABLE: 'Check that CITEBOT_DATA_DIR points at a writable folder on a local disk, and that no other program holds the database open.',
  PERMISSION_REQUIRED: 'Ask a member with the Manage Server permission to run it, or to grant you that permission.',
  DISCORD_TOKEN_INVALID: 'Copy the bot token again from the Discord developer portal (your application → Bot → Reset Token) into DISCORD_TOKEN.',
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error a user can act on: `code` is stable, `message` says what went wrong, `hint` how to fix it. */
export class CitebotError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options?.hint ?? ERROR_CATALOGUE[code];
  }

  override get name(): string {
    return `CitebotError[${this.code}]`;
  }
}

export function isCitebotError(error: unknown): error is CitebotError {
  return error instanceof CitebotError;
}

/**
 * SOURCE_NOT_FOUND for a file that is not indexed, with a hint that shows the shape of a path
 * that works — one of the indexed files (`example`), as citations write it — rather than a
 * made-up one that may not exist in this documents folder.
 */
export function notIndexedError(message: string, example: string | undefined): CitebotError {
  return new CitebotError('SOURCE_NOT_FOUND', message, {
    ...(example === undefined ? {} : { hint: `Use the file path exactly as a citation shows it, e.g. ${example} (\`/sources\` and the index summary list them).` }),
  });
}
