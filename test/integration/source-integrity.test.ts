/**
 * `/source` quotes only what was indexed (issue 9.3, issue 10.3): a document edited after ingest
 * is refused with "changed after it was indexed; re-indexing now" (and a re-index is requested),
 * and a document swapped for a symbolic link out of the folder (`mv` + `ln -s /etc/passwd`) is
 * never read. Real indexes on the hashed test embedder; the console over the real engine.
 */
import { existsSync } from 'node:fs';
import { readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCitebot, type Citebot } from '../../src/app.ts';
import { runConsole } from '../../src/cli/console.ts';
import { isCitebotError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { createTestEmbedding } from '../support/test-embedder.ts';

const FILE = 'seeds/000_e4409a72bea0ec59.txt';
const PASSWD = '/etc/passwd';

let workspace: TestWorkspace;
let citebot: Citebot;
let requested: string[];

beforeEach(async () => {
  workspace = await createWorkspace({ embedder: 'hashed' });
  requested = [];
  citebot = await openCitebot(workspace.config, { logger: silentLogger, embedding: createTestEmbedding(), onReindexRequest: (file) => requested.push(file) });
});
afterEach(async () => {
  await citebot.engine.close();
  await workspace.cleanup();
});

const absolute = (file: string) => path.join(workspace.root, file);
const sourceError = (file: string, start: number, end: number) => citebot.engine.source(file, start, end).then(() => undefined, (error: unknown) => error);

/** The console over the real engine: `lines` typed, then end of input; everything it printed. */
async function consoleSession(lines: string[]): Promise<string> {
  let text = '';
  const stdout = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  const input = new PassThrough();
  const ended = runConsole(citebot.engine, { stdout, input });
  input.end(lines.map((line) => `${line}\n`).join(''));
  await ended;
  return text;
}

describe('/source quotes only the indexed bytes', () => {
  it('an unchanged document is quoted verbatim and nothing is re-indexed', async () => {
    const lines = (await readFile(absolute(FILE), 'utf8')).split('\n');
    const excerpt = await citebot.engine.source(FILE, 1, 2);
    expect(excerpt.lines).toEqual([{ number: 1, text: lines[0] }, { number: 2, text: lines[1] }]);
    expect(requested).toEqual([]);
  });

  it('two lines inserted at the top: refused as changed, a re-index is requested, no other lines shown', async () => {
    const original = await readFile(absolute(FILE), 'utf8');
    await writeFile(absolute(FILE), `inserted line one\ninserted line two\n${original}`);
    const error = await sourceError(FILE, 1, 2);
    expect(isCitebotError(error) && error.code).toBe('SOURCE_CHANGED');
    expect((error as Error).message).toBe(`${FILE} changed after it was indexed; re-indexing now.`);
    expect(requested).toEqual([FILE]);
    const output = await consoleSession([`/source ${FILE}:1-2`]);
    expect(output).toContain('changed after it was indexed; re-indexing now');
    expect(output).not.toContain('inserted line');
  });

  it('a one-byte edit that keeps every line count is still refused', async () => {
    const original = await readFile(absolute(FILE), 'utf8');
    await writeFile(absolute(FILE), original.replace(/[a-z]/, (letter) => letter.toUpperCase()));
    const error = await sourceError(FILE, 1, 1);
    expect(isCitebotError(error) && error.code).toBe('SOURCE_CHANGED');
  });

  it.runIf(existsSync(PASSWD))('mv + ln -s /etc/passwd: never shows /etc/passwd (engine and console)', async () => {
    const passwd = await readFile(PASSWD, 'utf8');
    const firstPasswdLine = passwd.split('\n')[0] ?? '';
    expect(firstPasswdLine.length).toBeGreaterThan(0);
    await rename(absolute(FILE), path.join(workspace.root, 'moved.txt'));
    await symlink(PASSWD, absolute(FILE));
    const error = await sourceError(FILE, 1, 3);
    expect(isCitebotError(error) && error.code).toBe('SOURCE_NOT_FOUND');
    expect(String((error as Error).message)).not.toContain(firstPasswdLine);
    expect(requested).toEqual([FILE]);
    const output = await consoleSession([`/source ${FILE}:1-3`]);
    expect(output).toContain('now points outside the documents folder');
    expect(output).not.toContain(firstPasswdLine);
  });

  it('a link to a file inside the folder with other bytes is refused as changed', async () => {
    const other = 'seeds/001_8140afa543bea040.txt';
    await rename(absolute(FILE), path.join(workspace.root, 'moved.txt'));
    await symlink(absolute(other), absolute(FILE));
    const error = await sourceError(FILE, 1, 1);
    expect(isCitebotError(error) && error.code).toBe('SOURCE_CHANGED');
  });

  it('a deleted document is refused, and a re-index requested', async () => {
    await rename(absolute(FILE), path.join(workspace.root, 'moved.txt'));
    const error = await sourceError(FILE, 1, 1);
    expect(isCitebotError(error) && error.code).toBe('SOURCE_NOT_FOUND');
    expect((error as Error).message).toContain('cannot be read any more');
    expect(requested).toEqual([FILE]);
  });

  it('a path that climbs out of the folder is not an indexed document', async () => {
    const error = await sourceError('seeds/../../../etc/passwd', 1, 1);
    expect(isCitebotError(error) && error.code).toBe('SOURCE_NOT_FOUND');
  });
});
