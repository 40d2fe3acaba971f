/** The sentence that says why citebot abstained when a question names what no document mentions. Pure. */

/** " They never mention Splunk." / " They never mention Kinesis or PagerDuty." for `names`; "" for none. */
export function neverMentioned(names: readonly string[], quote: (name: string) => string = (name) => name): string {
  if (names.length === 0) return '';
  const quoted = names.map(quote);
  const listed = quoted.length === 1 ? (quoted[0] as string) : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1) as string}`;
  return ` They never mention ${listed}.`;
}
