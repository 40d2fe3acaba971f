/**
 * Symbolic links in the documents folder (issue 10.6): followed only when they resolve inside the
 * folder, never looping; a file or folder reached twice is indexed once, under its real path; and
 * every link left out is listed under `skipped` with its reason (they used to vanish silently).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadDocuments } from '../../src/corpus/load-documents.ts';

let root: string;
let docs: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citebot-links-'));
  docs = path.join(root, 'docs');
  await mkdir(path.join(docs, 'guide'), { recursive: true });
  await writeFile(path.join(docs, 'guide', 'start.md'), '# Start\n\nInstall it.\n');
  await writeFile(path.join(docs, 'notes.markdown'), 'Notes kept under another extension.\n');
  await writeFile(path.join(root, 'outside.txt'), 'A file next to the documents folder, not in it.\n');
  await mkdir(path.join(root, 'elsewhere'));
  await writeFile(path.join(root, 'elsewhere', 'secret.md'), 'Not for the bot.\n');
});
afterEach(() => rm(root, { recursive: true, force: true }));

const load = async () => {
  const { documents, skipped } = await loadDocuments(docs, root);
  return { files: documents.map((document) => document.file), skipped };
};

describe('symbolic links', () => {
  it('a link to a file inside the folder that is not otherwise a document is followed and cited by the link', async () => {
    await symlink(path.join(docs, 'notes.markdown'), path.join(docs, 'notes.md'));
    const { files, skipped } = await load();
    expect(files).toEqual(['docs/guide/start.md', 'docs/notes.md']);
    expect(skipped).toEqual([]);
  });

  it('a second path to an indexed file or folder is indexed once, under the real path, and the link reported', async () => {
    await symlink(path.join(docs, 'guide', 'start.md'), path.join(docs, '0-latest.md'));
    await symlink(path.join(docs, 'guide'), path.join(docs, '0-alias'));
    const { files, skipped } = await load();
    expect(files).toEqual(['docs/guide/start.md']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { file: '0-alias/', reason: 'folder already indexed as guide/ (symbolic link loop or second path)' },
        { file: '0-latest.md', reason: 'same file as guide/start.md (symbolic link)' },
      ]),
    );
    expect(skipped).toHaveLength(2);
  });

  it('links out of the folder (a file, a folder, /etc/passwd) are not followed, each reported', async () => {
    await symlink(path.join(root, 'outside.txt'), path.join(docs, 'outside.txt'));
    await symlink(path.join(root, 'elsewhere'), path.join(docs, 'elsewhere'));
    if (existsSync('/etc/passwd')) await symlink('/etc/passwd', path.join(docs, 'passwd.txt'));
    const { files, skipped } = await load();
    expect(files).toEqual(['docs/guide/start.md']);
    const outside = 'symbolic link to a path outside the documents folder';
    expect(skipped).toEqual(
      expect.arrayContaining([
        { file: 'elsewhere/', reason: outside },
        { file: 'outside.txt', reason: outside },
        ...(existsSync('/etc/passwd') ? [{ file: 'passwd.txt', reason: outside }] : []),
      ]),
    );
  });

  it('a link loop (a folder linking to its parent, two links to each other) ends, and is reported', async () => {
    await symlink(docs, path.join(docs, 'guide', 'up'));
    await symlink(path.join(docs, 'b.md'), path.join(docs, 'a.md'));
    await symlink(path.join(docs, 'a.md'), path.join(docs, 'b.md'));
    const { files, skipped } = await load();
    expect(files).toEqual(['docs/guide/start.md']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { file: 'guide/up/', reason: 'folder already indexed as ./ (symbolic link loop or second path)' },
        { file: 'a.md', reason: 'symbolic link to nothing (broken link, or a link loop)' },
        { file: 'b.md', reason: 'symbolic link to nothing (broken link, or a link loop)' },
      ]),
    );
  });

  it('a broken link is reported; a link to a hidden folder inside is a second path to it', async () => {
    await symlink(path.join(docs, 'missing.md'), path.join(docs, 'gone.md'));
    await mkdir(path.join(docs, '.drafts'));
    await writeFile(path.join(docs, '.drafts', 'draft.md'), 'A draft.\n');
    await symlink(path.join(docs, '.drafts'), path.join(docs, 'drafts'));
    const { files, skipped } = await load();
    // .drafts/ is walked as a folder (only hidden files are skipped), so the link is a second path to it.
    expect(files).toEqual(['docs/.drafts/draft.md', 'docs/guide/start.md']);
    expect(skipped).toEqual(
      expect.arrayContaining([
        { file: 'gone.md', reason: 'symbolic link to nothing (broken link, or a link loop)' },
        { file: 'drafts/', reason: 'folder already indexed as .drafts/ (symbolic link loop or second path)' },
      ]),
    );
  });
});
