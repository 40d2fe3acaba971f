/**
 * A local emulation of Discord's REST API and gateway on 127.0.0.1, enough for the real
 * discord.js Client to log in (`rest: { api: emulator.apiUrl }`), receive events and reply.
 *
 * It behaves like Discord where citebot's correctness depends on it:
 * - interactions must be acknowledged within the deadline (3 s) and only once (10062, 40060);
 * - message bodies are checked against Discord's limits (400, code 50035);
 * - without the MessageContent intent, guild messages that do not mention the bot arrive
 *   with empty content;
 * - events dispatched while the gateway is disconnected are replayed on RESUME.
 * Everything the bot sends is recorded, and tests can inject a 429, close the socket with
 * a code, or invalidate the session.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
  InteractionResponseType,
  MessageFlags,
  type APIDMChannel,
  type ApplicationFlags,
  type APIEmbed,
  type APIMessage,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIUser,
  type APIThreadChannel,
  type GatewayReadyDispatchData,
} from 'discord.js';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  autocompleteInteraction,
  buttonInteraction,
  chatInputInteraction,
  dmChannel,
  forumChannel,
  guildCreate,
  hiddenTextChannel,
  publicThread,
  message as messagePayload,
  messageCommandInteraction,
  snowflake,
  textChannel,
  user,
  type OptionValues,
  type Place,
  type World,
} from './payloads.ts';
import { messageBodyProblems } from './validate.ts';

export interface EmulatorOptions {
  /** Sent in HELLO. Short in tests so heartbeats are observable within a test. Default 300 ms. */
  readonly heartbeatIntervalMs?: number;
  /** Time allowed to acknowledge an interaction before it "expires" (10062). Default 3000 ms, as on Discord. */
  readonly interactionDeadlineMs?: number;
  /** The bot token the emulator accepts. Default: a random fake token. */
  readonly token?: string;
  /**
   * Whether the application may use the privileged Message Content intent (the Developer Portal
   * switch). When false, IDENTIFY with it is closed with 4014 "Disallowed intent(s)", as on
   * Discord. Default true.
   */
  readonly messageContentAllowed?: boolean;
}

export const EMULATOR_DEFAULTS = {
  heartbeatIntervalMs: 300,
  interactionDeadlineMs: 3000,
} as const;

export interface RecordedRequest {
  readonly method: string;
  /** Path after `/api/v10`, without the query string, e.g. `/channels/123/messages`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  readonly at: number;
  readonly status: number;
}

export interface HeartbeatRecord {
  readonly at: number;
  readonly connection: number;
  readonly sequence: number | null;
}

/** What happened to an interaction, in order. */
export interface InteractionEvent {
  readonly kind: 'callback' | 'edit-original' | 'delete-original' | 'follow-up';
  readonly at: number;
  readonly body: MessageBody & { type?: number; data?: MessageBody & { choices?: unknown[] } };
  /** Whether only the invoking user sees the resulting message. */
  readonly ephemeral: boolean;
}

/** The parts of a message body tests look at. */
export interface MessageBody {
  readonly content?: string;
  readonly embeds?: APIEmbed[];
  readonly flags?: number;
  readonly allowed_mentions?: { parse?: string[]; replied_user?: boolean; users?: string[]; roles?: string[] };
  readonly message_reference?: { message_id?: string };
  readonly components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Files uploaded with the message (multipart requests), as text. */
  readonly files?: { readonly name: string; readonly content: string }[];
}

/** Who acts, and with which permissions (defaults: the human, a member's permissions). */
export interface Actor {
  readonly as?: APIUser;
  /** The member's permissions in the channel, a decimal bit set (see MEMBER_PERMISSIONS, MANAGER_PERMISSIONS in payloads.ts). */
  readonly permissions?: string;
}

/** What the user ends up seeing for an interaction. */
export interface VisibleReply extends MessageBody {
  readonly via: InteractionEvent['kind'];
  readonly ephemeral: boolean;
  readonly at: number;
}

interface Matcher {
  readonly method?: string;
  readonly path: RegExp;
}

interface InjectedFailure extends Matcher {
  readonly respond: (response: ServerResponse) => void;
}

interface InteractionState {
  readonly handle: InteractionHandle;
  readonly createdAt: number;
  readonly expired: boolean;
  ack?: { readonly type: number; readonly ephemeral: boolean };
  originalEdited: boolean;
  originalDeleted: boolean;
  readonly originalId: string;
}

interface Session {
  readonly id: string;
  sequence: number;
  readonly dispatched: { s: number; payload: string }[];
  socket: WebSocket | undefined;
  readonly intents: number;
}

const DEFAULT_WAIT_MS = 5000;

export class DiscordEmulator {
  readonly token: string;
  readonly world: World;
  readonly bot: APIUser;
  /** The human who runs commands and sends messages unless a test says otherwise. */
  readonly human: APIUser;
  readonly requests: RecordedRequest[] = [];
  readonly heartbeats: HeartbeatRecord[] = [];
  readonly identifies: { at: number; intents: number; shard: unknown }[] = [];
  readonly resumes: { at: number; sessionId: string; sequence: number; accepted: boolean }[] = [];
  /** Every gateway connection ever opened (index = connection number). */
  readonly connections: { openedAt: number; closedAt?: number; closeCode?: number }[] = [];
  /** Every message the bot created (channel messages, interaction responses and follow-ups), latest content. */
  readonly botMessages = new Map<string, APIMessage>();
  /** Threads the bot started (POST /channels/:id/messages/:id/threads), in order. */
  readonly threads: (APIThreadChannel & { readonly startMessageId: string })[] = [];
  /** Forum posts members created ({@link forumPost}): threads of the forum, owned by their authors. */
  readonly posts: APIThreadChannel[] = [];
  readonly #members: APIUser[] = [];

  readonly #options: Required<Omit<EmulatorOptions, 'token'>>;
  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #events = new EventEmitter();
  readonly #interactions = new Map<string, InteractionState>();
  readonly #commandIds = new Map<string, string>();
  readonly #dmChannels = new Map<string, APIDMChannel>();
  readonly #failures: InjectedFailure[] = [];
  #session: Session | undefined;
  #port = 0;
  heartbeatAck = true;

  private constructor(options: EmulatorOptions) {
    this.#options = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? EMULATOR_DEFAULTS.heartbeatIntervalMs,
      interactionDeadlineMs: options.interactionDeadlineMs ?? EMULATOR_DEFAULTS.interactionDeadlineMs,
      messageContentAllowed: options.messageContentAllowed ?? true,
    };
    this.token = options.token ?? `emulated.${randomBytes(12).toString('hex')}`;
    const applicationId = snowflake();
    const guildId = snowflake();
    this.bot = user(applicationId, 'citebot', true);
    this.human = user(snowflake(), 'alice');
    this.world = {
      applicationId,
      bot: this.bot,
      guildId,
      channel: textChannel(snowflake(), guildId, 'general'),
      otherChannels: [textChannel(snowflake(), guildId, 'help'), hiddenTextChannel(snowflake(), guildId, 'staff')],
      forum: forumChannel(snowflake(), guildId, 'questions'),
      joinedAt: new Date().toISOString(),
    };
    this.#events.setMaxListeners(0);
    this.#server = createServer((request, response) => {
      void this.#handleHttp(request, response);
    });
    this.#wss = new WebSocketServer({ server: this.#server });
    this.#wss.on('connection', (socket, request) => this.#handleConnection(socket, request));
  }

  static async start(options: EmulatorOptions = {}): Promise<DiscordEmulator> {
    const emulator = new DiscordEmulator(options);
    emulator.#server.listen(0, '127.0.0.1');
    await once(emulator.#server, 'listening');
    emulator.#port = (emulator.#server.address() as AddressInfo).port;
    return emulator;
  }

  /** Pass as `rest: { api }` to discord.js. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.#port}/api`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get applicationId(): string {
    return this.world.applicationId;
  }

  /** The intents the bot identified with most recently. */
  get intents(): number | undefined {
    return this.identifies.at(-1)?.intents;
  }

  async stop(): Promise<void> {
    for (const socket of this.#wss.clients) socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  // ---------------------------------------------------------------- test controls

  /** Close the bot's gateway socket with a close code (4000 "unknown error" makes discord.js resume). */
  closeGateway(code: number, reason = 'closed by the emulator'): void {
    const socket = this.#session?.socket;
    if (socket === undefined) throw new Error('The bot is not connected to the gateway.');
    this.#detach(socket);
    socket.close(code, reason);
  }

  /** Send INVALID_SESSION; when not resumable, the session is forgotten and the bot must IDENTIFY again. */
  invalidateSession(resumable: boolean): void {
    const socket = this.#session?.socket;
    if (socket === undefined) throw new Error('The bot is not connected to the gateway.');
    if (!resumable) this.#session = undefined;
    socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null }));
  }

  /** Answer the next request matching `matcher` with a 429 and `retry_after` (seconds); later ones go through. */
  rateLimitNext(matcher: Matcher, retryAfterSeconds: number): void {
    this.#failures.push({
      ...matcher,
      respond: (response) => {
        const body = { message: 'You are being rate limited.', retry_after: retryAfterSeconds, global: false };
        response.writeHead(429, {
          'content-type': 'application/json',
          'retry-after': String(retryAfterSeconds),
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset-after': String(retryAfterSeconds),
          'x-ratelimit-bucket': 'emulated-bucket',
          'x-ratelimit-scope': 'user',
        });
        response.end(JSON.stringify(body));
      },
    });
  }

  /** Answer the next request matching `matcher` with an error status and Discord error body. */
  failNext(matcher: Matcher, status: number, code: number, message: string): void {
    this.#failures.push({
      ...matcher,
      respond: (response) => sendJson(response, status, { code, message }),
    });
  }

  /** Send any dispatch event (recorded and replayed on resume like every other event). */
  dispatch(event: string, data: unknown): void {
    const session = this.#session;
    if (session === undefined) throw new Error('No gateway session: the bot has not identified.');
    session.sequence += 1;
    const payload = JSON.stringify({ op: GatewayOpcodes.Dispatch, t: event, s: session.sequence, d: data });
    session.dispatched.push({ s: session.sequence, payload });
    session.socket?.send(payload);
  }

  /** Resolves when the bot has identified (or resumed) and holds a live session. */
  async waitForSession(timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    await waitFor(this.#events, 'session', () => (this.#session?.socket === undefined ? undefined : true), timeoutMs, 'a gateway session');
  }

  /** Wait for a REST request (already recorded or future) that matches. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest> {
    return waitFor(this.#events, 'request', () => this.requests.find(predicate), timeoutMs, 'a matching REST request');
  }

  /** Wait for the bot to start a thread on message `messageId`. */
  waitForThread(messageId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<APIThreadChannel & { readonly startMessageId: string }> {
    return waitFor(this.#events, 'thread', () => this.threads.find((t) => t.startMessageId === messageId), timeoutMs, `a thread on message ${messageId}`);
  }

  /** Wait until at least `count` heartbeats are recorded. */
  waitForHeartbeats(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<HeartbeatRecord> {
    return waitFor(this.#events, 'heartbeat', () => this.heartbeats[count - 1], timeoutMs, `${count} heartbeats`);
  }

  // ---------------------------------------------------------------- user actions

  /** Run a slash command as the human, e.g. `slash('ask', { question: '…' })`. */
  slash(name: string, options: OptionValues = {}, where: { readonly dm?: boolean; readonly expired?: boolean; readonly subcommand?: string } & Actor = {}): InteractionHandle {
    const subcommand = where.subcommand === undefined ? {} : { subcommand: where.subcommand };
    return this.#interact(where, (base) => chatInputInteraction({ ...base, commandId: this.#commandId(name), name, options, ...subcommand }));
  }

  /** Type into an autocomplete option; `focused` names the option being typed. */
  autocomplete(name: string, options: OptionValues, focused: string): InteractionHandle {
    return this.#interact({}, (base) => autocompleteInteraction({ ...base, commandId: this.#commandId(name), name, options, focused }));
  }

  /** Another member of the guild (a fresh user), e.g. a second voter. */
  addMember(username: string): APIUser {
    const member = user(snowflake(), username);
    this.#members.push(member);
    return member;
  }

  /**
   * Click a button of a message the bot sent (see {@link botMessages}). Throws when the message
   * has no button with that custom id: a user cannot click what is not there.
   */
  clickButton(message: APIMessage, customId: string, where: Actor = {}): InteractionHandle {
    const rows = (message.components ?? []) as { components?: { custom_id?: string }[] }[];
    const buttons = rows.flatMap((row) => row.components ?? []);
    if (!buttons.some((button) => button.custom_id === customId)) {
      throw new Error(`Message ${message.id} has no button with custom id ${customId}.`);
    }
    return this.#interact(where, (base) => buttonInteraction({ ...base, customId, message }));
  }

  /** The bot's message with this id (an interaction's original response: `handle.originalMessageId`). */
  botMessage(id: string): APIMessage {
    const found = this.botMessages.get(id);
    if (found === undefined) throw new Error(`The bot has sent no message with id ${id}.`);
    return found;
  }

  /** Use a message context-menu command on `target` (e.g. a message returned by {@link message}). */
  messageCommand(name: string, target: APIMessage, where: { readonly dm?: boolean } = {}): InteractionHandle {
    return this.#interact(where, (base) => messageCommandInteraction({ ...base, commandId: this.#commandId(name), name, target }));
  }

  /**
   * The human sends a message: in the guild channel (optionally mentioning the bot, which puts
   * `<@botId>` in front of the text) or in a DM with the bot.
   */
  message(
    text: string,
    where: {
      readonly dm?: boolean;
      readonly mentionBot?: boolean;
      readonly author?: APIUser;
      /** Another channel of the guild, or a thread (see {@link threads}). */
      readonly channelId?: string;
      /** Reply to this message; with `ping`, the reply mentions its author (Discord's default for replies). */
      readonly replyTo?: APIMessage;
      readonly ping?: boolean;
      /** @internal The message's id (a forum post's first message has the post's id). */
      readonly messageId?: string;
    } = {},
  ): MessageHandle {
    const author = where.author ?? this.human;
    const dm = where.dm === true;
    const content = where.mentionBot === true ? `<@${this.bot.id}> ${text}` : text;
    const channelId = dm ? this.#dmChannelFor(author).id : (where.replyTo?.channel_id ?? where.channelId ?? this.world.channel.id);
    const pinged = where.replyTo !== undefined && where.ping === true ? [where.replyTo.author] : [];
    const mentions = [...(where.mentionBot === true ? [this.bot] : []), ...pinged.filter((u) => where.mentionBot !== true || u.id !== this.bot.id)];
    const reference = where.replyTo === undefined ? {} : { reference: { message_id: where.replyTo.id, channel_id: channelId, ...(dm ? {} : { guild_id: this.world.guildId }) } };
    const full = messagePayload({ id: where.messageId ?? snowflake(), channelId, author, content, mentions, mentionEveryone: /@everyone|@here/.test(content), ...reference });
    // Discord blanks the content of guild messages that do not mention the bot unless it has the privileged intent.
    const privileged = ((this.intents ?? 0) & GatewayIntentBits.MessageContent) !== 0;
    const delivered = dm || privileged || mentions.length > 0 ? full : { ...full, content: '' };
    // MESSAGE_CREATE carries channel_type; discord.js needs it to build an uncached DM channel.
    this.dispatch(
      GatewayDispatchEvents.MessageCreate,
      dm
        ? { ...delivered, channel_type: ChannelType.DM }
        : {
            ...delivered,
            channel_type: [...this.threads, ...this.posts].some((t) => t.id === channelId) ? ChannelType.PublicThread : ChannelType.GuildText,
            guild_id: this.world.guildId,
            member: memberOf(this.world),
            ...(where.replyTo === undefined ? {} : { referenced_message: where.replyTo }),
          },
    );
    return new MessageHandle(full, this);
  }

  /**
   * A member creates a post in the forum: THREAD_CREATE for the post (a public thread of the forum,
   * owned by the author, named `title`), then MESSAGE_CREATE for its first message, whose id is the
   * thread's, as on Discord. The message text is blanked like any other without the intent.
   * Later messages in the post: {@link message} with `channelId: handle.post.id`.
   */
  forumPost(title: string, text: string, where: { readonly author?: APIUser; readonly mentionBot?: boolean } = {}): MessageHandle & { readonly post: APIThreadChannel } {
    const author = where.author ?? this.human;
    const id = snowflake();
    const post = publicThread({ id, guildId: this.world.guildId, parentId: this.world.forum.id, name: title, ownerId: author.id });
    this.posts.push(post);
    this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...post, newly_created: true });
    const handle = this.message(text, { author, channelId: id, messageId: id, ...(where.mentionBot === undefined ? {} : { mentionBot: where.mentionBot }) });
    return Object.assign(handle, { post });
  }

  /** A message that exists in the guild channel (for context-menu targets), without dispatching it. */
  existingMessage(text: string, author: APIUser = this.human): APIMessage {
    return messagePayload({ id: snowflake(), channelId: this.world.channel.id, author, content: text });
  }

  /** Everything recorded for REST paths matching `path`. */
  requestsTo(path: RegExp, method?: string): RecordedRequest[] {
    return this.requests.filter((r) => path.test(r.path) && (method === undefined || r.method === method));
  }

  // ---------------------------------------------------------------- internals

  #commandId(name: string): string {
    let id = this.#commandIds.get(name);
    if (id === undefined) {
      id = snowflake();
      this.#commandIds.set(name, id);
    }
    return id;
  }

  #dmChannelFor(recipient: APIUser): APIDMChannel {
    let channel = this.#dmChannels.get(recipient.id);
    if (channel === undefined) {
      channel = dmChannel(snowflake(), recipient);
      this.#dmChannels.set(recipient.id, channel);
    }
    return channel;
  }

  #interact(
    where: { readonly dm?: boolean; readonly expired?: boolean } & Actor,
    build: (base: { id: string; token: string; world: World; author: APIUser; place: Place; permissions?: string }) => { id: string },
  ): InteractionHandle {
    const id = snowflake();
    const token = `interaction.${randomBytes(24).toString('base64url')}`;
    const author = where.as ?? this.human;
    const place: Place = where.dm === true ? { kind: 'dm', channel: this.#dmChannelFor(author) } : { kind: 'guild' };
    const payload = build({ id, token, world: this.world, author, place, ...(where.permissions === undefined ? {} : { permissions: where.permissions }) });
    const originalId = snowflake();
    const handle = new InteractionHandle(id, token, payload, Date.now(), originalId);
    this.#interactions.set(token, {
      handle,
      createdAt: handle.dispatchedAt,
      expired: where.expired === true,
      originalEdited: false,
      originalDeleted: false,
      originalId,
    });
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return handle;
  }

  // -------------------------------------------------- gateway

  #handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const connection = this.connections.length;
    this.connections.push({ openedAt: Date.now() });
    const url = new URL(request.url ?? '/', this.gatewayUrl);
    if (url.searchParams.get('encoding') !== 'json' || url.searchParams.has('compress')) {
      socket.close(4002, 'The emulator speaks uncompressed JSON only.');
      return;
    }
    socket.on('close', (code) => {
      const record = this.connections[connection];
      if (record !== undefined) Object.assign(record, { closedAt: Date.now(), closeCode: code });
      this.#detach(socket);
    });
    socket.on('message', (raw) => this.#handleGatewayMessage(socket, connection, String(raw)));
    socket.send(JSON.stringify({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: this.#options.heartbeatIntervalMs }, s: null, t: null }));
  }

  #detach(socket: WebSocket): void {
    if (this.#session?.socket === socket) this.#session.socket = undefined;
  }

  #handleGatewayMessage(socket: WebSocket, connection: number, raw: string): void {
    let message: { op?: number; d?: unknown };
    try {
      message = JSON.parse(raw) as { op?: number; d?: unknown };
    } catch {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (message.op) {
      case GatewayOpcodes.Heartbeat: {
        const sequence = typeof message.d === 'number' ? message.d : null;
        this.heartbeats.push({ at: Date.now(), connection, sequence });
        this.#events.emit('heartbeat');
        if (this.heartbeatAck) socket.send(JSON.stringify({ op: GatewayOpcodes.HeartbeatAck, s: null, t: null, d: null }));
        return;
      }
      case GatewayOpcodes.Identify:
        this.#identify(socket, message.d as { token?: string; intents?: number; shard?: unknown });
        return;
      case GatewayOpcodes.Resume:
        this.#resume(socket, message.d as { token?: string; session_id?: string; seq?: number });
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.RequestGuildMembers:
        return;
      default:
        socket.close(4001, 'Unknown opcode.');
    }
  }

  #identify(socket: WebSocket, data: { token?: string; intents?: number; shard?: unknown }): void {
    if (data.token !== this.token) {
      socket.close(4004, 'Authentication failed.');
      return;
    }
    const intents = data.intents ?? 0;
    if ((intents & GatewayIntentBits.MessageContent) !== 0 && !this.#options.messageContentAllowed) {
      socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    this.identifies.push({ at: Date.now(), intents, shard: data.shard });
    this.#session = { id: randomBytes(16).toString('hex'), sequence: 0, dispatched: [], socket, intents };
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: this.bot,
      guilds: [{ id: this.world.guildId, unavailable: true }],
      session_id: this.#session.id,
      resume_gateway_url: this.gatewayUrl,
      ...(Array.isArray(data.shard) ? { shard: data.shard as [number, number] } : {}),
      application: { id: this.world.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
    };
    this.dispatch(GatewayDispatchEvents.Ready, ready);
    this.dispatch(GatewayDispatchEvents.GuildCreate, guildCreate(this.world, this.human));
    this.#events.emit('session');
  }

  #resume(socket: WebSocket, data: { token?: string; session_id?: string; seq?: number }): void {
    const session = this.#session;
    const accepted = session !== undefined && data.token === this.token && data.session_id === session.id;
    this.resumes.push({ at: Date.now(), sessionId: data.session_id ?? '', sequence: data.seq ?? 0, accepted });
    if (!accepted) {
      socket.send(JSON.stringify({ op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null }));
      return;
    }
    session.socket = socket;
    for (const { s, payload } of session.dispatched) if (s > (data.seq ?? 0)) socket.send(payload);
    this.dispatch(GatewayDispatchEvents.Resumed, null);
    this.#events.emit('session');
  }

  // -------------------------------------------------- REST

  async #handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.apiUrl);
    const match = /^\/api\/v\d+(\/.*)$/.exec(decodeURIComponent(url.pathname));
    const path = match?.[1] ?? url.pathname;
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    let body: unknown = raw;
    if (String(request.headers['content-type']).startsWith('multipart/form-data')) {
      body = parseMultipart(raw, String(request.headers['content-type']));
    } else if (raw !== '' && String(request.headers['content-type']).includes('application/json')) {
      try {
        body = JSON.parse(raw);
      } catch {
        body = raw;
      }
    }
    const record = (status: number): void => {
      this.requests.push({ method, path, query: url.searchParams, headers: request.headers, body, at: Date.now(), status });
      this.#events.emit('request');
    };
    const failure = this.#failures.findIndex((f) => (f.method === undefined || f.method === method) && f.path.test(path));
    if (failure !== -1) {
      const [injected] = this.#failures.splice(failure, 1);
      injected?.respond(response);
      record(response.statusCode);
      return;
    }
    const status = this.#route(method, path, url.searchParams, request.headers, body, response);
    record(status);
  }

  /** Returns the status it answered with. */
  #route(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: IncomingHttpHeaders,
    body: unknown,
    response: ServerResponse,
  ): number {
    // Interaction callbacks and webhooks are authorised by the token in the URL, everything else by the bot token.
    const callback = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
    if (callback !== null && method === 'POST') return this.#callback(callback[1] ?? '', callback[2] ?? '', query, body, response);
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/.exec(path);
    if (webhook !== null) return this.#webhook(method, webhook[1] ?? '', webhook[2] ?? '', webhook[3] !== undefined, body, response);

    if (headers.authorization !== `Bot ${this.token}`) return sendJson(response, 401, { message: '401: Unauthorized', code: 0 });

    if (method === 'GET' && path === '/gateway/bot') {
      return sendJson(response, 200, {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      });
    }
    if (method === 'GET' && path === '/users/@me') return sendJson(response, 200, this.bot);
    const userById = /^\/users\/(\d+)$/.exec(path);
    if (method === 'GET' && userById !== null) {
      const found = [this.bot, this.human, ...this.#members].find((u) => u.id === userById[1]);
      return found === undefined ? sendJson(response, 404, { message: 'Unknown User', code: 10013 }) : sendJson(response, 200, found);
    }
    if (method === 'POST' && path === '/users/@me/channels') {
      const recipientId = (body as { recipient_id?: string }).recipient_id;
      const recipient = recipientId === this.human.id ? this.human : user(recipientId ?? snowflake(), 'someone');
      return sendJson(response, 200, this.#dmChannelFor(recipient));
    }
    const typing = /^\/channels\/(\d+)\/typing$/.exec(path);
    if (typing !== null && method === 'POST') {
      response.writeHead(204).end();
      return 204;
    }
    const startThread = /^\/channels\/(\d+)\/messages\/(\d+)\/threads$/.exec(path);
    if (startThread !== null && method === 'POST') {
      const [, parentId = '', messageId = ''] = startThread;
      const name = (body as { name?: unknown }).name;
      if (typeof name !== 'string' || name.length < 1 || name.length > 100) return invalidFormBody(response, ['name: must be between 1 and 100 in length']);
      const start = this.botMessages.get(messageId);
      if (start === undefined || start.channel_id !== parentId) return sendJson(response, 404, { message: 'Unknown Message', code: 10008 });
      if (this.threads.some((t) => t.startMessageId === messageId)) return sendJson(response, 400, { message: 'A thread has already been created for this message', code: 160004 });
      const thread = { ...publicThread({ id: messageId, guildId: this.world.guildId, parentId, name, ownerId: this.bot.id }), startMessageId: messageId };
      this.threads.push(thread);
      this.#events.emit('thread');
      const { startMessageId: _, ...payload } = thread;
      this.dispatch(GatewayDispatchEvents.ThreadCreate, { ...payload, newly_created: true });
      return sendJson(response, 201, payload);
    }
    const oneMessage = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
    if (oneMessage !== null && method === 'GET') {
      const found = this.botMessages.get(oneMessage[2] ?? '');
      if (found === undefined || found.channel_id !== oneMessage[1]) return sendJson(response, 404, { message: 'Unknown Message', code: 10008 });
      return sendJson(response, 200, found);
    }
    const channelMessages = /^\/channels\/(\d+)\/messages$/.exec(path);
    if (channelMessages !== null && method === 'POST') {
      const channelId = channelMessages[1] ?? '';
      const known =
        channelId === this.world.channel.id ||
        this.world.otherChannels.some((c) => c.id === channelId) ||
        this.threads.some((t) => t.id === channelId) ||
        this.posts.some((t) => t.id === channelId) ||
        [...this.#dmChannels.values()].some((c) => c.id === channelId);
      if (!known) return sendJson(response, 404, { message: 'Unknown Channel', code: 10003 });
      const problems = messageBodyProblems(body, { requireContent: true });
      if (problems.length > 0) return invalidFormBody(response, problems);
      const sent = body as MessageBody;
      const created = messagePayload({
        id: snowflake(),
        channelId,
        author: this.bot,
        content: sent.content ?? '',
        embeds: sent.embeds ?? [],
        ...(sent.components === undefined ? {} : { components: sent.components }),
        ...(sent.message_reference === undefined ? {} : { reference: { ...sent.message_reference, channel_id: channelId } }),
      });
      this.botMessages.set(created.id, created);
      return sendJson(response, 200, created);
    }
    const commands = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path);
    if (commands !== null && method === 'PUT') {
      if (commands[1] !== this.world.applicationId) return sendJson(response, 403, { message: 'Missing Access', code: 50001 });
      const list = Array.isArray(body) ? (body as { name: string }[]) : [];
      return sendJson(
        response,
        200,
        list.map((command) => ({
          ...command,
          id: this.#commandId(command.name),
          application_id: this.world.applicationId,
          version: snowflake(),
          ...(commands[2] === undefined ? {} : { guild_id: commands[2] }),
        })),
      );
    }
    return sendJson(response, 404, { message: '404: Not Found', code: 0 });
  }

  #callback(id: string, token: string, query: URLSearchParams, body: unknown, response: ServerResponse): number {
    const state = this.#interactions.get(token);
    if (state === undefined || state.handle.id !== id) return unknownInteraction(response);
    if (state.expired || Date.now() - state.createdAt > this.#options.interactionDeadlineMs) return unknownInteraction(response);
    if (state.ack !== undefined) {
      return sendJson(response, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    }
    const callback = body as { type?: number; data?: MessageBody & { choices?: unknown[] } };
    const type = callback.type ?? -1;
    if (type === InteractionResponseType.ChannelMessageWithSource) {
      const problems = messageBodyProblems(callback.data, { requireContent: true });
      if (problems.length > 0) return invalidFormBody(response, problems);
    }
    if (type === InteractionResponseType.ApplicationCommandAutocompleteResult) {
      const choices = callback.data?.choices ?? [];
      if (choices.length > 25) return invalidFormBody(response, ['data.choices: must be 25 or fewer in length']);
    }
    const ephemeral = ((callback.data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
    state.ack = { type, ephemeral };
    state.handle.record({ kind: 'callback', at: Date.now(), body: callback, ephemeral });
    if (query.get('with_response') === 'true') {
      return sendJson(response, 200, { interaction: { id, type: 2, response_message_ephemeral: ephemeral }, resource: { type } });
    }
    response.writeHead(204).end();
    return 204;
  }

  #webhook(method: string, applicationId: string, token: string, original: boolean, body: unknown, response: ServerResponse): number {
    const state = this.#interactions.get(token);
    if (state === undefined || applicationId !== this.world.applicationId) return sendJson(response, 404, { message: 'Unknown Webhook', code: 10015 });
    if (state.ack === undefined) return sendJson(response, 404, { message: 'Unknown Message', code: 10008 });
    const channelId = state.handle.channelId;
    const asMessage = (id: string, sent: MessageBody, flags: number): APIMessage => {
      const built = messagePayload({
        id,
        channelId,
        author: this.bot,
        content: sent.content ?? '',
        embeds: sent.embeds ?? [],
        ...(sent.components === undefined ? {} : { components: sent.components }),
        flags,
        webhookId: this.world.applicationId,
        applicationId: this.world.applicationId,
      });
      this.botMessages.set(id, built);
      return built;
    };

    if (original && method === 'PATCH') {
      if (state.originalDeleted) return sendJson(response, 404, { message: 'Unknown Message', code: 10008 });
      const problems = messageBodyProblems(body, { requireContent: false });
      if (problems.length > 0) return invalidFormBody(response, problems);
      state.originalEdited = true;
      const ephemeral = state.ack.ephemeral;
      state.handle.record({ kind: 'edit-original', at: Date.now(), body: body as MessageBody, ephemeral });
      return sendJson(response, 200, asMessage(state.originalId, body as MessageBody, ephemeral ? MessageFlags.Ephemeral : 0));
    }
    if (original && method === 'DELETE') {
      if (state.originalDeleted) return sendJson(response, 404, { message: 'Unknown Message', code: 10008 });
      state.originalDeleted = true;
      state.handle.record({ kind: 'delete-original', at: Date.now(), body: {}, ephemeral: state.ack.ephemeral });
      response.writeHead(204).end();
      return 204;
    }
    if (original && method === 'GET') {
      return sendJson(response, 200, asMessage(state.originalId, {}, state.ack.ephemeral ? MessageFlags.Ephemeral : 0));
    }
    if (!original && method === 'POST') {
      const problems = messageBodyProblems(body, { requireContent: true });
      if (problems.length > 0) return invalidFormBody(response, problems);
      const sent = body as MessageBody;
      // Discord: the first follow-up to a deferred response that is still showing replaces it
      // and keeps the deferred response's visibility.
      const replacesDeferred =
        state.ack.type === InteractionResponseType.DeferredChannelMessageWithSource && !state.originalEdited && !state.originalDeleted;
      const ephemeral = replacesDeferred ? state.ack.ephemeral : ((sent.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      if (replacesDeferred) state.originalEdited = true;
      state.handle.record({ kind: 'follow-up', at: Date.now(), body: sent, ephemeral });
      return sendJson(response, 200, asMessage(replacesDeferred ? state.originalId : snowflake(), sent, ephemeral ? MessageFlags.Ephemeral : 0));
    }
    return sendJson(response, 405, { message: '405: Method Not Allowed', code: 0 });
  }
}

/** A dispatched interaction and everything the bot did with it. */
export class InteractionHandle {
  readonly events: InteractionEvent[] = [];
  readonly #emitter = new EventEmitter();

  constructor(
    readonly id: string,
    readonly token: string,
    readonly payload: { id: string; channel_id?: string },
    readonly dispatchedAt: number,
    /** The id of the interaction's original response message, once there is one (see `DiscordEmulator.botMessage`). */
    readonly originalMessageId: string = '',
  ) {}

  get channelId(): string {
    return this.payload.channel_id ?? '';
  }

  /** @internal Called by the emulator. */
  record(event: InteractionEvent): void {
    this.events.push(event);
    this.#emitter.emit('event');
  }

  waitFor(predicate: (event: InteractionEvent) => boolean, timeoutMs = DEFAULT_WAIT_MS, what = 'a matching interaction event'): Promise<InteractionEvent> {
    return waitFor(this.#emitter, 'event', () => this.events.find(predicate), timeoutMs, what);
  }

  /** The interaction callback (the acknowledgement: reply, defer, or autocomplete result). */
  acknowledgement(timeoutMs = DEFAULT_WAIT_MS): Promise<InteractionEvent> {
    return this.waitFor((e) => e.kind === 'callback', timeoutMs, 'the interaction callback');
  }

  /**
   * What the user ends up seeing: the immediate reply, or, after a defer, the edit of the
   * original or the follow-up that replaced it.
   */
  async reply(timeoutMs = DEFAULT_WAIT_MS): Promise<VisibleReply> {
    const ack = await this.acknowledgement(timeoutMs);
    if (ack.body.type === InteractionResponseType.ChannelMessageWithSource) {
      return { ...(ack.body.data ?? {}), via: 'callback', ephemeral: ack.ephemeral, at: ack.at };
    }
    const event = await this.waitFor((e) => e.kind === 'edit-original' || e.kind === 'follow-up', timeoutMs, 'the reply after the defer');
    return { ...event.body, via: event.kind, ephemeral: event.ephemeral, at: event.at };
  }

  /** Autocomplete choices the bot responded with. */
  async choices(timeoutMs = DEFAULT_WAIT_MS): Promise<{ name: string; value: string | number }[]> {
    const ack = await this.acknowledgement(timeoutMs);
    if (ack.body.type !== InteractionResponseType.ApplicationCommandAutocompleteResult) {
      throw new Error(`Expected an autocomplete result, got callback type ${String(ack.body.type)}.`);
    }
    return (ack.body.data?.choices ?? []) as { name: string; value: string | number }[];
  }
}

/** A message the human sent, and the bot's reply to it. */
export class MessageHandle {
  constructor(
    readonly payload: APIMessage,
    readonly emulator: DiscordEmulator,
  ) {}

  /** The bot's reply: a message in the same channel that references this one. */
  async reply(timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest & { body: MessageBody }> {
    const request = await this.emulator.waitForRequest(
      (r) =>
        r.method === 'POST' &&
        r.path === `/channels/${this.payload.channel_id}/messages` &&
        (r.body as MessageBody).message_reference?.message_id === this.payload.id,
      timeoutMs,
    );
    return request as RecordedRequest & { body: MessageBody };
  }

  /** The bot's reply as the message it became (with its id and components, for {@link DiscordEmulator.clickButton}). */
  async replyMessage(timeoutMs = DEFAULT_WAIT_MS): Promise<APIMessage> {
    await this.reply(timeoutMs);
    const found = [...this.emulator.botMessages.values()].find((m) => m.message_reference?.message_id === this.payload.id);
    if (found === undefined) throw new Error(`The reply to ${this.payload.id} was not accepted by the emulator.`);
    return found;
  }
}

function memberOf(world: World) {
  return { roles: [], joined_at: world.joinedAt, deaf: false, mute: false, flags: 0, pending: false, premium_since: null, nick: null, avatar: null };
}

function waitFor<T>(emitter: EventEmitter, event: string, check: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const found = check();
  if (found !== undefined) return Promise.resolve(found);
  return new Promise<T>((resolve, reject) => {
    const onEvent = (): void => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      emitter.off(event, onEvent);
      resolve(value as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event, onEvent);
      reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`));
    }, timeoutMs);
    emitter.on(event, onEvent);
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): number {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
  return status;
}

function unknownInteraction(response: ServerResponse): number {
  return sendJson(response, 404, { message: 'Unknown interaction', code: 10062 });
}

function invalidFormBody(response: ServerResponse, problems: readonly string[]): number {
  return sendJson(response, 400, { message: 'Invalid Form Body', code: 50035, errors: { problems } });
}

/**
 * A multipart/form-data body as Discord reads it: `payload_json` is the message, every `files[n]`
 * part an attachment (kept as UTF-8 text: tests upload CSV).
 */
function parseMultipart(raw: string, contentType: string): unknown {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const marker = `--${boundary?.[1] ?? boundary?.[2] ?? ''}`;
  let payload: Record<string, unknown> = {};
  const files: { name: string; content: string }[] = [];
  for (const part of raw.split(marker).slice(1)) {
    if (part.startsWith('--')) break;
    const split = part.indexOf('\r\n\r\n');
    const headers = part.slice(0, split);
    const content = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(headers)?.[1];
    const filename = /filename="([^"]+)"/.exec(headers)?.[1];
    if (name === 'payload_json') payload = JSON.parse(content) as Record<string, unknown>;
    else if (filename !== undefined) files.push({ name: filename, content });
  }
  return { ...payload, files };
}
