/**
 * Structural validation of an hnswlib index file before hnswlib reads it. hnswlib trusts its file:
 * a garbage `vectors.hnsw` (whose manifest checksum was rewritten to match) loads, and the first
 * search follows neighbour ids out of its arrays and the process dies with SIGSEGV. So every field
 * hnswlib will index memory with is checked here first: the header against the dimension and its
 * own derived sizes, the file length against the element count, every neighbour list's length and
 * ids, every element's level against the graph's top level, and the entry point.
 *
 * The layout is hnswlib's `HierarchicalNSW::saveIndex` (hnswalg.h, little-endian): a 96-byte
 * header, then `count` level-0 records (link count + flags, maxM0 neighbour ids, the vector, an
 * 8-byte label), then per element a uint32 byte length and its upper-level link lists.
 */
import { open, type FileHandle } from 'node:fs/promises';

/** Header fields in file order with their byte sizes (size_t = 8, int / tableint = 4, double = 8). */
const HEADER_BYTES = 96;
const FLOAT_BYTES = 4;
const ID_BYTES = 4;
const LABEL_BYTES = 8;
/** The link-count word (linklistsizeint) in front of every neighbour list. */
const COUNT_WORD_BYTES = 4;
/** hnswlib's DELETE_MARK lives in the third byte of the level-0 count word. */
const DELETED_FLAG_OFFSET = 2;
const DELETE_MARK = 0x01;
/** hnswlib sets maxM0 = 2·M. */
const LEVEL0_DEGREE_FACTOR = 2;
/** Larger M than anyone builds (hnswlib suggests 2–100); beyond it the file is garbage. */
const MAX_M = 4096;
/** Levels are ~ln(n)/ln(M): 64 is beyond any real graph. */
const MAX_LEVEL = 64;
/** Room hnswlib may reserve beyond the stored elements (resizeIndex headroom) before max_elements counts as garbage: it is allocated up front. */
const CAPACITY_SLACK_FACTOR = 4;
const CAPACITY_SLACK_MIN = 1024;
/** Level-0 records read per file read (~6 MB at 384 dimensions): bounded memory at any index size. */
const RECORDS_PER_READ = 4096;
/** Bytes per read of the upper-level section. */
const CHUNK_BYTES = 1 << 20;
/** Elements sampled for the post-load search check. */
export const SAMPLE_COUNT = 5;

export interface HnswFileSummary {
  /** Stored elements (deleted ones included): hnswlib's cur_element_count. */
  readonly count: number;
  /** Elements not marked deleted. */
  readonly live: number;
  readonly m: number;
  /** Labels of a few live elements spread over the file, for a search check after loading. */
  readonly sampleLabels: readonly number[];
}

/** Thrown when the file is not a sound hnswlib index; the message says which check failed. */
export class HnswFileError extends Error {}

const fail = (what: string): never => {
  throw new HnswFileError(`vectors.hnsw is not a valid HNSW index: ${what}`);
};

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) fail(`${what} is ${value}`);
  return Number(value);
}

/** Sequential reads of a section of the file. */
class SectionReader {
  #buffer = Buffer.alloc(0);
  #offset = 0;
  #position: number;
  readonly #end: number;
  readonly #handle: FileHandle;

  constructor(handle: FileHandle, start: number, end: number) {
    this.#handle = handle;
    this.#position = start;
    this.#end = end;
  }

  async take(bytes: number): Promise<Buffer> {
    if (this.#buffer.length - this.#offset < bytes) {
      const remaining = this.#buffer.subarray(this.#offset);
      const wanted = Math.min(Math.max(bytes - remaining.length, CHUNK_BYTES), this.#end - this.#position);
      if (wanted + remaining.length < bytes) fail('the upper-level links run past the end of the file');
      const chunk = Buffer.alloc(wanted);
      const { bytesRead } = await this.#handle.read(chunk, 0, wanted, this.#position);
      if (bytesRead !== wanted) fail('the file was cut short while reading');
      this.#position += wanted;
      this.#buffer = Buffer.concat([remaining, chunk]);
      this.#offset = 0;
    }
    const piece = this.#buffer.subarray(this.#offset, this.#offset + bytes);
    this.#offset += bytes;
    return piece;
  }
}

/**
 * Checks `file` as an hnswlib index of `dimension`-long vectors, holding `expectedCount` stored
 * elements (deleted ones included: passages removed in place keep their label) when given. Throws
 * {@link HnswFileError} naming the first problem found.
 */
export async function checkHnswFile(file: string, dimension: number, expectedCount?: number): Promise<HnswFileSummary> {
  const handle = await open(file, 'r');
  try {
    const fileBytes = (await handle.stat()).size;
    if (fileBytes < HEADER_BYTES) fail(`${fileBytes} bytes is shorter than the header`);
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    const size = (at: number, what: string) => toSafeNumber(header.readBigUInt64LE(at), what);
    const offsetLevel0 = size(0, 'offsetLevel0');
    const maxElements = size(8, 'max_elements');
    const count = size(16, 'the element count');
    const recordBytes = size(24, 'the record size');
    const labelOffset = size(32, 'the label offset');
    const dataOffset = size(40, 'the data offset');
    const maxLevel = header.readInt32LE(48);
    const entryPoint = header.readUInt32LE(52);
    const maxM = size(56, 'maxM');
    const maxM0 = size(64, 'maxM0');
    const m = size(72, 'M');
    const mult = header.readDoubleLE(80);
    const efConstruction = size(88, 'ef_construction');

    const vectorBytes = dimension * FLOAT_BYTES;
    const level0LinkBytes = maxM0 * ID_BYTES + COUNT_WORD_BYTES;
    const upperLinkBytes = maxM * ID_BYTES + COUNT_WORD_BYTES;
    if (offsetLevel0 !== 0) fail(`offsetLevel0 is ${offsetLevel0}, not 0`);
    if (m < 2 || m > MAX_M || maxM !== m || maxM0 !== LEVEL0_DEGREE_FACTOR * m) fail(`the degrees M ${m}, maxM ${maxM}, maxM0 ${maxM0} do not fit together`);
    if (dataOffset !== level0LinkBytes) fail(`the data offset ${dataOffset} does not follow the level-0 links (${level0LinkBytes})`);
    if (labelOffset !== level0LinkBytes + vectorBytes) fail(`the label offset ${labelOffset} does not fit ${dimension}-dimensional vectors`);
    if (recordBytes !== level0LinkBytes + vectorBytes + LABEL_BYTES) fail(`the record size ${recordBytes} does not fit ${dimension}-dimensional vectors`);
    if (!Number.isFinite(mult) || mult <= 0 || efConstruction < 1) fail('the level multiplier or ef_construction is out of range');
    if (maxElements < count || maxElements > count * CAPACITY_SLACK_FACTOR + CAPACITY_SLACK_MIN) fail(`room for ${maxElements} elements does not fit ${count} stored ones`);
    if (count === 0 ? maxLevel !== -1 && maxLevel !== 0 : maxLevel < 0 || maxLevel > MAX_LEVEL || entryPoint >= count) {
      fail(`the entry point ${entryPoint} or top level ${maxLevel} is out of range for ${count} elements`);
    }
    const upperStart = HEADER_BYTES + count * recordBytes;
    if (upperStart > fileBytes) fail(`${count} elements need ${upperStart} bytes, the file has ${fileBytes}`);

    // Pass 1: the level of every element, from the upper-level section's lengths.
    const levels = new Uint8Array(count);
    let upper = new SectionReader(handle, upperStart, fileBytes);
    let upperBytes = 0;
    for (let i = 0; i < count; i++) {
      const length = (await upper.take(COUNT_WORD_BYTES)).readUInt32LE(0);
      if (length % upperLinkBytes !== 0 || length / upperLinkBytes > maxLevel) fail(`element ${i} has ${length} bytes of upper-level links`);
      levels[i] = length / upperLinkBytes;
      upperBytes += COUNT_WORD_BYTES + length;
      if (length > 0) await upper.take(length);
    }
    if (upperStart + upperBytes !== fileBytes) fail(`the file has ${fileBytes} bytes, its contents ${upperStart + upperBytes}`);
    if (count > 0 && levels[entryPoint] !== maxLevel) fail(`the entry point ${entryPoint} is on level ${levels[entryPoint]}, not the top level ${maxLevel}`);

    const checkList = (list: Buffer, level: number, element: number, limit: number) => {
      const links = list.readUInt16LE(0);
      if (links > limit) fail(`element ${element} has ${links} neighbours on level ${level} (at most ${limit})`);
      for (let j = 0; j < links; j++) {
        const neighbour = list.readUInt32LE(COUNT_WORD_BYTES + j * ID_BYTES);
        if (neighbour >= count || (levels[neighbour] as number) < level) fail(`element ${element} links to ${neighbour} on level ${level}, which does not exist`);
      }
    };

    // Pass 2: level-0 records (neighbours, vectors, deleted marks, sample labels).
    let live = 0;
    const sampleEvery = Math.max(1, Math.floor(count / SAMPLE_COUNT));
    const sampleLabels: number[] = [];
    for (let first = 0; first < count; first += RECORDS_PER_READ) {
      const records = Math.min(RECORDS_PER_READ, count - first);
      const block = Buffer.alloc(records * recordBytes);
      const { bytesRead } = await handle.read(block, 0, block.length, HEADER_BYTES + first * recordBytes);
      if (bytesRead !== block.length) fail('the file was cut short while reading');
      const floats = new Float32Array(block.buffer, block.byteOffset, block.length / FLOAT_BYTES);
      for (let r = 0; r < records; r++) {
        const element = first + r;
        const record = block.subarray(r * recordBytes, (r + 1) * recordBytes);
        checkList(record, 0, element, maxM0);
        // One typed view over the whole block (every field is 4-byte aligned in a record): a copy per element tripled the check's time.
        const base = (r * recordBytes + dataOffset) / FLOAT_BYTES;
        for (let k = base; k < base + dimension; k++) {
          const x = floats[k] as number;
          if (x !== x || x === Infinity || x === -Infinity) fail(`element ${element} holds a vector that is not finite numbers`);
        }
        const deleted = ((record[DELETED_FLAG_OFFSET] as number) & DELETE_MARK) !== 0;
        if (deleted) continue;
        live++;
        if (element % sampleEvery === 0 && sampleLabels.length < SAMPLE_COUNT) sampleLabels.push(toSafeNumber(record.readBigUInt64LE(labelOffset), `the label of element ${element}`));
      }
    }
    if (expectedCount !== undefined && count !== expectedCount) fail(`it holds ${count} vectors, the manifest says ${expectedCount}`);

    // Pass 3: the upper-level neighbour lists, now that every element's level is known.
    upper = new SectionReader(handle, upperStart, fileBytes);
    for (let i = 0; i < count; i++) {
      const length = (await upper.take(COUNT_WORD_BYTES)).readUInt32LE(0);
      for (let level = 1; level <= length / upperLinkBytes; level++) checkList(await upper.take(upperLinkBytes), level, i, maxM);
    }
    return { count, live, m, sampleLabels };
  } finally {
    await handle.close();
  }
}
