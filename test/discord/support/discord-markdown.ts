/**
 * A small model of Discord markdown, for tests: it reads rendered text the way Discord's parser
 * (simple-markdown with Discord's rules) would, and reports what a reader sees and every live
 * construct in it.
 *
 * It is deliberately stricter than Discord: any unescaped `*` `_` `~` `|` `` ` `` or `[` counts as
 * live markup (a parser could pair it with something), as does any `<` that starts a mention, pill
 * or autolink whether or not it is closed, and any line whose first visible character starts a
 * heading, list, sub-text or block quote. Only two things are not live: plain URLs (their visible
 * text is their target) and, where the caller allows it, bold (`**…**`) that opens and closes on
 * one line — the one markup citebot adds to quoted text.
 */

/** What a reader sees in a piece of rendered text. */
export interface Reading {
  /** The characters shown: escapes resolved, bold markers gone. */
  readonly visible: string;
  /** For each character of `visible`: shown in bold. */
  readonly bold: readonly boolean[];
  /** For each character of `visible`: part of a plain URL link. */
  readonly link: readonly boolean[];
  /** Live constructs and unescaped markers, described (empty when the text is inert). */
  readonly live: readonly string[];
}

/** Discord's escape rule: a backslash before anything but a letter, digit or whitespace shows that character. */
const ESCAPE = /\\([^0-9A-Za-z\s])/y;
/** simple-markdown's URL rule, plus steam:// (Discord's). */
const URL = /(?:https?|steam):\/\/[^\s<]+[^<.,:;"')\]\s]/y;
/** simple-markdown's strong rule. */
const STRONG = /\*\*((?:\\[\s\S]|[^\\])+?)\*\*(?!\*)/y;
/** `<` opening a user/role mention, channel, emoji, timestamp, slash command, guide link or autolink. */
const ANGLE = /<(?:[@#:/]|a:|t:|id:|[^\s:>]+:\/)/y;
const MASS_MENTION = /@(?:everyone|here)/iy;
const MARKERS = new Set(['*', '_', '~', '|', '`', '[']);
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

function at(pattern: RegExp, text: string, index: number): RegExpExecArray | null {
  pattern.lastIndex = index;
  return pattern.exec(text);
}

/** Read inline text (which may span lines). With `allowBold`, `**…**` on one line is bold, not live. */
export function readInline(text: string, options: { readonly allowBold: boolean } = { allowBold: false }): Reading {
  const bold: boolean[] = [];
  const link: boolean[] = [];
  const live: string[] = [];
  const shown: string[] = [];
  const show = (chars: string, isBold: boolean, isLink: boolean) => {
    shown.push(chars);
    for (let k = 0; k < chars.length; k += 1) {
      bold.push(isBold);
      link.push(isLink);
    }
  };
  const read = (source: string, isBold: boolean) => {
    for (let i = 0; i < source.length; ) {
      const c = source.charAt(i);
      // Each rule is tried only where it can start (the rules are anchored at i).
      const escape = c === '\\' ? at(ESCAPE, source, i) : null;
      if (escape !== null) {
        show(escape[1] ?? '', isBold, false);
        i += escape[0].length;
        continue;
      }
      const url = c === 'h' || c === 's' ? at(URL, source, i) : null;
      if (url !== null) {
        show(url[0], isBold, true);
        i += url[0].length;
        continue;
      }
      if (c === '<' && at(ANGLE, source, i) !== null) live.push(`angle construct ${JSON.stringify(source.slice(i, i + 12))}`);
      const mention = c === '@' ? at(MASS_MENTION, source, i) : null;
      if (mention !== null) live.push(`mention ${mention[0]}`);
      if (c === '*' && source.charAt(i + 1) === '*' && options.allowBold && !isBold) {
        const strong = at(STRONG, source, i);
        if (strong !== null && !(strong[1] ?? '').includes('\n')) {
          read(strong[1] ?? '', true);
          i += strong[0].length;
          continue;
        }
        live.push(`unpaired ** at ${i}`);
      } else if (MARKERS.has(c)) {
        live.push(`unescaped ${c} at ${i}: ${JSON.stringify(source.slice(Math.max(0, i - 10), i + 10))}`);
      }
      if (BIDI.test(c)) live.push(`bidi control U+${c.charCodeAt(0).toString(16).toUpperCase()}`);
      show(c, isBold, false);
      i += 1;
    }
  };
  read(text, false);
  return { visible: shown.join(''), bold, link, live };
}

/** Line markup at the start of a line (after whitespace, and after citebot's opening bold if any). */
export function lineStartLive(line: string): string[] {
  const content = line.replace(/^\s*(?:\*\*)?/, '');
  if (/^[#>\-+*]/.test(content)) return [`line starts with ${content.charAt(0)}: ${JSON.stringify(line.slice(0, 20))}`];
  if (/^\d+\.(?:\s|$)/.test(content)) return [`numbered list: ${JSON.stringify(line.slice(0, 20))}`];
  return [];
}

/** Read text shown on its own (a title, a field name, a notice): inline reading plus line-start checks on every line. */
export function readText(text: string): Reading {
  const reading = readInline(text);
  return { ...reading, live: [...text.split('\n').flatMap(lineStartLive), ...reading.live] };
}

/**
 * Read a block quote as citebot writes it: every line `> ` then content. The contents are read as
 * one inline text (so a construct that could span lines is found), with bold allowed.
 */
export function readQuote(lines: readonly string[]): Reading {
  const problems: string[] = [];
  const contents = lines.map((line) => {
    if (!line.startsWith('> ')) problems.push(`not quoted: ${JSON.stringify(line.slice(0, 20))}`);
    const content = line.slice(2);
    problems.push(...lineStartLive(content));
    return content;
  });
  const reading = readInline(contents.join('\n'), { allowBold: true });
  return { ...reading, live: [...problems, ...reading.live] };
}
