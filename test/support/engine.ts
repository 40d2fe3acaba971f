/**
 * Test support: a citebot engine (real indexes) over a copy of seeds/ in a temporary folder, so
 * tests never touch the project's embeddings/. Each test says which embedder it runs on:
 * `hashed` (test/support/test-embedder.ts, instant; for tests whose subject is not the model) or
 * `model` (the vendored ONNX model in its worker thread; only tests under test/model/).
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCitebot, type Citebot } from '../../src/app.ts';
import { parseConfig, type Config } from '../../src/config/config.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createTestEmbedding } from './test-embedder.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export type TestEmbedderKind = 'hashed' | 'model';

export interface TestWorkspace {
  /** Plays the project root: holds seeds/ and embeddings/. */
  readonly root: string;
  readonly seedsDir: string;
  readonly config: Config;
  /** The environment the config was parsed from (for spawned processes: pass it on). */
  readonly env: Readonly<Record<string, string>>;
  cleanup(): Promise<void>;
}

/** The environment of a workspace: the repository's models (the hashed embedder chunks with the model's tokenizer too) and one ONNX thread. */
export function workspaceEnv(env: Record<string, string> = {}): Record<string, string> {
  return { CITEBOT_MODELS_DIR: path.join(REPO_ROOT, 'models'), CITEBOT_THREADS: '1', ...env };
}

/** A temporary project root with a copy of the seeds (or no seeds). `embedder` says which one the test runs on. */
export async function createWorkspace(options: { embedder: TestEmbedderKind; copySeeds?: boolean; env?: Record<string, string> }): Promise<TestWorkspace> {
  const root = await mkdtemp(path.join(tmpdir(), 'citebot-test-'));
  const seedsDir = path.join(root, 'seeds');
  if (options.copySeeds ?? true) await cp(path.join(REPO_ROOT, 'seeds'), seedsDir, { recursive: true });
  const env = workspaceEnv(options.env);
  const config = parseConfig(env, root);
  return { root, seedsDir, config, env, cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** An engine over the seeds, and a function that closes it and removes its files. */
export async function createTestEngine(options: { embedder: TestEmbedderKind; env?: Record<string, string> }): Promise<Citebot & { workspace: TestWorkspace; close(): Promise<void> }> {
  const workspace = await createWorkspace(options);
  const citebot = await openCitebot(workspace.config, {
    logger: silentLogger,
    ...(options.embedder === 'hashed' ? { embedding: createTestEmbedding() } : {}),
  });
  return {
    ...citebot,
    workspace,
    close: async () => {
      await citebot.engine.close();
      await workspace.cleanup();
    },
  };
}
