/** `1 line`, `2 lines`, `0 files`: a count with its noun in the right number. Pure. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
