/** `npm run report` as a process, over a database written through the store. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/state/sqlite-store.ts';
import { spawnEntry, STACK_LINE } from '../support/spawn.ts';

const GUILD = '300000000000000001';
const DAY = 24 * 60 * 60 * 1000;
let root: string;

async function run(args: string[], env: Record<string, string> = {}) {
  const spawned = spawnEntry('src/cli/report.ts', args, { cwd: root, env: { CITEBOT_DATA_DIR: 'state', ...env } });
  const code = await spawned.exited;
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'citebot-report-cli-'));
  const store = openSqliteStore({ dataDir: path.join(root, 'state') });
  const now = Date.now();
  const base = { guildId: GUILD, channelId: 'c', userId: 'u', public: true, citations: [] as string[] };
  await store.recordAnswer({ ...base, id: 'a', question: 'Is there a dark mode?', abstained: true, createdAt: now - DAY });
  await store.recordAnswer({ ...base, id: 'b', question: 'is there a dark mode', abstained: true, createdAt: now - 2 * DAY });
  await store.recordAnswer({ ...base, id: 'old', question: 'Ancient question?', abstained: true, createdAt: now - 40 * DAY });
  await store.recordAnswer({ ...base, id: 'c', question: 'How do I log in?', abstained: false, citations: ['docs/login.md:L3-L9'], createdAt: now - DAY });
  await store.recordVote({ answerId: 'c', userId: 'v1', helpful: false, votedAt: now });
  await store.close();
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('npm run report', () => {
  it('prints each server’s report for the last 30 days by default', async () => {
    const { code, stdout } = await run([]);
    expect(code).toBe(0);
    expect(stdout).toContain(`citebot report for server ${GUILD}: last 30 days`);
    expect(stdout).toContain('3 questions, 2 not answered by the sources; helpful rate 0% (0 of 1 vote helpful)');
    expect(stdout).toMatch(/ {4}2× Is there a dark mode\? {2}\(\+1 similar wording\)/);
    expect(stdout).toMatch(/1 not helpful \/ 0 helpful: How do I log in\?\n\s+docs\/login\.md:L3-L9/);
    expect(stdout).not.toContain('Ancient question');
  });

  it('reaches further back with --days, and prints CSV with --csv', async () => {
    const { code, stdout } = await run(['--days', '60', '--csv', '--guild', GUILD]);
    expect(code).toBe(0);
    const rows = stdout.trimEnd().split('\r\n');
    expect(rows[0]).toMatch(/^section,count,question/);
    expect(rows.filter((r) => r.startsWith('unanswered,'))).toHaveLength(2);
    expect(stdout).toContain('Ancient question?');
  });

  it('says what to do when there is no database yet, without a stack trace', async () => {
    const { code, stderr } = await run([], { CITEBOT_DATA_DIR: 'nowhere' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/no citebot database in .*nowhere yet/);
    expect(stderr).toMatch(/created when the bot first runs/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it('refuses a bad --days with usage help', async () => {
    const { code, stderr } = await run(['--days', '0']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/whole number of days from 1 to 365/);
  });
});
