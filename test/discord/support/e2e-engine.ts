/**
 * The engine the Discord end-to-end tests that assert citations run against: the real engine and
 * indexes over a temporary copy of seeds/ (test/support/engine.ts), on the hashed test embedder —
 * the bot's behaviour is the subject, not the model's (test/model/ covers that).
 *
 * The tests only assume what any correct engine guarantees: citations point at real line
 * spans of files in seeds/ whose text is the quoted passage, and an off-topic question abstains.
 */
import type { Engine } from '../../../src/core/types.ts';
import { createTestEngine } from '../../support/engine.ts';

/** `close()` also removes the temporary workspace. */
export async function createE2EEngine(): Promise<Engine> {
  const real = await createTestEngine({ embedder: 'hashed' });
  return {
    search: (query, options) => real.engine.search(query, options),
    source: (file, start, end) => real.engine.source(file, start, end),
    summary: () => real.engine.summary(),
    close: () => real.close(),
  };
}
