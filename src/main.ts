/** `npm start` (and each shard process of `npm run start:sharded`): see src/start.ts. */
import { runEntry } from './cli/entry.ts';
import { start } from './start.ts';

await runEntry((lifecycle) => start({ lifecycle, argv: process.argv }));
