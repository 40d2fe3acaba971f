import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { citedPath, loadDocuments } from '../../src/corpus/load-documents.ts';
import { CitebotError } from '../../src/core/errors.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citebot-load-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const write = async (relative: string, data: string | Uint8Array) => {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, data);
};

describe('loadDocuments', () => {
  it('loads .txt and .md recursively in a stable order, cited relative to the root', async () => {
    await write('docs/b.md', '# B\n');
    await write('docs/a.txt', 'A\n');
    await write('docs/sub/c.txt', 'C\n');
    await write('docs/ignored.pdf', 'not a document type we read');
    await write('docs/.hidden.txt', 'editor swap files and the like');
    const { documents, skipped } = await loadDocuments(path.join(root, 'docs'), root);
    expect(documents.map((d) => d.file)).toEqual(['docs/a.txt', 'docs/b.md', 'docs/sub/c.txt']);
    expect(skipped).toEqual([]);
    expect(documents[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('skips invalid UTF-8 and binary files with a reason naming the file', async () => {
    await write('docs/good.txt', 'fine\n');
    await write('docs/latin1.txt', Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x0a])); // "café" in Latin-1
    await write('docs/image.txt', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const { documents, skipped } = await loadDocuments(path.join(root, 'docs'), root);
    expect(documents.map((d) => d.file)).toEqual(['docs/good.txt']);
    expect(skipped).toEqual([
      { file: 'docs/image.txt', reason: 'binary file: a NUL byte at byte offset 4 (line 1); remove it if this is text' },
      { file: 'docs/latin1.txt', reason: 'not valid UTF-8 text' },
    ]);
  });

  it('names the offset and line of the first NUL byte of a long text file', async () => {
    const text = 'line one\nline two\nline three\n';
    await write('docs/fine.txt', 'fine\n');
    await write('docs/stray.txt', Buffer.concat([Buffer.from(text.repeat(1000)), Buffer.from([0x00]), Buffer.from(text)]));
    const { skipped } = await loadDocuments(path.join(root, 'docs'), root);
    expect(skipped).toEqual([
      { file: 'docs/stray.txt', reason: `binary file: a NUL byte at byte offset ${text.length * 1000} (line 3001); remove it if this is text` },
    ]);
  });

  it('keeps a BOM file readable (the chunker drops the BOM)', async () => {
    await write('docs/bom.txt', '\uFEFFHello\n');
    const { documents } = await loadDocuments(path.join(root, 'docs'), root);
    expect(documents[0]?.text).toBe('\uFEFFHello\n');
  });

  it('a missing folder is a CORPUS_MISSING error naming it', async () => {
    const folder = path.join(root, 'nope');
    const error = await loadDocuments(folder, root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CitebotError);
    expect(error).toMatchObject({ code: 'CORPUS_MISSING' });
    expect((error as Error).message).toContain(folder);
  });

  it('a folder without documents is a CORPUS_EMPTY error naming it', async () => {
    await write('docs/notes.pdf', 'x');
    const error = await loadDocuments(path.join(root, 'docs'), root).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'CORPUS_EMPTY' });
    expect((error as Error).message).toContain(path.join(root, 'docs'));
  });

  it('a folder of only unreadable files says they were skipped', async () => {
    await write('docs/bin.txt', Uint8Array.from([0, 1, 2]));
    const error = await loadDocuments(path.join(root, 'docs'), root).catch((e: unknown) => e);
    expect((error as Error).message).toContain('1 file(s) skipped');
  });
});

describe('citedPath', () => {
  it('is relative with forward slashes inside the root, absolute outside it', () => {
    expect(citedPath('/project', '/project/seeds/a.txt')).toBe('seeds/a.txt');
    expect(citedPath('/project', '/elsewhere/a.txt')).toBe('/elsewhere/a.txt');
  });
});
