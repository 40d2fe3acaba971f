/**
 * Near-duplicate collapsing. The same wire story printed by two outlets (or a caption repeated
 * in one file) should be one result that cites every place it appears, not five copies of one
 * fact crowding out the rest. Pure.
 */
import type { SourceSpan } from '../core/types.ts';
import { cosine } from './vector-math.ts';

export interface Collapsible {
  readonly label: number;
  readonly span: SourceSpan;
  readonly vector: Float32Array;
}

export interface CollapsedGroup<T extends Collapsible> {
  readonly best: T;
  readonly alsoIn: SourceSpan[];
}

/**
 * Groups `ranked` (best first) so that each item whose vector is at least `threshold` similar to
 * an earlier group's best item joins that group. Stops once `limit` groups exist.
 */
export function collapseDuplicates<T extends Collapsible>(ranked: readonly T[], threshold: number, limit: number): CollapsedGroup<T>[] {
  const groups: CollapsedGroup<T>[] = [];
  for (const item of ranked) {
    const twin = groups.find((group) => cosine(group.best.vector, item.vector) >= threshold);
    if (twin !== undefined) {
      twin.alsoIn.push(item.span);
    } else if (groups.length < limit) {
      groups.push({ best: item, alsoIn: [] });
    }
  }
  return groups;
}
