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
  problems.push(...componentProblems((body as { components?: unknown }).components));
  if (options.requireContent && length(content) === 0 && list.length === 0) problems.push('Cannot send an empty message');
  return problems;
}

const COMPONENT_LIMITS = { rows: 5, perRow: 5, customId: 100, label: 80 } as const;
const ACTION_ROW = 1;
const BUTTON = 2;
const LINK_STYLE = 5;

/** Discord's checks on message components (action rows of buttons, the kind citebot sends). */
function componentProblems(components: unknown): string[] {
  if (components === undefined || components === null) return [];
  if (!Array.isArray(components)) return ['components: must be an array'];
  const problems: string[] = [];
  if (components.length > COMPONENT_LIMITS.rows) problems.push(`components: must be ${COMPONENT_LIMITS.rows} or fewer in length`);
  const seen = new Set<string>();
  (components as { type?: unknown; components?: unknown }[]).forEach((row, r) => {
    if (row.type !== ACTION_ROW) return problems.push(`components.${r}.type: must be an action row`);
    const children = Array.isArray(row.components) ? (row.components as { type?: unknown; style?: unknown; custom_id?: unknown; label?: unknown }[]) : [];
    if (children.length === 0 || children.length > COMPONENT_LIMITS.perRow) problems.push(`components.${r}.components: must be 1 to ${COMPONENT_LIMITS.perRow} in length`);
    children.forEach((child, c) => {
      const where = `components.${r}.components.${c}`;
      if (child.type !== BUTTON) return;
      if (length(child.label) > COMPONENT_LIMITS.label) problems.push(`${where}.label: must be ${COMPONENT_LIMITS.label} or fewer in length`);
      if (child.style === LINK_STYLE) return;
      if (typeof child.custom_id !== 'string' || child.custom_id === '') return problems.push(`${where}.custom_id: required`);
      if (child.custom_id.length > COMPONENT_LIMITS.customId) problems.push(`${where}.custom_id: must be ${COMPONENT_LIMITS.customId} or fewer in length`);
      if (seen.has(child.custom_id)) problems.push(`${where}.custom_id: component custom id cannot be duplicated`);
      seen.add(child.custom_id);
      return undefined;
    });
    return undefined;
  });
  return problems;
}
