// Plain-JavaScript entry for the embedding worker: a worker thread starts without the TypeScript
// loader of its parent (tsx, vitest), so it registers tsx itself and then loads the real worker.
import { register } from 'tsx/esm/api';

register();
await import('./embedding-worker.ts');
