/**
 * `/source` on Discord (emulated) quotes only what was indexed (issue 9.3, issue 10.3): after lines
 * are inserted at the top of a cited file it says the document changed and is being re-indexed
 * instead of showing other lines; after `mv` + `ln -s /etc/passwd` it never shows /etc/passwd.
 * Real bot, real engine over a temporary copy of seeds/ on the hashed test embedder.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCitebot } from '../../src/app.ts';
import type { Engine } from '../../src/core/types.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';
import { startHarness, type Harness } from './support/harness.ts';

const CHANGED = 'seeds/001_8140afa543bea040.txt';
const SWAPPED = 'seeds/000_e4409a72bea0ec59.txt';

describe('/source on Discord after the file changed under the running bot', () => {
  let workspace: TestWorkspace;
  let engine: Engine;
  let harness: Harness;
  const requested: string[] = [];

  beforeAll(async () => {
    workspace = await createWorkspace({ embedder: 'hashed' });
    ({ engine } = await openCitebot(workspace.config, { logger: silentLogger, embedding: createTestEmbedding(), onReindexRequest: (file) => requested.push(file) }));
    harness = await startHarness({ engine });
  }, 120_000);
  afterAll(async () => {
    await harness?.stop();
    await engine?.close();
    await workspace?.cleanup();
  });

  const replyText = (reply: { content?: string; embeds?: { title?: string; description?: string }[] }) =>
    [reply.content ?? '', ...(reply.embeds ?? []).flatMap((embed) => [embed.title ?? '', embed.description ?? ''])].join('\n');

  it('3 lines inserted at the top: "changed after it was indexed; re-indexing now", not other lines', async () => {
    const file = path.join(workspace.root, CHANGED);
    const before = await harness.emulator.slash('source', { file: CHANGED, lines: '5-5' }).reply();
    const original = await readFile(file, 'utf8');
    expect(replyText(before)).toContain(original.split('\n')[4]);
    await writeFile(file, `first inserted\nsecond inserted\nthird inserted\n${original}`);
    const reply = await harness.emulator.slash('source', { file: CHANGED, lines: '5-5' }).reply();
    const text = replyText(reply);
    expect(text).toContain('changed after it was indexed; re-indexing now');
    expect(text).not.toContain('inserted');
    expect(text).not.toContain('│');
    expect(requested).toContain(CHANGED);
  });

  it.runIf(existsSync('/etc/passwd'))('mv + ln -s /etc/passwd: /etc/passwd is never shown', async () => {
    const firstPasswdLine = (await readFile('/etc/passwd', 'utf8')).split('\n')[0] ?? '';
    await rename(path.join(workspace.root, SWAPPED), path.join(workspace.root, 'moved.txt'));
    await symlink('/etc/passwd', path.join(workspace.root, SWAPPED));
    const reply = await harness.emulator.slash('source', { file: SWAPPED, lines: '1-3' }).reply();
    const text = replyText(reply);
    expect(text).toContain('now points outside the documents folder');
    expect(text).not.toContain(firstPasswdLine);
    expect(text).not.toMatch(/root:x?:0:0/);
  });
});
