import type { APIEmbed } from 'discord.js';

/**
 * Discord's message limits, in characters (measured here as UTF-16 code units, which is never
 * fewer than what Discord counts, so staying under them in JS is safe).
 */
export const DISCORD_LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  /** Sum of every embed's title, description, field names and values, footer text and author name in one message. */
  embedTotal: 6000,
  fieldsPerEmbed: 25,
  embedsPerMessage: 10,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** The characters Discord counts towards {@link DISCORD_LIMITS.embedTotal} for one embed. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0)
  );
}

/** What a rendered reply looks like before it is handed to discord.js. */
export interface MessageShape {
  readonly content?: string;
  readonly embeds?: readonly APIEmbed[];
}

/**
 * Every Discord limit the message breaks, as human-readable strings (empty when it fits).
 * Renderers are built never to produce a violation; this is how the tests check that.
 */
export function limitViolations(message: MessageShape): string[] {
  const problems: string[] = [];
  const over = (what: string, length: number, limit: number): void => {
    if (length > limit) problems.push(`${what} is ${length} characters (limit ${limit})`);
  };
  over('content', message.content?.length ?? 0, DISCORD_LIMITS.content);
  const embeds = message.embeds ?? [];
  if (embeds.length > DISCORD_LIMITS.embedsPerMessage) {
    problems.push(`${embeds.length} embeds (limit ${DISCORD_LIMITS.embedsPerMessage})`);
  }
  let total = 0;
  embeds.forEach((embed, e) => {
    over(`embed ${e} title`, embed.title?.length ?? 0, DISCORD_LIMITS.embedTitle);
    over(`embed ${e} description`, embed.description?.length ?? 0, DISCORD_LIMITS.embedDescription);
    over(`embed ${e} footer`, embed.footer?.text.length ?? 0, DISCORD_LIMITS.footerText);
    over(`embed ${e} author`, embed.author?.name.length ?? 0, DISCORD_LIMITS.authorName);
    const fields = embed.fields ?? [];
    if (fields.length > DISCORD_LIMITS.fieldsPerEmbed) {
      problems.push(`embed ${e} has ${fields.length} fields (limit ${DISCORD_LIMITS.fieldsPerEmbed})`);
    }
    fields.forEach((field, f) => {
      over(`embed ${e} field ${f} name`, field.name.length, DISCORD_LIMITS.fieldName);
      over(`embed ${e} field ${f} value`, field.value.length, DISCORD_LIMITS.fieldValue);
      if (field.name.trim() === '' || field.value.trim() === '') problems.push(`embed ${e} field ${f} is empty`);
    });
    total += embedLength(embed);
  });
  over('embeds in total', total, DISCORD_LIMITS.embedTotal);
  return problems;
}

/**
 * Split `total` characters between items that want `wants[i]` characters, each capped at
 * `caps[i]`: small items get all they want, the rest share what is left equally
 * ("water-filling"). The result never exceeds `total`, a want, or a cap.
 */
export function shareBudget(wants: readonly number[], caps: readonly number[], total: number): number[] {
  const limits = wants.map((want, i) => Math.max(0, Math.min(want, caps[i] ?? want)));
  const shares = limits.map(() => 0);
  let remaining = Math.max(0, Math.floor(total));
  let open = limits.map((_, i) => i);
  while (open.length > 0 && remaining > 0) {
    const each = Math.floor(remaining / open.length);
    if (each === 0) break;
    const stillOpen: number[] = [];
    for (const i of open) {
      const need = (limits[i] ?? 0) - (shares[i] ?? 0);
      const give = Math.min(need, each);
      shares[i] = (shares[i] ?? 0) + give;
      remaining -= give;
      if (give === each && need > each) stillOpen.push(i);
    }
    open = stillOpen;
  }
  return shares;
}
