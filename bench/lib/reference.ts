/**
 * A fixed piece of work that nianbao's code does not touch, timed at the start and at the end of a bench run.
 * On the shared machines we measure on, the CPU time of the very same work moves by some 15% from hour to hour,
 * more than most changes of the code move a stage; the load average does not show it. A run's figures are read
 * beside the reference of the same run, and two runs compared through their references.
 *
 * The work is of the kinds a report's rendering is made of: deflating bytes (zlib, as the PDF's font subsets
 * and the docx package), building, sorting and joining many short strings, and JSON.
 */
import { deflateSync } from 'node:zlib';
import { bench, type Stats } from './measure.js';

/** Deterministic bytes that deflate about as well as a font subset does (a little better than half). */
function sampleBytes(size: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 0x2545f491;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    // every other byte from a small alphabet, the rest noise
    bytes[i] = i % 2 === 0 ? 0x40 + ((state >>> 16) % 24) : (state >>> 24) & 0xff;
  }
  return bytes;
}

const BYTES = sampleBytes(192 * 1024);
const WORDS = Array.from({ length: 6000 }, (_, i) => `${'政府信息公开'.slice(i % 5)}${i * 7919 % 10007}`);

/** One round of the reference work; returns a number made from its results, so that none of it is skipped. */
export function referenceRound(): number {
  let check = deflateSync(BYTES).length;
  const sorted = [...WORDS].sort();
  const joined = sorted.join('\n');
  check += joined.length;
  const records = sorted.map((word, i) => ({ word, i, even: i % 2 === 0, parts: word.split('') }));
  check += JSON.parse(JSON.stringify(records)).length;
  check += joined.replace(/\d+/g, (d) => String(d.length)).length;
  return check;
}

/** CPU (and wall) time of one round: median of `runs` after a few unmeasured. */
export async function referenceTiming(runs: number): Promise<Stats> {
  return bench(referenceRound, runs, 3);
}
