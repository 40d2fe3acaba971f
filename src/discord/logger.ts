/**
 * The Discord adapter logs through the project's logging port (pino's shape:
 * `logger.info(obj, msg)` or `logger.info(msg)`). Rules for this folder: put an `Error` under
 * the `err` key (through `loggableError`, which redacts interaction tokens from REST errors),
 * and never put the bot token in a log object or message.
 */
export type { LogFn, Logger } from '../core/logger.ts';
