import type { Command } from '../command.ts';
import { ask } from './ask.ts';
import { citebot } from './citebot.ts';
import { findSources } from './find-sources.ts';
import { search } from './search.ts';
import { source } from './source.ts';
import { sources } from './sources.ts';

/** Every command the bot handles and registers: one explicit list, no folder scanning. */
export const commands: readonly Command[] = [ask, search, source, sources, findSources, citebot];
