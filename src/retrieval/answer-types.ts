/**
 * The kind of answer a question asks for, told by its wording (who → a name, when → a date, how
 * many → a number, "what is the default" → a value), and whether a text holds one the question
 * does not already say. Used by the highlight (highlight.ts) to find the answering sentence, and
 * by the order of a passage and its neighbour (borrowed-words.ts). Pure.
 */

/** The kinds of answer a question can ask for, told by its wording. */
export type AnswerType = 'number' | 'date' | 'name' | 'value';

const ANSWER_TYPE_CUES: readonly (readonly [AnswerType, RegExp])[] = [
  ['date', /\b(?:when|what (?:year|decade|century|date|month|day|time)|(?:in|by|since|until) (?:what|which) (?:year|decade|century|month))\b/i],
  ['number', /\bhow (?:many|much|long|old|far|big|large|tall|high|often|fast|heavy|wide|deep)\b|\bwhat (?:percentage|percent|number|amount|proportion|share|size|population|age|fraction)\b/i],
  ['name', /\b(?:who|whom|whose|where)\b|\b(?:what|which) (?:person|people|man|woman|player|team|company|city|country|state|region|place|group|party|organization|scientist|researcher|author|writer|king|president|language|university|river)\b/i],
  ['value', /\bdefaults?\b|\bwhich (?:option|command|flag|setting|method|function|reporter|pool|value)\b|\bwhat (?:option|command|flag|setting|method|function|value)\b/i],
];

const NUMBER_WORDS =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|twice|once)\b/gi;
const NUMBER = /\d[\d,.]*/g;
const YEAR = /\b(?:1\d{3}|20\d{2})s?\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|century|centuries|decade)\b|\b\d+(?:st|nd|rd|th)\b|\b(?:BC|AD|BCE|CE)\b/gi;
/** A capitalised word (or an inline code span in docs): a name or a value. */
const NAME = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}\p{N}'’-]*/gu;
const VALUE = /`[^`]+`|\b(?:true|false|null|undefined)\b|'[^']*'|"[^"]*"|\d[\d,.]*/g;

export function answerTypes(query: string): Set<AnswerType> {
  return new Set(ANSWER_TYPE_CUES.filter(([, cue]) => cue.test(query)).map(([type]) => type));
}

/** Whether `unit` holds a match of `pattern` that is not a word of the question (an answer the question does not already say). */
function hasNew(unit: string, pattern: RegExp, questionWords: ReadonlySet<string>, skipFirst: boolean): boolean {
  for (const match of unit.matchAll(pattern)) {
    if (skipFirst && match.index === 0) continue;
    if (!questionWords.has(match[0].toLowerCase())) return true;
  }
  return false;
}

export function holdsAnswerType(unit: string, type: AnswerType, questionWords: ReadonlySet<string>): boolean {
  switch (type) {
    case 'number':
      return hasNew(unit, NUMBER, questionWords, false) || hasNew(unit, NUMBER_WORDS, questionWords, false);
    case 'date':
      return hasNew(unit, YEAR, questionWords, false);
    case 'name':
      // A sentence's first word is capitalised anyway.
      return hasNew(unit, NAME, questionWords, true);
    case 'value':
      return hasNew(unit, VALUE, questionWords, false);
  }
}

const WORDS = /[\p{L}\p{N}]+/gu;

/** The words of `text` (runs of letters and digits), as written. */
export function wordsOf(text: string): string[] {
  return text.match(WORDS) ?? [];
}

/** The question's words, lower-cased: what {@link holdsAnswerType} does not count as new. */
export function questionWords(query: string): ReadonlySet<string> {
  return new Set(wordsOf(query).map((word) => word.toLowerCase()));
}

/** Whether `text` holds an answer of any of `types` (false when there are none). */
export function holdsAnyAnswerType(text: string, types: ReadonlySet<AnswerType>, words: ReadonlySet<string>): boolean {
  for (const type of types) if (holdsAnswerType(text, type, words)) return true;
  return false;
}
