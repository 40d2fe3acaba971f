/**
 * Payload builders for the Discord emulator. Shapes follow Discord's API v10 as typed by
 * discord-api-types (re-exported by discord.js), so a missing required field is a type error
 * here rather than a confusing failure inside discord.js.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
  PermissionFlagsBits,
  SnowflakeUtil,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIDMChannel,
  type APIGuildMember,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageApplicationCommandInteraction,
  type APIMessageComponentButtonInteraction,
  ComponentType,
  type APIRole,
  type APITextChannel,
  type APIGuildForumChannel,
  type APIThreadChannel,
  ForumLayoutType,
  OverwriteType,
  type APIUser,
  type ChannelFlags,
  type GuildMemberFlags,
  type RoleFlags,
  type GatewayGuildCreateDispatchData,
} from 'discord.js';

/** A fresh snowflake (17–19 digits, as @discordjs/rest's route bucketing expects). */
export function snowflake(): string {
  return SnowflakeUtil.generate().toString();
}

/** Permissions the bot and members have in the emulated guild (what citebot needs, and a bit more). */
export const MEMBER_PERMISSIONS = String(
  PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.SendMessages |
    PermissionFlagsBits.EmbedLinks |
    PermissionFlagsBits.ReadMessageHistory |
    PermissionFlagsBits.UseApplicationCommands,
);

export function user(id: string, username: string, bot = false): APIUser {
  return {
    id,
    username,
    discriminator: '0',
    global_name: bot ? null : username,
    avatar: null,
    ...(bot ? { bot: true } : {}),
  };
}

function memberFields(joinedAt: string): Omit<APIGuildMember, 'user'> {
  return {
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

export function guildMember(of: APIUser, joinedAt: string): APIGuildMember {
  return { ...memberFields(joinedAt), user: of };
}

/** `permissions`: the member's computed permissions in the channel (default {@link MEMBER_PERMISSIONS}). */
export function interactionMember(of: APIUser, joinedAt: string, permissions: string = MEMBER_PERMISSIONS): APIInteractionGuildMember {
  return { ...memberFields(joinedAt), user: of, permissions };
}

/** What a server's admin has on top of a member's permissions: Manage Server. */
export const MANAGER_PERMISSIONS = String(BigInt(MEMBER_PERMISSIONS) | PermissionFlagsBits.ManageGuild);

/** The fields every guild channel the emulator serves shares (a new channel: no overwrites, no topic). */
function guildChannelFields(id: string, guildId: string, name: string) {
  return {
    id,
    guild_id: guildId,
    name,
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    parent_id: null,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
}

export function textChannel(id: string, guildId: string, name: string): APITextChannel {
  return { ...guildChannelFields(id, guildId, name), type: ChannelType.GuildText };
}

/** A forum channel: every thread in it is a post (a title and a first message). */
export function forumChannel(id: string, guildId: string, name: string): APIGuildForumChannel {
  return {
    ...guildChannelFields(id, guildId, name),
    type: ChannelType.GuildForum,
    available_tags: [],
    default_reaction_emoji: null,
    default_thread_rate_limit_per_user: 0,
    default_sort_order: null,
    default_forum_layout: ForumLayoutType.NotSet,
    default_tag_setting: 'match_some',
  } as APIGuildForumChannel;
}

export function dmChannel(id: string, recipient: APIUser): APIDMChannel {
  return { id, type: ChannelType.DM, recipients: [recipient], last_message_id: null, flags: 0 as ChannelFlags, name: null };
}

function everyoneRole(guildId: string): APIRole {
  return {
    id: guildId,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: MEMBER_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

export interface World {
  readonly applicationId: string;
  readonly bot: APIUser;
  readonly guildId: string;
  readonly channel: APITextChannel;
  /** More text channels: `help` (everyone, the bot included, can see it) and `staff` (hidden from @everyone, so from the bot). */
  readonly otherChannels: readonly APITextChannel[];
  /** A forum channel everyone (the bot included) can see: `questions`. */
  readonly forum: APIGuildForumChannel;
  readonly joinedAt: string;
}

/** A text channel that @everyone (and so the bot, which has no other role) cannot see. */
export function hiddenTextChannel(id: string, guildId: string, name: string): APITextChannel {
  return { ...textChannel(id, guildId, name), permission_overwrites: [{ id: guildId, type: OverwriteType.Role, allow: '0', deny: String(PermissionFlagsBits.ViewChannel) }] };
}

/** A public thread started on message `messageId` of `parent`. */
export function publicThread(fields: { id: string; guildId: string; parentId: string; name: string; ownerId: string }): APIThreadChannel {
  return {
    id: fields.id,
    type: ChannelType.PublicThread,
    guild_id: fields.guildId,
    parent_id: fields.parentId,
    name: fields.name,
    owner_id: fields.ownerId,
    last_message_id: null,
    rate_limit_per_user: 0,
    message_count: 0,
    member_count: 1,
    total_message_sent: 0,
    flags: 0 as ChannelFlags,
    applied_tags: [],
    thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
  } as APIThreadChannel;
}

/** GUILD_CREATE for the one emulated guild: the bot, one human member and one text channel. */
export function guildCreate(world: World, human: APIUser): GatewayGuildCreateDispatchData {
  return {
    id: world.guildId,
    name: 'Emulated guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: human.id,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [everyoneRole(world.guildId)],
    emojis: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    stickers: [],
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    hub_type: null,
    incidents_data: null,
    owner: false,
    joined_at: world.joinedAt,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [guildMember(world.bot, world.joinedAt), guildMember(human, world.joinedAt)],
    channels: [world.channel, ...world.otherChannels, world.forum],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** Option values as a test writes them; the type is inferred like Discord would from the command's definition. */
export type OptionValues = Readonly<Record<string, string | number | boolean>>;

export function commandOptions(values: OptionValues, focused?: string): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(values).map(([name, value]): APIApplicationCommandInteractionDataBasicOption => {
    const isFocused = name === focused ? { focused: true } : {};
    if (typeof value === 'string') return { name, type: ApplicationCommandOptionType.String, value, ...isFocused };
    if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
    if (Number.isInteger(value)) return { name, type: ApplicationCommandOptionType.Integer, value, ...isFocused };
    return { name, type: ApplicationCommandOptionType.Number, value, ...isFocused };
  });
}

/** Where an interaction or message happens: the guild text channel, or a DM with the bot. */
export type Place = { readonly kind: 'guild' } | { readonly kind: 'dm'; readonly channel: APIDMChannel };

interface InteractionBase {
  readonly id: string;
  readonly token: string;
  readonly world: World;
  readonly author: APIUser;
  readonly place: Place;
  /** The member's permissions (a bit set as a decimal string); default {@link MEMBER_PERMISSIONS}. */
  readonly permissions?: string;
}

function interactionEnvelope(base: InteractionBase) {
  const { world, author, place } = base;
  const common = {
    id: base.id,
    application_id: world.applicationId,
    token: base.token,
    version: 1 as const,
    app_permissions: MEMBER_PERMISSIONS,
    locale: Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: 8 * 1024 * 1024,
  };
  if (place.kind === 'dm') {
    return {
      ...common,
      user: author,
      channel: place.channel,
      channel_id: place.channel.id,
      context: InteractionContextType.BotDM,
      authorizing_integration_owners: { '0': world.guildId },
    };
  }
  return {
    ...common,
    guild_id: world.guildId,
    guild: { id: world.guildId, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    member: interactionMember(author, world.joinedAt, base.permissions),
    channel: world.channel,
    channel_id: world.channel.id,
    context: InteractionContextType.Guild,
    authorizing_integration_owners: { '0': world.guildId },
  };
}

export function chatInputInteraction(
  base: InteractionBase & { readonly commandId: string; readonly name: string; readonly options: OptionValues; readonly subcommand?: string },
): APIChatInputApplicationCommandInteraction {
  const options = commandOptions(base.options);
  return {
    ...interactionEnvelope(base),
    type: InteractionType.ApplicationCommand,
    data: {
      id: base.commandId,
      name: base.name,
      type: ApplicationCommandType.ChatInput,
      // A subcommand's options sit inside it, as Discord sends them.
      options: base.subcommand === undefined ? options : [{ name: base.subcommand, type: ApplicationCommandOptionType.Subcommand, options }],
    },
  };
}

export function autocompleteInteraction(
  base: InteractionBase & { readonly commandId: string; readonly name: string; readonly options: OptionValues; readonly focused: string },
): APIApplicationCommandAutocompleteInteraction {
  return {
    ...interactionEnvelope(base),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: base.commandId,
      name: base.name,
      type: ApplicationCommandType.ChatInput,
      options: commandOptions(base.options, base.focused),
    },
  };
}

export function messageCommandInteraction(
  base: InteractionBase & { readonly commandId: string; readonly name: string; readonly target: APIMessage },
): APIMessageApplicationCommandInteraction {
  return {
    ...interactionEnvelope(base),
    type: InteractionType.ApplicationCommand,
    data: {
      id: base.commandId,
      name: base.name,
      type: ApplicationCommandType.Message,
      target_id: base.target.id,
      resolved: { messages: { [base.target.id]: base.target } },
    },
  };
}

/** A click on a button (custom id `customId`) of `message`. */
export function buttonInteraction(base: InteractionBase & { readonly customId: string; readonly message: APIMessage }): APIMessageComponentButtonInteraction {
  return {
    ...interactionEnvelope(base),
    type: InteractionType.MessageComponent,
    data: { custom_id: base.customId, component_type: ComponentType.Button },
    message: base.message,
  };
}

/** A message as Discord returns it from REST or sends it in MESSAGE_CREATE. */
export function message(fields: {
  readonly id: string;
  readonly channelId: string;
  readonly author: APIUser;
  readonly content: string;
  readonly mentions?: readonly APIUser[];
  readonly mentionEveryone?: boolean;
  readonly embeds?: APIMessage['embeds'];
  readonly flags?: number;
  readonly webhookId?: string;
  readonly applicationId?: string;
  readonly reference?: APIMessage['message_reference'];
  readonly components?: APIMessage['components'];
}): APIMessage {
  return {
    id: fields.id,
    channel_id: fields.channelId,
    author: fields.author,
    content: fields.content,
    timestamp: new Date(SnowflakeUtil.timestampFrom(fields.id)).toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: fields.mentionEveryone ?? false,
    mentions: [...(fields.mentions ?? [])],
    mention_roles: [],
    attachments: [],
    embeds: fields.embeds ?? [],
    pinned: false,
    type: fields.reference === undefined ? MessageType.Default : MessageType.Reply,
    flags: fields.flags ?? 0,
    components: fields.components ?? [],
    ...(fields.webhookId === undefined ? {} : { webhook_id: fields.webhookId }),
    ...(fields.applicationId === undefined ? {} : { application_id: fields.applicationId }),
    ...(fields.reference === undefined ? {} : { message_reference: fields.reference }),
  };
}
