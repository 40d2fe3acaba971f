/**
 * Child process: LangChain.js ingest, queries and ANN recall on the given paragraphs. A child, so
 * that the peer running out of memory (it embeds every batch of 512 texts at once) ends this
 * process, not the benchmark. Prints one JSON line.
 */
import { readFile } from 'node:fs/promises';
import { measurePeerAnnRecall, measurePeerIngest, measurePeerQueries } from '../peer.ts';

const [inputFile, modelsDir, modelId, workDir, warmup] = process.argv.slice(2) as [string, string, string, string, string];
const { paragraphs, queries } = JSON.parse(await readFile(inputFile, 'utf8')) as { paragraphs: string[]; queries: string[] };
const run = await measurePeerIngest(paragraphs, { modelsDir, modelId }, workDir);
const query = await measurePeerQueries(run.store, queries, Number(warmup));
const ann = await measurePeerAnnRecall(run.store, queries.slice(Number(warmup)));
process.stdout.write(`${JSON.stringify({ ingest: run.ingest, query: query.latency, ann: { ef: ann.ef, at10: ann.at10 }, directory: run.directory, maxRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
