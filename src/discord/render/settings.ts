/** `/citebot config`: the server's settings, shown privately. */
import type { GuildSettings } from '../../core/community-store.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { trimAtWord } from './text.ts';

const onOff = (value: boolean): string => (value ? 'on' : 'off');
const channelList = (ids: readonly string[]): string => ids.map((id) => `<#${id}>`).join(' ');

/** What the bot process contributes to the settings shown: whether it can read messages, and its default cooldown. */
export interface SettingsContext {
  /** The bot receives message text without a mention (CITEBOT_MESSAGE_CONTENT=true and the intent on). */
  readonly messageContent: boolean;
  /** CITEBOT_COOLDOWN_SECONDS: the cooldown of a server that set none. */
  readonly defaultCooldownSeconds: number;
}

/** Said whenever auto-answer channels are set but the bot cannot read the messages they would answer. */
export const AUTO_ANSWER_NEEDS_INTENT =
  'Auto-answer needs the Message Content intent, which this bot does not have: until its operator enables it in the Discord Developer Portal (Bot → Privileged Gateway Intents) and sets CITEBOT_MESSAGE_CONTENT=true, citebot only answers mentions there.';

/** The settings as an embed; `saved` says whether this reply follows a committed change. */
export function renderSettings(settings: GuildSettings, saved: boolean, bot: SettingsContext): Reply {
  const channels = settings.mentionChannels.length === 0 ? 'every channel citebot can see' : channelList(settings.mentionChannels);
  const auto =
    settings.autoAnswerChannels.length === 0
      ? 'none: citebot answers only when mentioned'
      : `every new message or post in ${channelList(settings.autoAnswerChannels)} is answered; nothing is said when the sources do not answer`;
  const cooldown =
    settings.cooldownSeconds === null ? `${bot.defaultCooldownSeconds} s (the bot's default)` : settings.cooldownSeconds === 0 ? 'off' : `${settings.cooldownSeconds} s`;
  const lines = [...(saved ? ['Saved. The change applies from now on.'] : []), ...(settings.autoAnswerChannels.length > 0 && !bot.messageContent ? [`⚠️ ${AUTO_ANSWER_NEEDS_INTENT}`] : [])];
  return makeReply({
    ...(lines.length === 0 ? {} : { content: lines.join('\n') }),
    embeds: [
      {
        color: COLOURS.source,
        title: 'citebot settings for this server',
        fields: [
          { name: 'answer-in-thread', value: `${onOff(settings.answerInThread)}: public answers ${settings.answerInThread ? 'open' : 'do not open'} a thread`, inline: false },
          { name: 'private-by-default', value: `${onOff(settings.privateByDefault)}: \`/ask\` without \`private:\` answers ${settings.privateByDefault ? 'only the asker' : 'in the channel'}`, inline: false },
          { name: 'mention-channels', value: trimAtWord(`@citebot is answered in ${channels}`, DISCORD_LIMITS.fieldValue), inline: false },
          { name: 'auto-answer-channels', value: trimAtWord(auto, DISCORD_LIMITS.fieldValue), inline: false },
          { name: 'cooldown', value: `${cooldown} between a member's questions`, inline: false },
        ],
        footer: { text: 'Change with /citebot config answer-in-thread: private-by-default: mention-channels: auto-answer-channels: cooldown:' },
      },
    ],
  });
}
