/**
 * Markdown → passages, through markdown-it. This is the parser's one adapter: nothing else in src/
 * imports markdown-it.
 *
 * markdown-it gives every block token a `map` (0-based line range, end exclusive). Passages are cut
 * from the source lines those maps name — never from re-serialised Markdown — so a passage's `text`
 * is exactly lines startLine..endLine and every quote stays verbatim. Headings are not passages: they
 * are the `headings` context of the blocks under them. Each fenced code block, list, table and
 * blockquote is one passage, split at line, item or row boundaries only when it is longer than the
 * model's input (a list: longer than {@link LIST_PIECE_TOKENS}). Pure: the parser instances are configured once and keep no state between parses.
 */
import MarkdownIt, { type Token } from 'markdown-it';
import markdownItContainer from 'markdown-it-container';
import markdownItFrontMatter from 'markdown-it-front-matter';
import type { ChunkedDocument, Paragraph, PassageKind } from '../core/types.ts';
import { fileTitle, fitToTokenLimit, splitLines, type ChunkingSettings, type TokenCounter } from './split-paragraphs.ts';

/** A 0-based, end-exclusive line range: what markdown-it's `map` holds. */
interface LineRange {
  readonly begin: number;
  readonly end: number;
}

/** A block of the document that becomes one passage, or several consecutive ones when too long. */
interface Block extends LineRange {
  readonly kind: PassageKind;
  readonly headings: readonly string[];
  /**
   * Lines (0-based) where a piece of a too-long block may start, besides `begin`: list items, table
   * rows, the blocks of a quote, the code after a blank line. When these are not enough a piece is
   * cut between any two lines. Prose (`text`) is split at sentences instead.
   */
  readonly boundaries: readonly number[];
}

/** What one walk over the token stream finds. */
interface Outline {
  readonly blocks: readonly Block[];
  /** The YAML of the front matter, when the file has one. */
  readonly frontMatter: string | undefined;
  /** Plain text of the first `#` heading. */
  readonly firstTopHeading: string | undefined;
  /** Lines (0-based) holding a container's `::: name` or closing `:::` marker: never part of a passage. */
  readonly markerLines: ReadonlySet<number>;
}

/**
 * markdown-it-container registers one rule per container name; one name with a validate that takes
 * any name covers every VitePress container (`tip`, `warning`, `details`, `code-group`, custom ones).
 * Its tokens are `container_<name>_open` / `_close`.
 */
const CONTAINER_NAME = 'any';
const CONTAINER_OPEN = `container_${CONTAINER_NAME}_open`;
const CONTAINER_CLOSE = `container_${CONTAINER_NAME}_close`;

/** A line that only closes a container. */
const CONTAINER_CLOSING_LINE = /^\s*:{3,}\s*$/;

/** The lines that close a front matter block, as markdown-it-front-matter accepts them. */
const FRONT_MATTER_CLOSING_LINE = /^(?:-{3,}|\.{3})\s*$/;

/** A top-level `title:` key of the front matter with a one-line value. YAML block scalars (`|`, `>`) are not titles we can read without a YAML parser. */
const FRONT_MATTER_TITLE = /^title:[ \t]*(.*?)[ \t]*$/m;
const QUOTED = /^(['"])(.*)\1$/;
const YAML_BLOCK_SCALAR = /^[|>]/;

/** A heading's own anchor (`## Setup {#setup}`), VitePress/markdown-it-attrs syntax: an id for links, not part of the title. */
const HEADING_ANCHOR = /\s*\{#[^}]*\}\s*$/;

const HTML_COMMENT = /<!--[\s\S]*?(?:-->|$)/g;
/** Elements whose content is never shown as text: a VitePress page's `<script setup>` block, styles. */
const INVISIBLE_ELEMENT = /<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi;
const HTML_TAG = /<[^>]*>/g;
const SUMMARY_ELEMENT = /<summary\b[^>]*>([\s\S]*?)<\/summary\s*>/i;
const DETAILS_OPEN = /<details\b/gi;
const DETAILS_CLOSE = /<\/details\s*>/gi;

/** Text with something to read: a letter or a digit. A passage of only markup or punctuation (`---`, `</div>`, `}`) answers nothing. */
const HAS_WORDS = /[\p{L}\p{N}]/u;

/** Prose that ends by announcing what follows: "…the following files are also bundled separately:". */
const LEAD_IN_END = /:\s*$/;

/**
 * Whether `previous`, a prose block, is the lead-in of the block at `range`: it ends with a colon
 * and nothing but blank lines stands between them (a heading or container marker would).
 */
function introduces(previous: Block, range: LineRange, lines: readonly string[]): boolean {
  if (previous.kind !== 'text' || previous.end > range.begin) return false;
  for (let line = previous.end; line < range.begin; line++) if (!BLANK_LINE.test(lines[line] ?? '')) return false;
  return LEAD_IN_END.test(lines[previous.end - 1] ?? '');
}

/**
 * HTML is on because VitePress pages hold raw HTML and Vue components: with it off, `<script setup>`
 * blocks would parse as paragraphs and be indexed as prose.
 */
function createParser(frontMatter: boolean) {
  const parser = new MarkdownIt({ html: true });
  // The plugin reports the front matter through a callback; the token's `meta` holds the same text,
  // which keeps parsing free of shared state.
  if (frontMatter) parser.use(markdownItFrontMatter, () => undefined);
  // A name is required: a bare `:::` line is only ever a closing marker, never an opener (a stray
  // one then stays text, instead of opening a container that swallows the rest of the page).
  parser.use(markdownItContainer, CONTAINER_NAME, { validate: (params: string) => params.trim() !== '' });
  return parser;
}

const parser = createParser(true);
/** For a file whose first line is `---` without a closing line: markdown-it-front-matter would take the whole file as front matter. */
const parserWithoutFrontMatter = createParser(false);

/** Index just after the token that closes the one at `index` (itself + 1 for a self-contained token). */
function afterClose(tokens: readonly Token[], index: number): number {
  let depth = 0;
  let cursor = index;
  do {
    depth += tokens[cursor]?.nesting ?? 0;
    cursor++;
  } while (depth > 0 && cursor < tokens.length);
  return cursor;
}

/** The tokens strictly inside the block opened at `index`. */
function inside(tokens: readonly Token[], index: number): readonly Token[] {
  return tokens.slice(index + 1, afterClose(tokens, index) - 1);
}

/** Plain text of inline tokens, as a reader sees it: markup and inline HTML dropped, code and image alt text kept, whitespace collapsed. */
function inlinePlainText(children: readonly Token[] | null): string {
  const parts = (children ?? []).map((child) => {
    switch (child.type) {
      case 'text':
      case 'code_inline':
      case 'text_special':
      case 'image':
        return child.content;
      case 'softbreak':
      case 'hardbreak':
        return ' ';
      default:
        return '';
    }
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Plain text of a heading's inline tokens, its `{#anchor}` removed. */
function headingPlainText(children: readonly Token[] | null): string {
  return inlinePlainText(children).replace(HEADING_ANCHOR, '');
}

/** Plain text of a container title, which the container plugin hands over as unparsed Markdown. */
function titlePlainText(source: string): string {
  return headingPlainText(parser.parseInline(source, {})[0]?.children ?? null);
}

/** The text of an HTML fragment that a browser would show (tags, comments, scripts and styles removed). */
function visibleHtmlText(html: string): string {
  const text = html.replace(HTML_COMMENT, '').replace(INVISIBLE_ELEMENT, '').replace(HTML_TAG, ' ');
  return parser.utils.unescapeAll(text).replace(/\s+/g, ' ').trim();
}

function countMatches(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

/** The token's line range; block tokens always have one, the guard keeps the types honest. */
function rangeOf(token: Token): LineRange | undefined {
  return token.map === null ? undefined : { begin: token.map[0], end: token.map[1] };
}

/** First lines of the given child tokens: where a piece of their parent may start. */
function startsOf(children: readonly Token[]): number[] {
  return children.flatMap((child) => (child.map === null ? [] : [child.map[0]]));
}

/**
 * Lines of a code block that follow a blank line: where its "paragraphs" (functions, examples)
 * start, the best places to cut a long block. A block without any is cut between any two lines.
 */
function afterBlankLines(range: LineRange, lines: readonly string[]): number[] {
  return everyLine(range).filter((line) => (lines[line - 1] ?? '').trim() === '' && (lines[line] ?? '').trim() !== '');
}

/** Every line of a range after the first: the last resort for cutting a block. */
function everyLine(range: LineRange): number[] {
  return Array.from({ length: Math.max(0, range.end - range.begin - 1) }, (_, i) => range.begin + 1 + i);
}

/**
 * Walks the block tokens once, in document order, keeping the heading stack, and returns the blocks
 * that become passages with the headings that enclose each.
 *
 * Container titles: `::: warning Deprecated` or `::: details Why are Captured and Expected separate
 * types?` is rendered by VitePress as the title of a box around the blocks inside — a section title
 * in all but syntax, and often the very words a question uses — so it is added after the headings
 * for the blocks inside. A container without a title (`::: tip`, `::: code-group`) adds nothing: its
 * type alone says nothing about the content. A `<details><summary>…</summary>` HTML block is treated
 * the same way, with the summary as its title.
 */
function outline(tokens: readonly Token[], lines: readonly string[]): Outline {
  const headingStack: { level: number; text: string }[] = [];
  const wrappers: { source: 'container' | 'details'; title: string }[] = [];
  const blocks: Block[] = [];
  let frontMatter: string | undefined;
  let firstTopHeading: string | undefined;

  const context = (): string[] => [...headingStack.map((heading) => heading.text), ...wrappers.map((wrapper) => wrapper.title)].filter((text) => text !== '');
  const add = (kind: PassageKind, range: LineRange | undefined, boundaries: readonly number[] = []) => {
    if (range === undefined) return;
    const previous = blocks.at(-1);
    if (kind !== 'text' && previous !== undefined && introduces(previous, range, lines)) {
      // The lead-in and the block it introduces are one passage: the block is the answer, the
      // lead-in says what it is ("The listener is passed five arguments:" + the list).
      blocks[blocks.length - 1] = { kind, begin: previous.begin, end: range.end, headings: previous.headings, boundaries: [range.begin, ...boundaries] };
      return;
    }
    blocks.push({ kind, ...range, headings: context(), boundaries });
  };
  const popWrapper = (source: 'container' | 'details') => {
    const index = wrappers.findLastIndex((wrapper) => wrapper.source === source);
    if (index !== -1) wrappers.splice(index, 1);
  };

  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index] as Token;
    const range = rangeOf(token);
    let next = index + 1;
    switch (token.type) {
      case 'front_matter':
        frontMatter = String(token.meta);
        break;
      case 'heading_open': {
        const level = Number(token.tag.slice(1));
        const text = headingPlainText(tokens[index + 1]?.children ?? null);
        while ((headingStack.at(-1)?.level ?? 0) >= level) headingStack.pop();
        headingStack.push({ level, text });
        if (level === 1 && firstTopHeading === undefined && text !== '') firstTopHeading = text;
        next = afterClose(tokens, index);
        break;
      }
      case 'paragraph_open':
        // A paragraph of inline HTML alone (`<a id="setup"></a>`, `<Badge />`) shows no text.
        if (HAS_WORDS.test(inlinePlainText(tokens[index + 1]?.children ?? null))) add('text', range);
        next = afterClose(tokens, index);
        break;
      case 'fence':
      case 'code_block':
        // An empty code block has nothing to cite.
        if (range !== undefined && HAS_WORDS.test(token.content)) add('code', range, afterBlankLines(range, lines));
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        add('list', range, startsOf(inside(tokens, index).filter((child) => child.type === 'list_item_open' && child.level === token.level + 1)));
        next = afterClose(tokens, index);
        break;
      case 'table_open':
        add('table', range, startsOf(inside(tokens, index).filter((child) => child.type === 'tr_open')));
        next = afterClose(tokens, index);
        break;
      case 'blockquote_open':
        add('quote', range, startsOf(inside(tokens, index).filter((child) => child.level === token.level + 1 && child.nesting >= 0)));
        next = afterClose(tokens, index);
        break;
      case 'html_block': {
        const html = token.content.replace(HTML_COMMENT, '');
        const opened = countMatches(html, DETAILS_OPEN) - countMatches(html, DETAILS_CLOSE);
        const summary = opened > 0 ? SUMMARY_ELEMENT.exec(html) : null;
        // Content inside a details element sits under its summary; the closing tag's block is still inside.
        if (opened > 0) wrappers.push({ source: 'details', title: summary === null ? '' : visibleHtmlText(summary[1] ?? '') });
        const shown = summary === null ? html : html.replace(SUMMARY_ELEMENT, '');
        if (HAS_WORDS.test(visibleHtmlText(shown))) add('text', range);
        for (let closed = opened; closed < 0; closed++) popWrapper('details');
        break;
      }
      case CONTAINER_OPEN: {
        // info is " warning Deprecated": the first word is the container's type, the rest its title.
        const title = token.info.trim().split(/\s+/).slice(1).join(' ');
        wrappers.push({ source: 'container', title: title === '' ? '' : titlePlainText(title) });
        break;
      }
      case CONTAINER_CLOSE:
        popWrapper('container');
        break;
      default:
        // Thematic breaks, and anything else without text of its own.
        break;
    }
    index = next;
  }
  return { blocks, frontMatter, firstTopHeading, markerLines: containerMarkerLines(tokens, lines) };
}

/**
 * The lines of every container's opening and closing markers, at any depth (a list item can hold a
 * `::: tip`, and the walk does not descend into lists). The opening token's map ends at the closing
 * line when the container is closed.
 */
function containerMarkerLines(tokens: readonly Token[], lines: readonly string[]): Set<number> {
  const markerLines = new Set<number>();
  for (const token of tokens) {
    if (token.type !== CONTAINER_OPEN || token.map === null) continue;
    markerLines.add(token.map[0]);
    const closing = lines[token.map[1]];
    if (closing !== undefined && CONTAINER_CLOSING_LINE.test(closing)) markerLines.add(token.map[1]);
  }
  return markerLines;
}

/** The front matter's `title`, when it has a one-line one. */
export function frontMatterTitle(yaml: string): string | undefined {
  const value = FRONT_MATTER_TITLE.exec(yaml)?.[1];
  if (value === undefined || value === '' || YAML_BLOCK_SCALAR.test(value)) return undefined;
  const unquoted = QUOTED.exec(value)?.[2] ?? value;
  return unquoted.trim() === '' ? undefined : unquoted.trim();
}

/** A blank line; inside a blockquote a line of only `>` markers is blank too (it separates the quote's paragraphs). */
const BLANK_LINE = /^\s*$/;
const BLANK_QUOTE_LINE = /^[\s>]*$/;

/** The range without its leading and trailing blank lines; undefined when nothing is left. */
function trimBlankLines(range: LineRange, lines: readonly string[], kind: PassageKind): LineRange | undefined {
  const blank = kind === 'quote' ? BLANK_QUOTE_LINE : BLANK_LINE;
  let { begin, end } = range;
  while (begin < end && blank.test(lines[begin] ?? '')) begin++;
  while (end > begin && blank.test(lines[end - 1] ?? '')) end--;
  return begin < end ? { begin, end } : undefined;
}

/** The parts of a range between container marker lines (a list can hold a `::: tip`; its `:::` lines belong to no passage). */
function withoutMarkers(range: LineRange, markerLines: ReadonlySet<number>): LineRange[] {
  const parts: LineRange[] = [];
  let begin = range.begin;
  for (let line = range.begin; line < range.end; line++) {
    if (!markerLines.has(line)) continue;
    if (line > begin) parts.push({ begin, end: line });
    begin = line + 1;
  }
  if (begin < range.end) parts.push({ begin, end: range.end });
  return parts;
}

/** The consecutive units of `range` that start at `boundaries` (and at its first line); together they tile the range. */
function unitsOf(range: LineRange, boundaries: readonly number[]): LineRange[] {
  const starts = [...new Set([range.begin, ...boundaries.filter((line) => line > range.begin && line < range.end)])].sort((a, b) => a - b);
  return starts.map((begin, i) => ({ begin, end: starts[i + 1] ?? range.end }));
}

/** Everything needed to turn line ranges of one block into passages. */
interface Cutter {
  readonly lines: readonly string[];
  readonly file: string;
  readonly block: Block;
  readonly markerLines: ReadonlySet<number>;
  readonly maxTokens: number;
  readonly countTokens: TokenCounter;
}

function passageOf(cutter: Cutter, range: LineRange): Paragraph {
  return {
    file: cutter.file,
    startLine: range.begin + 1,
    endLine: range.end,
    text: cutter.lines.slice(range.begin, range.end).join('\n'),
    headings: cutter.block.headings,
    kind: cutter.block.kind,
  };
}

function fits(cutter: Cutter, range: LineRange, tokens = cutter.maxTokens): boolean {
  return cutter.countTokens(cutter.lines.slice(range.begin, range.end).join('\n')) <= tokens;
}

/** Consecutive `units` joined greedily into the fewest runs that `fitsPiece` accepts (a unit it rejects alone is a run of its own). */
function pack(units: readonly LineRange[], fitsPiece: (range: LineRange) => boolean): LineRange[] {
  const packed: LineRange[] = [];
  let open: LineRange | undefined;
  for (const unit of units) {
    const grown = open === undefined ? unit : { begin: open.begin, end: unit.end };
    if (open === undefined || fitsPiece(grown)) {
      open = grown;
    } else {
      packed.push(open);
      open = unit;
    }
  }
  if (open !== undefined) packed.push(open);
  return packed;
}

/**
 * Pieces of `range` that fit in the token limit, each a run of whole lines: cut at the coarsest
 * boundaries that work — the block's own (items, rows), then lines — and packed greedily, so the
 * pieces are the fewest consecutive runs of units. Only a single line over the limit is cut inside,
 * at words, by {@link fitToTokenLimit} (its span is that line).
 */
function fitRange(cutter: Cutter, range: LineRange, boundaries: readonly number[]): Paragraph[] {
  const trimmed = trimBlankLines(range, cutter.lines, cutter.block.kind);
  if (trimmed === undefined) return [];
  if (fits(cutter, trimmed)) return [passageOf(cutter, trimmed)];
  if (trimmed.end - trimmed.begin === 1) return fitToTokenLimit(passageOf(cutter, trimmed), cutter.maxTokens, cutter.countTokens);
  const structural = unitsOf(trimmed, boundaries);
  const units = structural.length > 1 ? structural : unitsOf(trimmed, everyLine(trimmed));
  // A piece that still does not fit is a single unit (an item or row longer than the limit): cut it by lines.
  return pack(units, (range) => fits(cutter, range)).flatMap((piece) => fitRange(cutter, piece, everyLine(piece)));
}

/**
 * Most tokens in a piece of a long list. A list longer than this is cut between its items into
 * pieces of at most this many (an item longer than this stays whole, up to the model's limit).
 * Reference documentation lists options as items (`* **bodyTimeout** … Use \`0\` to disable it`);
 * packed to the model's 510 tokens, one vector stood for five or six unrelated options and the one
 * asked about was lost among them. Measured 2026-12-02 on the docs question sets (R@1 / R@5 / MRR@5,
 * strict count), at the model's limit → 256: undici-docs 0.560 / 0.840 / 0.677 → 0.600 / 0.840 /
 * 0.699, pino-docs 0.622 / 0.867 / 0.721 → 0.622 / 0.867 / 0.719, vitest-docs unchanged, and
 * fastify-docs (held out) 0.460 / 0.760 / 0.574 → 0.460 / 0.760 / 0.583. 128 cost pino three
 * questions and vitest two; 192 and 384 also helped undici; tables cut the same way lost a little
 * (a row away from its header means less).
 */
export const LIST_PIECE_TOKENS = 256;

/** A long list: cut between items into pieces of at most {@link LIST_PIECE_TOKENS}, each then fitted to the model's limit. */
function listPieces(cutter: Cutter, range: LineRange, boundaries: readonly number[]): Paragraph[] {
  const pieceTokens = Math.min(LIST_PIECE_TOKENS, cutter.maxTokens);
  if (fits(cutter, range, pieceTokens)) return fitRange(cutter, range, boundaries);
  return pack(unitsOf(range, boundaries), (piece) => fits(cutter, piece, pieceTokens)).flatMap((piece) => fitRange(cutter, piece, boundaries));
}

/** The passages of one block: whole when it fits, else split (prose at sentences, the rest at item, row or line boundaries). */
function blockPassages(cutter: Cutter): Paragraph[] {
  const { block, lines, maxTokens, countTokens } = cutter;
  return withoutMarkers(block, cutter.markerLines).flatMap((part) => {
    const trimmed = trimBlankLines(part, lines, block.kind);
    if (trimmed === undefined) return [];
    const whole = passageOf(cutter, trimmed);
    if (block.kind !== 'code' && !HAS_WORDS.test(whole.text)) return [];
    if (block.kind === 'text') return fitToTokenLimit(whole, maxTokens, countTokens);
    return block.kind === 'list' ? listPieces(cutter, trimmed, block.boundaries) : fitRange(cutter, trimmed, block.boundaries);
  });
}

/**
 * The chunker for Markdown: the document's title (front matter `title`, else the first `#` heading,
 * else the file name) and its passages, in document order, long ones split to `settings.maxTokens`.
 * `settings.headingMaxWords` does not apply: Markdown says which lines are headings.
 */
export function chunkMarkdown(file: string, text: string, settings: ChunkingSettings, countTokens: TokenCounter): ChunkedDocument {
  const lines = splitLines(text);
  const source = lines.join('\n');
  let tokens = parser.parse(source, {});
  const frontMatterToken = tokens.find((token) => token.type === 'front_matter');
  if (frontMatterToken?.map != null && !isClosedFrontMatter(frontMatterToken.map, lines)) tokens = parserWithoutFrontMatter.parse(source, {});
  const found = outline(tokens, lines);
  const passages = found.blocks.flatMap((block) =>
    blockPassages({ lines, file, block, maxTokens: settings.maxTokens, countTokens, markerLines: found.markerLines }),
  );
  const title = (found.frontMatter === undefined ? undefined : frontMatterTitle(found.frontMatter)) ?? found.firstTopHeading ?? fileTitle(file);
  return { title, passages };
}

/** Whether the front matter block that starts the file also ends with a closing line (the plugin closes an unclosed one at the end of the file). */
function isClosedFrontMatter(map: readonly [number, number], lines: readonly string[]): boolean {
  const last = map[1] - 1;
  return last > 0 && FRONT_MATTER_CLOSING_LINE.test(lines[last] ?? '');
}
