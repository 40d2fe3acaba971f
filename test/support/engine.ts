/**
 * Test support: a real citebot engine (real model, real indexes) over a copy of seeds/ in a
 * temporary folder, so tests never touch the project's embeddings/.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCitebot, type Citebot } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface TestWorkspace {
  /** Plays the project root: holds seeds/ and embeddings/. */
  readonly root: string;
  readonly seedsDir: string;
  readonly config: Config;
  cleanup(): Promise<void>;
}

/** A temporary project root with a copy of the seeds (or no seeds) and the repository's models. */
export async function createWorkspace(options: { copySeeds?: boolean; env?: Record<string, string> } = {}): Promise<TestWorkspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'citebot-test-'));
  const seedsDir = path.join(root, 'seeds');
  if (options.copySeeds ?? true) await cp(path.join(REPO_ROOT, 'seeds'), seedsDir, { recursive: true });
  const config = parseConfig(
    {
      CITEBOT_MODELS_DIR: path.join(REPO_ROOT, 'models'),
      CITEBOT_THREADS: '1',
      ...options.env,
    },
    root,
  );
  return { root, seedsDir, config, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** A real engine over the seeds, and a function that closes it and removes its files. */
export async function createTestEngine(options: { env?: Record<string, string> } = {}): Promise<Citebot & { workspace: TestWorkspace; close(): Promise<void> }> {
  const workspace = await createWorkspace(options);
  const citebot = await openCitebot(workspace.config, { logger: silentLogger });
  return {
    ...citebot,
    workspace,
    close: async () => {
      await citebot.engine.close();
      await workspace.cleanup();
    },
  };
}
