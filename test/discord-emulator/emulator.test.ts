/**
 * Shakedown of the emulator with a bare discord.js Client (no citebot code): if these fail,
 * the emulator is wrong, not the bot.
 */
import { ChannelType, Client, Events, GatewayIntentBits, MessageFlags, Partials, type Message } from 'discord.js';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordEmulator } from './emulator.ts';

describe('Discord emulator with a bare discord.js Client', () => {
  let emulator: DiscordEmulator;
  let client: Client;

  beforeAll(async () => {
    emulator = await DiscordEmulator.start({ heartbeatIntervalMs: 200 });
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages],
      partials: [Partials.Channel],
      rest: { api: emulator.apiUrl },
    });
    const ready = once(client, Events.ClientReady);
    await client.login(emulator.token);
    await ready;
  });

  afterAll(async () => {
    await client.destroy();
    await emulator.stop();
  });

  it('logs in: READY, then GUILD_CREATE with the text channel', () => {
    expect(client.user?.id).toBe(emulator.bot.id);
    expect(client.application?.id).toBe(emulator.applicationId);
    const guild = client.guilds.cache.get(emulator.world.guildId);
    expect(guild?.channels.cache.get(emulator.world.channel.id)?.name).toBe('general');
    expect(emulator.identifies).toHaveLength(1);
    expect(emulator.requestsTo(/^\/gateway\/bot$/)).toHaveLength(1);
  });

  it('serves GET /users/@me and creates DM channels', async () => {
    expect(await client.rest.get('/users/@me')).toMatchObject({ id: emulator.bot.id, bot: true });
    expect((await client.users.fetch(emulator.human.id, { force: true })).username).toBe('alice');
    const dm = await client.users.createDM(emulator.human.id);
    expect(dm.recipientId).toBe(emulator.human.id);
    expect(emulator.requestsTo(/^\/users\/@me$/, 'GET')).toHaveLength(1);
    expect(emulator.requestsTo(/^\/users\/@me\/channels$/, 'POST')).toHaveLength(1);
  });

  it('receives heartbeats and acknowledges them', async () => {
    const before = emulator.heartbeats.length;
    await emulator.waitForHeartbeats(before + 2, 2000);
    expect(client.ws.ping).toBeGreaterThanOrEqual(0);
  });

  it('delivers a slash command and records the deferred reply and its edit', async () => {
    client.once(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void (async () => {
        expect(interaction.options.getString('question')).toBe('hello?');
        expect(interaction.options.getInteger('results')).toBe(3);
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        await interaction.editReply({ content: 'done', allowedMentions: { parse: [] } });
      })();
    });
    const handle = emulator.slash('ask', { question: 'hello?', results: 3 });
    const ack = await handle.acknowledgement();
    expect(ack.body.type).toBe(5);
    expect(ack.ephemeral).toBe(true);
    const reply = await handle.reply();
    expect(reply).toMatchObject({ via: 'edit-original', content: 'done', ephemeral: true, allowed_mentions: { parse: [] } });
  });

  it('rejects a second acknowledgement (40060) and late ones (10062)', async () => {
    const errors: unknown[] = [];
    client.once(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void (async () => {
        await interaction.reply('first');
        // discord.js guards this itself, so go around it with a raw REST call.
        await client.rest
          .post(`/interactions/${interaction.id}/${interaction.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false })
          .catch((error: unknown) => errors.push(error));
      })();
    });
    emulator.slash('ask', { question: 'twice' });
    await expect.poll(() => errors.length).toBe(1);
    expect(errors[0]).toMatchObject({ code: 40060 });

    client.once(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      void interaction.reply('too late').catch((error: unknown) => errors.push(error));
    });
    emulator.slash('ask', { question: 'late' }, { expired: true });
    await expect.poll(() => errors.length).toBe(2);
    expect(errors[1]).toMatchObject({ code: 10062 });
  });

  it('answers autocomplete with choices', async () => {
    client.once(Events.InteractionCreate, (interaction) => {
      if (!interaction.isAutocomplete()) return;
      void interaction.respond([{ name: interaction.options.getFocused(), value: 'x' }]);
    });
    const handle = emulator.autocomplete('source', { file: 'seeds/0', lines: '1' }, 'file');
    expect(await handle.choices()).toEqual([{ name: 'seeds/0', value: 'x' }]);
  });

  it('delivers a message context-menu command with the target message resolved', async () => {
    const target = emulator.existingMessage('What did NATO decide?');
    const seen = new Promise<string>((resolve) => {
      client.once(Events.InteractionCreate, (interaction) => {
        if (interaction.isMessageContextMenuCommand()) {
          resolve(interaction.targetMessage.content);
          void interaction.reply('ok');
        }
      });
    });
    const handle = emulator.messageCommand('Find sources', target);
    expect(await seen).toBe('What did NATO decide?');
    await handle.reply();
  });

  it('delivers guild mentions, hides other guild content without the MessageContent intent, and delivers DMs', async () => {
    const received: Message[] = [];
    const onMessage = (message: Message): void => {
      received.push(message);
    };
    client.on(Events.MessageCreate, onMessage);
    emulator.message('not for the bot');
    emulator.message('hello bot', { mentionBot: true });
    emulator.message('a direct message', { dm: true });
    await expect.poll(() => received.length).toBe(3);
    client.off(Events.MessageCreate, onMessage);
    expect(received.map((m) => m.content)).toEqual(['', `<@${emulator.bot.id}> hello bot`, 'a direct message']);
    expect(received[2]?.channel.isDMBased()).toBe(true);

    const dm = received[2];
    if (dm === undefined) throw new Error('no DM');
    await dm.reply({ content: 'pong', allowedMentions: { parse: [], repliedUser: false } });
    const reply = emulator.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').at(-1);
    expect(reply?.path).toBe(`/channels/${dm.channelId}/messages`);
    expect(reply?.body).toMatchObject({ content: 'pong', message_reference: { message_id: dm.id }, allowed_mentions: { parse: [], replied_user: false } });
  });

  it('creates a forum post: a thread of the forum owned by its author, then its first message (id = the thread id), text hidden without the intent', async () => {
    const received: Message[] = [];
    const onMessage = (message: Message): void => {
      received.push(message);
    };
    client.on(Events.MessageCreate, onMessage);
    const { post } = emulator.forumPost('How big is the mission?', 'Details in the body');
    await expect.poll(() => received.length).toBe(1);
    client.off(Events.MessageCreate, onMessage);
    const [first] = received;
    expect(first?.id).toBe(post.id);
    expect(first?.content).toBe('');
    const thread = first?.channel;
    expect(thread?.isThread() === true && thread.parent?.type === ChannelType.GuildForum && thread.parentId === emulator.world.forum.id).toBe(true);
    expect(thread?.isThread() === true ? [thread.name, thread.ownerId] : []).toEqual(['How big is the mission?', emulator.human.id]);
    await first?.reply({ content: 'answer', allowedMentions: { parse: [] } });
    expect(emulator.requestsTo(new RegExp(`^/channels/${post.id}/messages$`), 'POST').at(-1)?.status).toBe(200);
  });

  it('rejects a message that breaks Discord limits (50035)', async () => {
    const channel = client.channels.cache.get(emulator.world.channel.id);
    if (channel === undefined || !channel.isSendable()) throw new Error('no channel');
    await expect(channel.send({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
    await expect(channel.send({ embeds: [{ description: 'x'.repeat(4097) }] })).rejects.toMatchObject({ code: 50035 });
  });

  it('retries after an injected 429 with retry_after', async () => {
    const channel = client.channels.cache.get(emulator.world.channel.id);
    if (channel === undefined || !channel.isSendable()) throw new Error('no channel');
    emulator.rateLimitNext({ method: 'POST', path: /^\/channels\/\d+\/messages$/ }, 0.2);
    const started = Date.now();
    await channel.send('after a rate limit');
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    const attempts = emulator.requestsTo(/^\/channels\/\d+\/messages$/, 'POST').slice(-2);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
  });

  it('resumes after the socket is closed with 4000 and replays missed events', async () => {
    const resumed = once(client, Events.ShardResume);
    emulator.closeGateway(4000);
    // Dispatched while the bot is disconnected: must arrive after RESUME.
    const received = new Promise<string>((resolve) => client.once(Events.MessageCreate, (m) => resolve(m.content)));
    emulator.message('sent during the outage', { dm: true });
    await resumed;
    expect(await received).toBe('sent during the outage');
    expect(emulator.resumes.at(-1)?.accepted).toBe(true);
    expect(emulator.identifies).toHaveLength(1);
  });

  it('resumes on a resumable INVALID_SESSION', async () => {
    const resumesBefore = emulator.resumes.length;
    const resumed = once(client, Events.ShardResume);
    emulator.invalidateSession(true);
    await resumed;
    expect(emulator.resumes).toHaveLength(resumesBefore + 1);
    expect(emulator.identifies).toHaveLength(1);
  });
});
