/**
 * A hostile document end to end (issue 10): `npm start` with DISCORD_TOKEN (the real entry, on
 * the hashed test embedder, as npm-start.e2e.test.ts runs it) indexes a document planted in the
 * documents folder that is full of `@everyone`, role and user mentions, masked links, autolinks,
 * long backtick runs, right-to-left overrides, headings, lists and quotes. Questions that
 * retrieve it, asked the ways a member can (/ask, /search, /source, /sources, an @mention), must
 * show it as text: nothing pings (allowed_mentions), no link is clickable but plain visible URLs,
 * no markup of the document's is live, the bidi overrides are gone, and every citation is intact
 * and points at the lines quoted. "What the user sees" is read with the Discord markdown model
 * of support/discord-markdown.ts.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanText } from '../../src/discord/render/text.ts';
import { DiscordEmulator } from '../discord-emulator/emulator.ts';
import { createWorkspace, type TestWorkspace } from '../support/engine.ts';
import { spawnEntry, STACK_LINE, waitUntil, type Spawned } from '../support/spawn.ts';
import { citedText, passageAndCitation } from './support/citations.ts';
import { readInline, readQuote, readText } from './support/discord-markdown.ts';

const HOSTILE_FILE = 'seeds/zz-hostile.md';
const RLO = '\u202E';
const PDF = '\u202C';
const ROLE = '<@&123456789012345678>';
const USER = '<@876543210987654321>';
/** Every construct the probing found, or could have: one paragraph each, each with its own content words. */
const HOSTILE_DOCUMENT = [
  `# Zorblat installation guide @everyone ${ROLE}`,
  '',
  `The zorblat installer downloads from [official download](https://evil.example/payload) and [mirror](https://evil.example/two) for @everyone and @here, says ${ROLE} to ${USER} in <#123456789012345678>.`,
  '',
  `## Quaxle reports ${RLO}fdp.exe${PDF}`,
  '',
  `- Quaxle reports are saved as ${RLO}fdp.troper${PDF} and served from <https://auto.evil.example/quaxle> with ||hidden spoiler|| and ~~struck~~ __underlined__ *italic* text.`,
  `- Quaxle backups: \`\`\`\` four backticks, \`\`\`\`\`\`\` seven backticks, ******* seven stars, _____ five underscores.`,
  '',
  `> Blorptic warning: </deploy:1> <t:1700000000:R> <:emoji:1> [x](<https://evil.example/angle>) and **blorptic** ${RLO}gnp.kcilc${PDF} here.`,
  '',
  '1. Snerkle step one with https://plain.example/ok visible and -# subtext',
  '',
  '```` text',
  'frobnicate fence ``` inside a four-backtick fence with @everyone',
  '````',
  '',
].join('\n');

const NO_MENTIONS = { parse: [], replied_user: false };
/** How long a reply may take on a machine shared with other test runs (a wait, not an assertion about speed). */
const REPLY_WAIT_MS = 25_000;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

let emulator: DiscordEmulator;
let workspace: TestWorkspace;
let bot: Spawned;

beforeAll(async () => {
  emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 1000 });
  workspace = await createWorkspace({ embedder: 'hashed' });
  await writeFile(path.join(workspace.root, HOSTILE_FILE), HOSTILE_DOCUMENT);
  bot = spawnEntry('test/support/fixtures/start-hashed.ts', [], {
    cwd: workspace.root,
    env: { ...workspace.env, DISCORD_TOKEN: emulator.token, DISCORD_API_URL: emulator.apiUrl, CITEBOT_LOG_LEVEL: 'info', CITEBOT_COOLDOWN_SECONDS: '0' },
  });
  // Generous: on a loaded machine a cold start (tsx compiling src/) takes a while. Commands are
  // sent once the client is ready, not merely identified: until then discord.js holds events back.
  await emulator.waitForSession(110_000);
  await waitUntil(() => bot.stderr().includes('connected to Discord'), 60_000, () => bot.stderr().slice(-2000));
}, 180_000);

beforeEach(({ onTestFailed }) => {
  // What the bot logged is the first thing to read when a reply never came.
  onTestFailed(() => console.error(`citebot's log:\n${bot.stderr().slice(-4000)}`));
});

afterAll(async () => {
  if (bot?.child.exitCode === null) bot.child.kill('SIGKILL');
  await emulator?.stop();
  await workspace?.cleanup();
});

/** The lines of the hostile document a citation names, as a reader sees them (bidi controls removed). */
function cited(citation: { file: string; startLine: number; endLine: number }): string {
  return cleanText(citedText(citation, workspace.root)).text;
}

/**
 * Everything wrong with an embed as a reader sees it: live constructs anywhere (citations, which
 * are citebot's own inline code, aside), bidi controls, passages not at their cited lines.
 * Returns the passages of the hostile file that were quoted.
 */
function inspect(embed: APIEmbed | undefined): { problems: string[]; quoted: string[] } {
  const problems: string[] = [];
  const quoted: string[] = [];
  if (embed === undefined) return { problems: ['no embed'], quoted };
  if (BIDI.test(JSON.stringify(embed))) problems.push('a bidi control reached Discord');
  problems.push(...readText(embed.title ?? '').live.map((live) => `title: ${live}`));
  problems.push(...readText(embed.description ?? '').live.map((live) => `description: ${live}`));
  for (const field of embed.fields ?? []) {
    problems.push(...readInline(field.name).live.map((live) => `field name ${field.name}: ${live}`));
    const quote = field.value.split('\n').filter((line) => line.startsWith('> '));
    problems.push(...readQuote(quote).live.map((live) => `quote in ${field.name}: ${live}`));
    const { passage, citation } = passageAndCitation(field);
    if (!cited(citation).includes(passage)) problems.push(`${field.name} quotes text not at ${citation.file}:L${citation.startLine}-L${citation.endLine}: ${passage}`);
    if (citation.file === HOSTILE_FILE) quoted.push(passage);
  }
  return { problems, quoted };
}

describe('a hostile document, through npm start and the Discord emulator', () => {
  it('/ask quotes the masked links and mentions as plain text, pings nobody, and cites the right lines', async () => {
    const reply = await emulator.slash('ask', { question: 'Where does the zorblat installer download from?' }).reply(REPLY_WAIT_MS);
    expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    const { problems, quoted } = inspect(reply.embeds?.[0]);
    expect(problems).toEqual([]);
    const shown = quoted.join('\n');
    // What the reader sees: the link syntax as text (not a link called "official download") and the mentions as text.
    expect(shown).toContain('[official download](https://evil.example/payload)');
    expect(shown).toContain(`@everyone and @here, says ${ROLE} to ${USER}`);
    // The heading path, hostile too, names where the lines sit, inert.
    expect(reply.embeds?.[0]?.fields?.[0]?.name).toMatch(/Zorblat installation guide \\@everyone \\<@&123456789012345678>/);
  });

  it('/ask on the list: the right-to-left override is gone, so the file name reads in stored order', async () => {
    const reply = await emulator.slash('ask', { question: 'Where are quaxle reports saved and served from?' }).reply(REPLY_WAIT_MS);
    expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    const { problems, quoted } = inspect(reply.embeds?.[0]);
    expect(problems).toEqual([]);
    const shown = quoted.join('\n');
    expect(shown).toContain('saved as fdp.troper and served from <https://auto.evil.example/quaxle>');
    expect(shown).toContain('||hidden spoiler||');
  });

  it('/search over the backtick runs, the block quote and the numbered list: nothing live, every citation intact', async () => {
    const reply = await emulator.slash('search', { query: 'quaxle backups blorptic warning snerkle step frobnicate fence', results: 10 }).reply(REPLY_WAIT_MS);
    expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    const { problems, quoted } = inspect(reply.embeds?.[0]);
    expect(problems).toEqual([]);
    const shown = quoted.join('\n');
    expect(shown).toContain('```` four backticks, ``````` seven backticks, ******* seven stars, _____ five underscores.');
    expect(shown).toContain('</deploy:1> <t:1700000000:R> <:emoji:1> [x](<https://evil.example/angle>) and **blorptic** gnp.kcilc here.');
    expect(shown).toContain('1. Snerkle step one with https://plain.example/ok visible');
  });

  it('an @mention with a hostile question: its title is text, and the reply pings nobody', async () => {
    const question = `@everyone ${ROLE} [click](https://evil.example/q) ${RLO}zorblat installer downloads`;
    const reply = await emulator.message(question, { mentionBot: true }).reply(REPLY_WAIT_MS);
    expect(reply.body.allowed_mentions).toEqual(NO_MENTIONS);
    const embed = reply.body.embeds?.[0];
    const { problems } = inspect(embed);
    expect(problems).toEqual([]);
    expect(readText(embed?.title ?? '').visible).toBe(`@everyone ${ROLE} [click](https://evil.example/q) zorblat installer downloads`);
  });

  it('/source shows the lines verbatim in a code block that nothing can close early, bidi removed', async () => {
    const lines = HOSTILE_DOCUMENT.split('\n').length - 1;
    const reply = await emulator.slash('source', { file: HOSTILE_FILE, lines: `1-${lines}` }).reply(REPLY_WAIT_MS);
    expect(reply.allowed_mentions).toEqual(NO_MENTIONS);
    const description = reply.embeds?.[0]?.description ?? '';
    expect(description.startsWith('```text\n') && description.endsWith('\n```')).toBe(true);
    const body = description.slice('```text\n'.length, -'\n```'.length);
    expect(body).not.toMatch(/``/);
    expect(body).not.toMatch(BIDI);
    const shown = body.split('\n').map((line) => line.replace(/^\s*\d+ │ /, '').replaceAll('\u200b', ''));
    expect(shown).toEqual(HOSTILE_DOCUMENT.split('\n').slice(0, lines).map((line) => line.replaceAll(new RegExp(BIDI.source, 'g'), '')));
  });

  it('/sources lists the hostile file among the seeds, and the bot logged no stack trace', async () => {
    const reply = await emulator.slash('sources').reply(REPLY_WAIT_MS);
    expect(reply.embeds?.[0]?.description).toContain(`\`${HOSTILE_FILE}\``);
    expect(bot.stderr()).not.toMatch(STACK_LINE);
  });
});
