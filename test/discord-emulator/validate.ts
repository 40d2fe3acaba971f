/**
 * The message-body checks Discord's API makes before accepting a message, so a reply that
 * breaks a limit fails in the emulator the way it would fail in production (400, code 50035).
 */

interface EmbedLike {
  title?: unknown;
  description?: unknown;
  fields?: unknown;
  footer?: { text?: unknown };
  author?: { name?: unknown };
}

const LIMITS = {
  content: 2000,
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  total: 6000,
} as const;

const length = (value: unknown): number => (typeof value === 'string' ? value.length : 0);

/** Problems with a message body (create or edit), as `path: message` strings; empty when Discord would accept it. */
export function messageBodyProblems(body: unknown, options: { readonly requireContent: boolean }): string[] {
  const problems: string[] = [];
  if (typeof body !== 'object' || body === null) return ['body: must be a JSON object'];
  const { content, embeds } = body as { content?: unknown; embeds?: unknown };
  if (content !== undefined && content !== null && typeof content !== 'string') problems.push('content: must be a string');
  if (length(content) > LIMITS.content) problems.push(`content: must be ${LIMITS.content} or fewer in length`);
  const list: EmbedLike[] = Array.isArray(embeds) ? (embeds as EmbedLike[]) : [];
  if (list.length > LIMITS.embeds) problems.push(`embeds: must be ${LIMITS.embeds} or fewer in length`);
  let total = 0;
  list.forEach((embed, e) => {
    const check = (path: string, value: unknown, max: number): void => {
      if (length(value) > max) problems.push(`embeds.${e}.${path}: must be ${max} or fewer in length`);
      total += length(value);
    };
    check('title', embed.title, LIMITS.title);
    check('description', embed.description, LIMITS.description);
    check('footer.text', embed.footer?.text, LIMITS.footer);
    check('author.name', embed.author?.name, LIMITS.author);
    const fields = Array.isArray(embed.fields) ? (embed.fields as { name?: unknown; value?: unknown }[]) : [];
    if (fields.length > LIMITS.fields) problems.push(`embeds.${e}.fields: must be ${LIMITS.fields} or fewer in length`);
    fields.forEach((field, f) => {
      if (length(field.name) === 0 || String(field.name).trim() === '') problems.push(`embeds.${e}.fields.${f}.name: required`);
      if (length(field.value) === 0 || String(field.value).trim() === '') problems.push(`embeds.${e}.fields.${f}.value: required`);
      check(`fields.${f}.name`, field.name, LIMITS.fieldName);
      check(`fields.${f}.value`, field.value, LIMITS.fieldValue);
    });
  });
  if (total > LIMITS.total) problems.push(`embeds: embed size exceeds maximum size of ${LIMITS.total}`);
  if (options.requireContent && length(content) === 0 && list.length === 0) problems.push('Cannot send an empty message');
  return problems;
}
