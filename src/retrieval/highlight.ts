/**
 * The highlight: the one sentence (prose) or line (code, lists, tables) of a passage that holds
 * the answer, chosen without a model. Pure and cheap (~0.1–0.5 ms a passage): the whole answer
 * has ~10 ms left after retrieval, and embedding candidate sentences, as before, cost ~130 ms a
 * passage while picking the right sentence less often (on gold passages, answer in highlight:
 * XQuAD 0.767 → 0.837, vitest-docs 0.575 → 0.738; SciFact gold evidence sentence 0.524 → 0.529).
 *
 * Evidence, per candidate unit (each weight in HIGHLIGHT_WEIGHTS, with what it measured):
 *   - the question's words it holds, each weighted by its idf in the corpus (a rare shared word
 *     is worth more than "test" in a test framework's docs) and by its rarity among the passage's
 *     units (the passage's subject is in most of them); an identifier's parts count as one word,
 *     a part less than the whole; a word in another form counts by its first five letters;
 *   - question words next to each other (a phrase of the question);
 *   - the kind of answer the question asks for (who → a name, when → a date, how many → a number,
 *     "what is the default" → a value), present in the unit and new to the question;
 *   - the evidence of the unit before, when this one refers back to it ("He …") or that one
 *     introduces it (a colon-ending lead-in, a comment line or a block opener in code);
 *   - penalties for fragments (a heading, a label), lead-ins and import lines.
 *
 * Units: prose by sentences, code and tables by lines, lists by items. A block passage that opens
 * with its prose lead-in ("By default … port `9229`. Pass another in `--inspect-brk`:" + the code)
 * reads the lead-in by sentences and the block by its own rule; a table's header row is no unit.
 */
import type { PassageKind, TextRange } from '../core/types.ts';
import { answerTypes, holdsAnswerType, questionWords, wordsOf, type AnswerType } from './answer-types.ts';
import { sentenceRanges } from '../corpus/split-paragraphs.ts';
import { analyze } from '../lexical-index/analyzer.ts';

/** What the highlight is chosen from: one passage and the question. */
export interface HighlightInput {
  readonly text: string;
  readonly kind: PassageKind;
  readonly query: string;
  /** idf of an analysed term in the corpus (the BM25 index's `idf`), for weighting overlaps. */
  readonly idf: (term: string) => number;
  /**
   * What a single newline inside the passage is. `soft` (Markdown): a wrapped line, read as a
   * space. `hard` (plain text, the default): a break — a .txt file's first line is often a title
   * standing over the text, and on XQuAD's corpus files (title line, then the paragraph) reading it
   * as a space cost answer-in-highlight 0.809 → 0.799.
   */
  readonly lineBreaks?: 'soft' | 'hard';
}

/** A candidate highlight: a trimmed, non-empty range of the passage. */
interface Unit extends TextRange {
  readonly text: string;
  /** Prose (read as sentences) rather than a line of code, a list item or a table row. */
  readonly prose?: boolean;
}

const FENCE_LINE = /^\s*(?:```|~~~)/;
/** A Markdown table's separator row (`|---|:--:|`). */
const TABLE_RULE = /^\s*\|?\s*:?-{3,}/;
/** A line with no letter or digit (`});`, `---`) answers nothing. */
const HAS_WORD = /[\p{L}\p{N}]/u;

/** Each line of `text` with the offset it starts at (the last line may be empty). */
function* linesOf(text: string): Generator<{ readonly line: string; readonly start: number }> {
  let start = 0;
  while (start <= text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    yield { line: text.slice(start, end), start };
    if (newline === -1) break;
    start = newline + 1;
  }
}

/** Whether a line may answer: not a code fence, not a table rule, with some word. */
const isAnswerLine = (line: string) => !FENCE_LINE.test(line) && !TABLE_RULE.test(line) && HAS_WORD.test(line);

/** The line as a unit: its trimmed range within `text`. */
function lineUnit(text: string, line: string, start: number): Unit {
  const unitStart = start + line.length - line.trimStart().length;
  const unitEnd = unitStart + line.trim().length;
  return { start: unitStart, end: unitEnd, text: text.slice(unitStart, unitEnd) };
}

/** The trimmed lines of `text` that may answer: not blank, not a code fence, not a table rule, with some word. */
function lineUnits(text: string): Unit[] {
  const units: Unit[] = [];
  for (const { line, start } of linesOf(text)) if (isAnswerLine(line)) units.push(lineUnit(text, line, start));
  return units;
}

/**
 * The rows of a table, without its header row (the one above the `|---|` rule): the header names
 * the columns every row fills in, so it holds the question's words ("version", "Node.js") and never
 * the answer (on the pino, undici and vitest question sets it was the highlight of 3 of 11 gold
 * table passages). A table that is all header keeps it.
 */
function tableUnits(text: string): Unit[] {
  const lines = [...linesOf(text)];
  const units: Unit[] = [];
  lines.forEach(({ line, start }, i) => {
    if (isAnswerLine(line) && !TABLE_RULE.test(lines[i + 1]?.line ?? '')) units.push(lineUnit(text, line, start));
  });
  return units.length > 0 ? units : lineUnits(text);
}

/**
 * A sentence "ending" in one of these is cut after an abbreviation, not at a sentence end: an
 * initial (`William E. Simon`), a title or a Latin abbreviation (`St. Johns`, `Brown v. Board`).
 * The platform's segmenter splits there; an answer must not be cut in two (on XQuAD 16 of 1,190
 * answers were).
 */
const ABBREVIATION_END = /(?:^|[\s(])(?:\p{Lu}|St|Mt|Ft|Dr|Mr|Mrs|Ms|Jr|Sr|Prof|Gen|Gov|Sen|Rep|Rev|Capt|Lt|Col|No|Nos|Vol|Co|Corp|Inc|Ltd|v|vs|cf|ca|approx|e\.g|i\.e|U\.S|U\.K)\.$/u;

/**
 * A line break inside a paragraph: one newline between two non-blank lines. Markdown reads it as a
 * space (authors wrap prose at ~80 columns), but the Unicode segmenter ends a sentence at every
 * newline, which cut "…always use a destination⏎with `sync: true`." before its answer. A line
 * ending in a colon stays a break: it is a lead-in to what follows, weighed on its own.
 */
const SOFT_LINE_BREAK = /(?<=[^\n:])\n(?=[^\n])/g;

/**
 * Inline code and link targets: a `?` or `.` inside them (`**\/*.?(c|m)[jt]s?(x)`, `](/config/pool#threads)`)
 * ends no sentence, but the segmenter cut there, leaving a sentence's end as a fragment of its own.
 */
const INLINE_CODE_OR_LINK_TARGET = /`[^`\n]+`|\]\([^)\s]*\)/g;
const SENTENCE_PUNCTUATION = /[.?!]/g;

/**
 * Markdown `text` as the segmenter should read it: soft line breaks made spaces, and the
 * punctuation inside inline code and link targets made letters. The same length, so every offset
 * still points into `text`.
 */
function unwrapped(text: string): string {
  return text.replace(SOFT_LINE_BREAK, ' ').replace(INLINE_CODE_OR_LINK_TARGET, (span) => span.replace(SENTENCE_PUNCTUATION, 'x'));
}

function sentenceUnits(text: string, joinWrappedLines: boolean): Unit[] {
  const units: Unit[] = [];
  for (const { start, end } of sentenceRanges(joinWrappedLines ? unwrapped(text) : text)) {
    const previous = units[units.length - 1];
    if (previous !== undefined && ABBREVIATION_END.test(previous.text)) units[units.length - 1] = { start: previous.start, end, text: text.slice(previous.start, end) };
    else units.push({ start, end, text: text.slice(start, end) });
  }
  return units;
}

/** A line that starts a list item: a bullet or a number, then a space. */
const LIST_ITEM_START = /^\s*(?:[-*+]|\d{1,9}[.)])\s/;

/**
 * The units of a list: each item with its wrapped continuation lines (an item is one statement,
 * however the author wrapped it), and each line of a code block inside it; prose before the first
 * item (a lead-in) is one unit too. Built from {@link lineUnits}, so fences and blank lines are
 * already gone; a blank line or a fence still ends an item.
 */
function listUnits(text: string): Unit[] {
  const units: Unit[] = [];
  let inFence = false;
  let joinable = false;
  for (const { line, start } of linesOf(text)) {
    const fence = FENCE_LINE.test(line);
    if (fence) inFence = !inFence;
    const usable = isAnswerLine(line);
    if (usable) {
      const unit = lineUnit(text, line, start);
      const previous = units[units.length - 1];
      if (!inFence && joinable && previous !== undefined && !LIST_ITEM_START.test(line)) {
        units[units.length - 1] = { start: previous.start, end: unit.end, text: text.slice(previous.start, unit.end) };
      } else {
        units.push(unit);
      }
    }
    // Only prose lines continue onto the next line; a code line, a blank line or a fence stands alone.
    joinable = usable && !inFence;
  }
  return units;
}

/** The line that starts the block itself, by kind: a fence, a list item, a table row. */
const BLOCK_START: Partial<Record<PassageKind, RegExp>> = { code: FENCE_LINE, list: LIST_ITEM_START, table: /^\s*\|/ };

/**
 * Where the prose lead-in of a block passage ends: the parser makes "…is passed five arguments:"
 * and the list (or code block, or table) it introduces one passage. The lead-in is prose and is
 * read sentence by sentence; read as lines of code, its sentences were one unit that led in to
 * the first code line and handed it all its evidence ("vitest --inspect-brk=127.0.0.1:3000 …"
 * chosen over "By default Vitest will use port `9229`"). 0 when the passage starts with its block.
 */
function leadInEnd(text: string, kind: PassageKind): number {
  const start = BLOCK_START[kind];
  if (start === undefined) return 0;
  for (const { line, start: offset } of linesOf(text)) if (start.test(line)) return offset;
  return 0;
}

function shifted(units: readonly Unit[], by: number): Unit[] {
  return units.map((unit) => ({ ...unit, start: unit.start + by, end: unit.end + by }));
}

/** Code and tables are read line by line, lists item by item, prose (and a block's lead-in) sentence by sentence. */
function unitsOf(text: string, kind: PassageKind, softLineBreaks: boolean): Unit[] {
  if (kind === 'text' || kind === 'quote') return proseUnits(text, softLineBreaks);
  const bodyStart = leadInEnd(text, kind);
  const body = text.slice(bodyStart);
  const blockUnits = shifted(kind === 'list' ? listUnits(body) : kind === 'table' ? tableUnits(body) : lineUnits(body), bodyStart);
  const units = [...proseUnits(text.slice(0, bodyStart), softLineBreaks), ...blockUnits];
  // Nothing but fences and rules: the segmenter's own pieces, so a fence line alone is still a unit.
  return units.length > 0 ? units : sentenceUnits(text, false);
}

function proseUnits(text: string, softLineBreaks: boolean): Unit[] {
  return sentenceUnits(text, softLineBreaks).map((unit) => ({ ...unit, prose: true }));
}

/**
 * How the evidence is weighed. One place for every tuning constant, each with the reason it has
 * its value; measured on SciFact's gold evidence sentences and on a development half of XQuAD
 * (see test/eval/highlight.test.ts for the measurement that guards them).
 */
export interface HighlightWeights {
  /** Bonus, as a share of the question's weight, for each phrase of the question (two adjacent question words) found together. */
  readonly phrase: number;
  /** Bonus when the unit holds the kind of answer the question asks for (a number, a date, a name …) that the question itself does not. */
  readonly answerType: number;
  /** Penalty for a unit of fewer than `fragmentWords` words: a heading or a label, not an answer. */
  readonly fragment: number;
  readonly fragmentWords: number;
  /** Penalty for a lead-in ending in a colon ("For example:"): what it introduces is in the next unit. */
  readonly leadIn: number;
  /** Penalty for an import line of code: it names what the code uses, never what it does. */
  readonly importLine: number;
  /** Exponent of a question word's rarity among the passage's units (units / units with it): 0 ignores it. */
  readonly localRarity: number;
  /** Credit, as a share of a word's weight, for a word matched by its first five letters only (`died` ~ `die`). */
  readonly prefixMatch: number;
  /** Credit, as a share of its idf, for holding only a part of a question identifier (`timeout` of `testTimeout`). */
  readonly partMatch: number;
  /**
   * Share of the previous unit's word evidence inherited by a unit that starts by referring back
   * (`He`, `This`, `The company`): the answer is often told in the sentence after the one in the
   * question's words.
   */
  readonly carryAnaphoric: number;
  /**
   * The same for the unit after a lead-in (a colon-ending sentence, a comment line or a block
   * opener in code): all of it, since a lead-in's words describe what it introduces.
   */
  readonly carryLeadIn: number;
}

export const HIGHLIGHT_WEIGHTS: HighlightWeights = {
  phrase: 0.4,
  answerType: 0.3,
  fragment: 0.3,
  fragmentWords: 4,
  leadIn: 0.3,
  importLine: 0.3,
  localRarity: 0.25,
  prefixMatch: 0.9,
  partMatch: 0.75,
  carryAnaphoric: 0.35,
  carryLeadIn: 1,
};

/**
 * The question's terms, grouped by the word they come from: the parts of `vi.waitUntil` are one
 * piece of evidence, not four. A unit is credited with the best term of the group it holds.
 */
interface QueryGroup {
  readonly terms: readonly string[];
  /** What holding each term is worth: its idf, times `partMatch` for a part of an identifier. */
  readonly credits: readonly number[];
  /** The most the group can be worth (its best credit). */
  readonly weight: number;
}

const WHITESPACE = /\s+/;

function queryGroups(query: string, idf: (term: string) => number, partMatch: number): QueryGroup[] {
  const groups: QueryGroup[] = [];
  const seen = new Set<string>();
  for (const word of query.split(WHITESPACE)) {
    // analyze() puts an identifier's whole first, then its parts.
    const analysed = analyze(word);
    const terms: string[] = [];
    const credits: number[] = [];
    analysed.forEach((term, i) => {
      if (seen.has(term)) return;
      seen.add(term);
      terms.push(term);
      credits.push(idf(term) * (i === 0 ? 1 : partMatch));
    });
    if (terms.length > 0) groups.push({ terms, credits, weight: Math.max(...credits) });
  }
  return groups;
}

const LEAD_IN = /:\s*$/;
const CODE_COMMENT = /^\s*(?:\/\/|\/\*|\*|#(?!!))/;
/** In code, a line that opens a block (`test: {`, `exclude: [`) introduces what follows. */
const BLOCK_OPENER = /[:{[(]\s*$/;

/** Whether the unit introduces the next one rather than saying something itself. */
function isLeadIn(unit: Unit, kind: PassageKind): boolean {
  // In code, a comment line introduces the code it explains, as a block opener does.
  return isCodeLine(unit, kind) ? BLOCK_OPENER.test(unit.text) || CODE_COMMENT.test(unit.text) : LEAD_IN.test(unit.text);
}

/** A line of a code block (not the prose lead-in of the passage). */
const isCodeLine = (unit: Unit, kind: PassageKind) => kind === 'code' && unit.prose !== true;
/** A line of code that is not a comment. */
const isCodeStatement = (unit: Unit, kind: PassageKind) => isCodeLine(unit, kind) && !CODE_COMMENT.test(unit.text);
const IMPORT_LINE = /^\s*(?:import\b|export \* from\b|const \w+ = require\()/;

interface Question {
  readonly groups: readonly QueryGroup[];
  readonly types: ReadonlySet<AnswerType>;
  readonly words: ReadonlySet<string>;
}

/** A unit's analysed terms, each at its first position. */
function termPositions(text: string): Map<string, number> {
  const positions = new Map<string, number>();
  analyze(text).forEach((term, position) => {
    if (!positions.has(term)) positions.set(term, position);
  });
  return positions;
}

interface GroupMatch {
  /** Position of the matched term among the unit's analysed terms. */
  readonly at: number;
  /** Credit of the best term held, as a share of the group's weight. */
  readonly share: number;
}

/** The best term of the group that the unit holds, exactly or (with `prefixMatch` credit) by its first letters. */
function matchGroup(group: QueryGroup, positions: ReadonlyMap<string, number>, prefixes: ReadonlyMap<string, number> | undefined, prefixMatch: number): GroupMatch | undefined {
  let found: GroupMatch | undefined;
  group.terms.forEach((term, i) => {
    const credit = group.credits[i] as number;
    let at = positions.get(term);
    let share = credit / group.weight;
    if (at === undefined && prefixes !== undefined && term.length >= PREFIX_LENGTH) {
      at = prefixes.get(term.slice(0, PREFIX_LENGTH));
      share *= prefixMatch;
    }
    if (at !== undefined && (found === undefined || share > found.share)) found = { at, share };
  });
  return found;
}

const PREFIX_LENGTH = 5;

function prefixPositions(positions: ReadonlyMap<string, number>): Map<string, number> {
  const prefixes = new Map<string, number>();
  for (const [term, at] of positions) {
    if (term.length < PREFIX_LENGTH) continue;
    const prefix = term.slice(0, PREFIX_LENGTH);
    if (!prefixes.has(prefix)) prefixes.set(prefix, at);
  }
  return prefixes;
}

/**
 * The range of `input.text` to highlight: one trimmed sentence or line, never empty for a text
 * with a visible character; the first unit wins ties. Pure.
 */
export function pickHighlight(input: HighlightInput, weights: HighlightWeights = HIGHLIGHT_WEIGHTS): TextRange {
  const units = unitsOf(input.text, input.kind, input.lineBreaks === 'soft');
  const first = units[0];
  if (first === undefined) {
    const start = input.text.length - input.text.trimStart().length;
    return { start, end: start + input.text.trim().length };
  }
  if (units.length === 1) return { start: first.start, end: first.end };
  const question: Question = {
    groups: queryGroups(input.query, input.idf, weights.partMatch),
    types: answerTypes(input.query),
    words: questionWords(input.query),
  };
  const analysed = units.map((unit) => termPositions(unit.text));
  const prefixes = weights.prefixMatch > 0 ? analysed.map(prefixPositions) : undefined;
  const matches = analysed.map((positions, i) => question.groups.map((group) => matchGroup(group, positions, prefixes?.[i], weights.prefixMatch)));
  // A question word found in every unit of the passage (its subject: "Tesla", "civil disobedience")
  // tells its units apart less than one found in a single unit.
  const groupWeights = question.groups.map((group, g) => {
    const unitsWith = matches.filter((unitMatches) => unitMatches[g] !== undefined).length;
    return group.weight * (unitsWith === 0 ? 1 : Math.pow(units.length / unitsWith, weights.localRarity));
  });
  const totalWeight = groupWeights.reduce((sum, weight) => sum + weight, 0) || 1;

  let best = first;
  let bestScore = -Infinity;
  let previousLexical = 0;
  let previousLeadsIn = false;
  units.forEach((unit, i) => {
    const unitMatches = matches[i] as (GroupMatch | undefined)[];
    let covered = 0;
    let phrases = 0;
    let previous: number | undefined;
    unitMatches.forEach((match, g) => {
      const weight = groupWeights[g] as number;
      if (match !== undefined) {
        covered += match.share * weight;
        if (previous !== undefined && Math.abs(match.at - previous) <= PHRASE_DISTANCE) phrases += weight;
      }
      previous = match?.at;
    });
    const lexical = (covered + weights.phrase * phrases) / totalWeight;
    const carries = previousLeadsIn ? weights.carryLeadIn : ANAPHORIC_START.test(unit.text) ? weights.carryAnaphoric : 0;
    let score = lexical + carries * previousLexical;
    const leadsIn = isLeadIn(unit, input.kind);
    // A run of lead-ins (a comment block, nested openers) hands its evidence on to the code it introduces.
    previousLexical = leadsIn && previousLeadsIn ? Math.max(lexical, previousLexical) : lexical;
    previousLeadsIn = leadsIn;
    // A statement of code is full of literals ('pino-pretty', 3000, true): that it holds a value
    // or a number tells it from nothing. Prose and comments state the answer; code shows its use.
    if (!isCodeStatement(unit, input.kind)) for (const type of question.types) if (holdsAnswerType(unit.text, type, question.words)) score += weights.answerType;
    const words = wordsOf(unit.text).length;
    // Code lines are short by nature; in prose a unit of a few words is a heading or a label.
    const codeLine = isCodeLine(unit, input.kind);
    if (!codeLine && words < weights.fragmentWords) score -= weights.fragment;
    if (leadsIn) score -= weights.leadIn;
    if (codeLine && IMPORT_LINE.test(unit.text)) score -= weights.importLine;
    if (score > bestScore) {
      bestScore = score;
      best = unit;
    }
  });
  return { start: best.start, end: best.end };
}

/**
 * A sentence that goes on about the one before it: a pronoun, a demonstrative, "the" and a noun
 * or a connective, first or after one word ("Later, he …", "In 1995 it …"). What it says of "he"
 * or "the company" answers a question put in the earlier sentence's words (on XQuAD, in 44 of 115
 * misses on the development half the answer was in the sentence after the one chosen).
 */
const ANAPHORIC_START = /^(?:\p{L}+,?\s+)?(?:he|she|it|they|his|her|its|their|this|these|those|that|there|such|the\s+\p{L}+|here|then|later|also|however|in\s+\d|after|by|on)\b/iu;

/** Two question words at most this many analysed terms apart in a unit count as its phrase. */
const PHRASE_DISTANCE = 2;

// ---------------------------------------------------------------------------------------------
