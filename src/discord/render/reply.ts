import type { APIEmbed } from 'discord.js';

/** Never ping anyone: no @everyone/@here, no roles, no users, not even the author we reply to. */
export interface NoMentions {
  readonly parse: readonly [];
  readonly repliedUser: false;
}

/**
 * A reply ready to hand to discord.js (`interaction.reply/editReply/followUp`, `message.reply`).
 * Every renderer returns this shape, so no reply can leave without `allowedMentions`.
 */
export interface Reply {
  readonly content?: string;
  readonly embeds: APIEmbed[];
  readonly allowedMentions: NoMentions;
}

/** A fresh mentions object per reply (discord.js copies it, but nothing should share mutable state). */
export function noMentions(): NoMentions {
  return { parse: [], repliedUser: false };
}

export function makeReply(parts: { content?: string; embeds?: APIEmbed[] }): Reply {
  return {
    ...(parts.content === undefined ? {} : { content: parts.content }),
    embeds: parts.embeds ?? [],
    allowedMentions: noMentions(),
  };
}

/** Embed colours, so a glance tells an answer from a non-answer. */
export const COLOURS = {
  answer: 0x2e7d32,
  notAnswer: 0x757575,
  search: 0x1565c0,
  source: 0x5d4037,
} as const;
