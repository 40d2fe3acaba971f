import { randomBytes } from 'node:crypto';

/** A short id that ties the apology a user sees to the log entry with the cause. */
export function newErrorId(): string {
  return randomBytes(4).toString('hex');
}
