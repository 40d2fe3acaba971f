/**
 * The set-up every community end-to-end test shares: a real SQLite database in a fresh temporary
 * folder, the real engine over a copy of seeds/ (hashed test embedder) counting its calls, and
 * the real bot against the Discord emulator. `stop()` undoes all of it, in the order that lets
 * in-flight votes reach the database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CommunityStore } from '../../../src/core/community-store.ts';
import { openSqliteStore } from '../../../src/state/sqlite-store.ts';
import { countingEngine } from './counting-engine.ts';
import { createE2EEngine } from './e2e-engine.ts';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';

export interface CommunityHarness {
  readonly harness: Harness;
  readonly emulator: Harness['emulator'];
  readonly engine: ReturnType<typeof countingEngine>;
  readonly store: CommunityStore;
  /** The data folder the database lives in. */
  readonly dataDir: string;
  stop(): Promise<void>;
}

export interface CommunityHarnessOptions {
  /** Names the temporary folder (`citebot-<name>-…`), so a leftover one says which test left it. */
  readonly name: string;
  readonly emulator?: HarnessOptions['emulator'];
  /** Bot options besides the engine and the store. */
  readonly bot?: Omit<NonNullable<HarnessOptions['bot']>, 'community'>;
}

/** Start the database, the engine and the bot; call `stop()` in `afterAll`. */
export async function startCommunityHarness(options: CommunityHarnessOptions): Promise<CommunityHarness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `citebot-${options.name}-`));
  const store = openSqliteStore({ dataDir });
  let engine: ReturnType<typeof countingEngine> | undefined;
  try {
    engine = countingEngine(await createE2EEngine());
    const harness = await startHarness({
      engine,
      ...(options.emulator === undefined ? {} : { emulator: options.emulator }),
      bot: { ...options.bot, community: store },
    });
    const started = engine;
    return {
      harness,
      emulator: harness.emulator,
      engine: started,
      store,
      dataDir,
      async stop() {
        try {
          await harness.stop();
        } finally {
          await started.close();
          await store.close();
          await rm(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await engine?.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
