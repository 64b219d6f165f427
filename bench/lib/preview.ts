/**
 * How soon `nianbao preview` shows a save: the server started in this process on a copy of an example
 * report, a figure changed and saved again and again, each save timed from the write to the `change`
 * event on /events, and on to the page fetched again (what the page's own script does on that event).
 * The README's "within a second" is this measurement, not a unit test's: a test on a loaded CI machine
 * can only say that the event comes, not how soon.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startPreview } from '../../src/preview/server.js';
import { eventStream, type EventStream } from './event-stream.js';
import { stats, type Stats } from './measure.js';

export interface PreviewLatency {
  readonly saves: number;
  /** from the write to the change event (wall) */
  readonly eventMs: Stats;
  /** from the write to the page's HTML fetched again after the event (wall) */
  readonly pageMs: Stats;
  /** CPU time of this process per save, from the write to the page (the server runs in it) */
  readonly cpuMsPerSave: number;
}

const RECEIVED = /received: \[[^\]]*\]/;

export async function previewLatency(example: string, saves: number): Promise<PreviewLatency> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nianbao-bench-preview-'));
  const file = path.join(dir, path.basename(example));
  cpSync(example, file);
  const text = readFileSync(file, 'utf8');
  if (!RECEIVED.test(text)) throw new Error(`${example} has no received: [...] line to edit`);
  const server = await startPreview({ target: file, port: 0 });
  let stream: EventStream | undefined;
  try {
    stream = await eventStream(new URL('/events', server.url));
    await stream.next('hello');
    // one page fetch first: the renderers' first use in this process is not what a save costs
    await (await fetch(server.url)).text();
    const eventMs: number[] = [];
    const pageMs: number[] = [];
    const cpu = process.cpuUsage();
    for (let i = 0; i < saves; i++) {
      const start = performance.now();
      writeFileSync(file, text.replace(RECEIVED, `received: [${1000 + i}, 0, 0, 0, 0, 0, ${1000 + i}]`));
      await stream.next('change');
      eventMs.push(performance.now() - start);
      const page = await (await fetch(server.url)).text();
      pageMs.push(performance.now() - start);
      if (!page.includes(`>${1000 + i}<`)) throw new Error(`the page after save ${i + 1} does not show the saved figure ${1000 + i}`);
      // apart from the next save: the server gathers one save's file events for 80 ms
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const used = process.cpuUsage(cpu);
    return { saves, eventMs: stats(eventMs), pageMs: stats(pageMs), cpuMsPerSave: Math.round(((used.user + used.system) / 1000 / saves) * 10) / 10 };
  } finally {
    stream?.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
