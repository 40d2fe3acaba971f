/** `/citebot config`: the server's settings, shown privately. */
import type { GuildSettings } from '../../core/community-store.ts';
import { DISCORD_LIMITS } from './limits.ts';
import { COLOURS, makeReply, type Reply } from './reply.ts';
import { trimAtWord } from './text.ts';

const onOff = (value: boolean): string => (value ? 'on' : 'off');

/** The settings as an embed; `saved` says whether this reply follows a committed change. */
export function renderSettings(settings: GuildSettings, saved: boolean): Reply {
  const channels = settings.mentionChannels.length === 0 ? 'every channel citebot can see' : settings.mentionChannels.map((id) => `<#${id}>`).join(' ');
  return makeReply({
    ...(saved ? { content: 'Saved. The change applies from now on.' } : {}),
    embeds: [
      {
        color: COLOURS.source,
        title: 'citebot settings for this server',
        fields: [
          { name: 'answer-in-thread', value: `${onOff(settings.answerInThread)}: public \`/ask\` answers ${settings.answerInThread ? 'open' : 'do not open'} a thread`, inline: false },
          { name: 'private-by-default', value: `${onOff(settings.privateByDefault)}: \`/ask\` without \`private:\` answers ${settings.privateByDefault ? 'only the asker' : 'in the channel'}`, inline: false },
          { name: 'mention-channels', value: trimAtWord(`@citebot is answered in ${channels}`, DISCORD_LIMITS.fieldValue), inline: false },
        ],
        footer: { text: 'Change with /citebot config answer-in-thread: private-by-default: mention-channels: (#channels, or all)' },
      },
    ],
  });
}
