/** Child process: LangChain's memory with its saved store loaded (see citebot-memory.ts for the method). */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createPeerEmbeddings, loadPeerStore } from '../langchain-peer/peer.ts';

const [modelsDir, modelId, directory] = process.argv.slice(2) as [string, string, string];
const settle = async () => {
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage();
};
const embeddings = await createPeerEmbeddings({ modelsDir, modelId });
await embeddings.embedQuery('warm up');
const before = await settle();
const store = await loadPeerStore(directory, embeddings);
await store.similaritySearch('warm up', 10);
const after = await settle();
const docs = JSON.parse(await readFile(path.join(directory, 'docstore.json'), 'utf8')) as [string, { pageContent: string }][];
const textBytes = docs.reduce((sum, [, doc]) => sum + Buffer.byteLength(doc.pageContent), 0);
const hnswBytes = (await stat(path.join(directory, 'hnswlib.index'))).size;
process.stdout.write(
  `${JSON.stringify({ paragraphs: docs.length, textBytes, hnswBytes, rssBefore: before.rss, rssAfter: after.rss, heapBefore: before.heapUsed, heapAfter: after.heapUsed })}\n`,
);
