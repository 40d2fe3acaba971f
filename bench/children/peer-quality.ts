/**
 * Child process: LangChain.js's retrieval quality on a BEIR dataset, on the same document texts
 * citebot indexes (title and text; LangChain turns the line break into a space, which is MTEB's
 * `title + " " + text`). As shipped, LangChain ran out of memory here (the kernel killed it at
 * 23 GB): its default batch is 512 texts, and SciFact abstracts pad every batch to 512 tokens.
 * Batching does not change the vectors, so this run uses batches of 32, added 32 texts at a time
 * (embedDocuments starts all of a call's batches at once). Scored with the search ef as shipped
 * (10) and raised to citebot's.
 * Prints one JSON line.
 */
import { documentFileText, loadBeirDataset } from '../../src/evaluation/beir-dataset.ts';
import { scoreOutcomes, type QueryOutcome } from '../../src/evaluation/beir-eval.ts';
import { buildPeerStoreInSlices, createPeerEmbeddings } from '../langchain-peer/peer.ts';

const [datasetDir, modelsDir, modelId, ef] = process.argv.slice(2) as [string, string, string, string];
const dataset = await loadBeirDataset(datasetDir, 'test');
const QUALITY_BATCH = 32;
const embeddings = await createPeerEmbeddings({ modelsDir, modelId, batchSize: QUALITY_BATCH });
const started = performance.now();
const store = await buildPeerStoreInSlices(dataset.documents.map(documentFileText), embeddings, QUALITY_BATCH);
const indexSeconds = (performance.now() - started) / 1000;

async function outcomes(): Promise<QueryOutcome[]> {
  const result: QueryOutcome[] = [];
  for (const query of dataset.queries) {
    const docs = await store.similaritySearch(query.text, 10);
    const ranking = docs.map((doc) => dataset.documents[doc.metadata['id'] as number]?.id).filter((id): id is string => id !== undefined);
    result.push({ queryId: query.id, ranking, citedTexts: [], topHighlight: '' });
  }
  return result;
}
const asShipped = scoreOutcomes(dataset, 'dense', await outcomes());
store.index.setEf(Number(ef));
const ef128 = scoreOutcomes(dataset, 'dense', await outcomes());
process.stdout.write(`${JSON.stringify({ asShipped, ef128, indexSeconds })}\n`);
