import { ApplicationCommandOptionType, ApplicationCommandType, InteractionContextType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/discord/commands/index.ts';
import { matchFiles } from '../../src/discord/commands/source.ts';

const json = (name: string) => {
  const command = commands.find((c) => c.data.name === name);
  if (command === undefined) throw new Error(`no command ${name}`);
  return command.data.toJSON() as unknown as Record<string, unknown> & { options?: Record<string, unknown>[] };
};

describe('command definitions (what registerCommands sends)', () => {
  it('are one explicit list', () => {
    expect(commands.map((c) => [c.kind, c.data.name])).toEqual([
      ['chat-input', 'ask'],
      ['chat-input', 'search'],
      ['chat-input', 'source'],
      ['chat-input', 'sources'],
      ['message-context', 'Find sources'],
      ['chat-input', 'citebot'],
    ]);
  });

  it('/ask question:<text> [private:<bool>]', () => {
    expect(json('ask').options).toMatchObject([
      { name: 'question', type: ApplicationCommandOptionType.String, required: true },
      { name: 'private', type: ApplicationCommandOptionType.Boolean, required: false },
    ]);
  });

  it('/search query:<text> [results:1-10]', () => {
    expect(json('search').options).toMatchObject([
      { name: 'query', type: ApplicationCommandOptionType.String, required: true },
      { name: 'results', type: ApplicationCommandOptionType.Integer, required: false, min_value: 1, max_value: 10 },
    ]);
  });

  it('/source file:<autocomplete> lines:<range>', () => {
    expect(json('source').options).toMatchObject([
      { name: 'file', type: ApplicationCommandOptionType.String, required: true, autocomplete: true },
      { name: 'lines', type: ApplicationCommandOptionType.String, required: true },
    ]);
  });

  it('"Find sources" is a message context-menu command', () => {
    expect(json('Find sources')).toMatchObject({ type: ApplicationCommandType.Message });
  });

  it('/citebot report [days:1-365], config and forget-me, in servers only; usable by every member (report checks Manage Server itself)', () => {
    const citebot = json('citebot');
    expect(citebot.contexts).toEqual([InteractionContextType.Guild]);
    // Discord's default permission is per command: set here, it would hide forget-me from members.
    expect(citebot.default_member_permissions ?? null).toBeNull();
    expect(citebot.options?.map((o) => [o.name, o.type])).toEqual(
      expect.arrayContaining([
        ['report', ApplicationCommandOptionType.Subcommand],
        ['config', ApplicationCommandOptionType.Subcommand],
        ['forget-me', ApplicationCommandOptionType.Subcommand],
      ]),
    );
    expect(citebot.options?.find((o) => o.name === 'report')?.options).toMatchObject([{ name: 'days', type: ApplicationCommandOptionType.Integer, min_value: 1, max_value: 365 }]);
  });

  it('all but /citebot (server-only) work in guilds and in DMs with the bot', () => {
    for (const command of commands.filter((c) => c.data.name !== 'citebot')) {
      expect(json(command.data.name).contexts).toEqual([InteractionContextType.Guild, InteractionContextType.BotDM]);
    }
  });
});

describe('matchFiles (autocomplete)', () => {
  const files = ['seeds/000_e4409a72bea0ec59.txt', 'seeds/001_8140afa543bea040.txt', 'docs/Guide-001.md', `deep/${'x'.repeat(120)}.txt`];

  it.each([
    ['', ['seeds/000_e4409a72bea0ec59.txt', 'seeds/001_8140afa543bea040.txt', 'docs/Guide-001.md']],
    ['001', ['seeds/001_8140afa543bea040.txt', 'docs/Guide-001.md']],
    ['guide', ['docs/Guide-001.md']],
    ['SEEDS/000', ['seeds/000_e4409a72bea0ec59.txt']],
    ['8140', ['seeds/001_8140afa543bea040.txt']],
    ['nothing', []],
  ])('%j', (typed, expected) => {
    expect(matchFiles(files, typed)).toEqual(expected);
  });

  it('offers at most 25 choices (Discord’s limit) and skips paths Discord cannot take as a value', () => {
    const many = Array.from({ length: 40 }, (_, i) => `seeds/${i}.txt`);
    expect(matchFiles(many, '')).toHaveLength(25);
    expect(matchFiles(files, 'xxx')).toEqual([]);
  });
});
