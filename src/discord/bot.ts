import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, Events, GatewayIntentBits, Partials, type ClientOptions } from 'discord.js';
import type { CommandContext } from './command.ts';
import { commands } from './commands/index.ts';
import { Cooldowns } from './cooldown.ts';
import { createInteractionRouter } from './interaction-router.ts';
import { createMessageHandler } from './message-handler.ts';
import { BOT_DEFAULTS, resolveSettings, type DiscordBotOptions } from './options.ts';
import { noMentions } from './render/reply.ts';
import { toConnectionError } from './connection-error.ts';
import { CitebotError } from '../core/errors.ts';
import { loggableError } from './safe-error.ts';

export interface DiscordBot {
  /**
   * Log in and resolve once the gateway session is ready (all guilds received). Rejects with a
   * CitebotError (DISCORD_UNREACHABLE, DISCORD_TOKEN_INVALID) when Discord cannot be reached or
   * refuses the token.
   */
  start(): Promise<void>;
  /** Stop taking new work, let in-flight replies finish (up to `shutdownTimeoutMs`), then disconnect. */
  stop(): Promise<void>;
}

/** Gateway close code: the application asked for a privileged intent the Developer Portal does not allow. */
const DISALLOWED_INTENTS_CLOSE_CODE = 4014;
/** The message of the error @discordjs/ws rejects the login with on that close code (it has no code property). */
const DISALLOWED_INTENTS_MESSAGE = 'Used disallowed intents';

/** Milliseconds per second, for the cooldown given in seconds. */
const MS_PER_SECOND = 1000;

/**
 * The gateway intents citebot needs, and no more:
 * - Guilds: guild and channel data, which interactions and mentions refer to;
 * - GuildMessages: `@citebot question` in guild channels;
 * - DirectMessages: questions sent in a DM.
 * The privileged MessageContent intent is deliberately absent: Discord still delivers the
 * content of messages that mention the bot, of DMs, and of the message a context-menu command
 * targets, which is everything citebot reads unless the operator turns on auto-answer channels
 * or un-mentioned follow-ups ({@link intentsFor}).
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages] as const;

/**
 * The intents to identify with: {@link INTENTS}, plus the privileged MessageContent when the
 * operator enabled it (`CITEBOT_MESSAGE_CONTENT=true`; Discord refuses the login with close code
 * 4014 unless the intent is also switched on in the Developer Portal).
 */
export function intentsFor(messageContent: boolean): GatewayIntentBits[] {
  return messageContent ? [...INTENTS, GatewayIntentBits.MessageContent] : [...INTENTS];
}

/** Build the bot. Nothing connects until {@link DiscordBot.start}; commands are registered separately (see `register.ts`). */
export function createDiscordBot(options: DiscordBotOptions): DiscordBot {
  const { logger } = options;
  const shutdownTimeoutMs = options.shutdownTimeoutMs ?? BOT_DEFAULTS.shutdownTimeoutMs;
  const clientOptions: ClientOptions = {
    intents: intentsFor(options.messageContent ?? false),
    // DM channels are not cached until used; without this partial, DM messages are dropped.
    partials: [Partials.Channel],
    // Default for anything that does not set its own; every reply also sets it explicitly.
    allowedMentions: noMentions(),
    ...(options.apiUrl === undefined ? {} : { rest: { api: options.apiUrl } }),
  };
  const client = new Client(clientOptions);
  const context: CommandContext = {
    engine: options.engine,
    logger,
    settings: resolveSettings(options),
    cooldown: new Cooldowns(options.cooldownSeconds * MS_PER_SECOND),
    community: options.community,
  };

  let stopping = false;
  let started = false;
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const settled = work.catch((error: unknown) => {
      logger.error({ err: loggableError(error) }, 'a handler rejected; this is a bug in citebot');
    });
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };

  const route = createInteractionRouter({ commands, context, isStopping: () => stopping });
  const onMessage = createMessageHandler({ context, isStopping: () => stopping });
  client.on(Events.InteractionCreate, (interaction) => track(route(interaction)));
  client.on(Events.MessageCreate, (message) => track(onMessage(message)));
  observeConnection(client, options.logger, options.token, () => stopping);

  return {
    async start() {
      if (started) throw new Error('The Discord bot was already started.');
      started = true;
      const abort = new AbortController();
      const ready = once(client, Events.ClientReady, { signal: abort.signal });
      // If login fails, `ready` is aborted below; that rejection is expected, not unhandled.
      ready.catch(() => undefined);
      // discord.js does not reject login on an unrecoverable gateway close (4014 and others): it
      // emits ShardDisconnect and `ready` never comes, so the start would hang without this.
      const closed = once(client, Events.ShardDisconnect, { signal: abort.signal }).then((args: unknown[]) => {
        throw gatewayRefusal((args[0] as { code?: number } | undefined)?.code ?? 0, options.messageContent ?? false);
      });
      closed.catch(() => undefined);
      try {
        await client.login(options.token);
        await Promise.race([ready, closed]);
        abort.abort();
      } catch (error) {
        abort.abort();
        await client.destroy().catch(() => undefined);
        // @discordjs/ws rejects the login with a bare Error on close code 4014.
        if (error instanceof Error && error.message === DISALLOWED_INTENTS_MESSAGE) throw gatewayRefusal(DISALLOWED_INTENTS_CLOSE_CODE, options.messageContent ?? false);
        throw toConnectionError(error, options.apiUrl);
      }
      logger.info(
        { user: client.user?.tag, userId: client.user?.id, guilds: client.guilds.cache.size, shards: client.shard?.ids ?? [0] },
        'connected to Discord',
      );
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      if (inFlight.size > 0) {
        logger.info({ inFlight: inFlight.size }, 'waiting for in-flight replies before disconnecting');
        const timedOut = await Promise.race([
          Promise.allSettled([...inFlight]).then(() => false),
          sleep(shutdownTimeoutMs, true, { ref: false }),
        ]);
        if (timedOut) logger.warn({ inFlight: inFlight.size, shutdownTimeoutMs }, 'gave up waiting for in-flight replies');
      }
      await client.destroy();
      logger.info('disconnected from Discord');
    },
  };
}

/** Why Discord closed the gateway for good while citebot was logging in, as something the operator can act on. */
function gatewayRefusal(code: number, messageContent: boolean): CitebotError {
  if (code === DISALLOWED_INTENTS_CLOSE_CODE && messageContent) {
    return new CitebotError('CONFIG_INVALID', 'Discord refused the Message Content intent (gateway close code 4014) that CITEBOT_MESSAGE_CONTENT=true asks for.', {
      hint: 'Switch on Message Content in the Discord Developer Portal (your application → Bot → Privileged Gateway Intents), or unset CITEBOT_MESSAGE_CONTENT.',
    });
  }
  return new CitebotError('DISCORD_UNREACHABLE', `Discord closed the gateway connection for good while citebot logged in (close code ${code}).`);
}

/**
 * Log connection life-cycle events. discord.js's debug output censors the token only when it
 * has the usual three-part shape, so anything forwarded from it is redacted here as well.
 */
function observeConnection(client: Client, logger: DiscordBotOptions['logger'], token: string, isStopping: () => boolean): void {
  const redact = (message: string): string => (token === '' ? message : message.replaceAll(token, '[token]'));
  client.on(Events.ShardReconnecting, (shardId) => {
    if (isStopping()) logger.debug({ shardId }, 'gateway connection closed for shutdown');
    else logger.warn({ shardId }, 'gateway connection lost; reconnecting');
  });
  client.on(Events.ShardResume, (shardId, replayedEvents) => logger.info({ shardId, replayedEvents }, 'gateway session resumed'));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.error({ shardId, code: event.code }, 'gateway closed for good; citebot will not reconnect this shard'),
  );
  client.on(Events.ShardError, (error, shardId) => logger.warn({ shardId, err: loggableError(error) }, 'gateway connection error'));
  client.on(Events.Warn, (message) => logger.warn({ source: 'discord.js' }, redact(message)));
  // Without an 'error' listener an EventEmitter error would crash the process.
  client.on(Events.Error, (error) => logger.error({ err: loggableError(error) }, 'discord.js error'));
  client.on(Events.Debug, (message) => {
    if (message.startsWith('Provided token')) return;
    logger.debug({ source: 'discord.js' }, redact(message));
  });
  client.rest.on('rateLimited', (info) =>
    logger.warn({ route: info.route, method: info.method, retryAfter: info.retryAfter, global: info.global }, 'rate limited by Discord; retrying'),
  );
}
