/**
 * Where the time goes: a V8 CPU profile of a piece of work, taken in-process through the inspector,
 * with self time summed per package (node_modules/<name>) or per source folder (src/<dir>), and the
 * hottest functions. Sampling, so small shares are approximate.
 */
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Hotspot {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  byArea: Hotspot[];
  byFunction: Hotspot[];
}

/** The package or source folder a script URL belongs to. */
export function areaOf(url: string): string {
  if (!url) return '(native / gc / idle)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1];
  const src = /\/(src|bench|test)\/(.+?)(\/[^/]+)?$/.exec(url);
  if (src) return `${src[1]}/${src[2].split('/')[0].replace(/\.[tj]s$/, '')}`;
  if (url.startsWith('node:')) return 'node core';
  return url.replace(/^file:\/\//, '');
}

export async function profile(work: () => Promise<unknown>, intervalUs = 200): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: intervalUs });
  await session.post('Profiler.start');
  let raw: Profile;
  try {
    // leave the inspector's dispatch before working, so samples are attributed to the work itself
    await new Promise((resolve) => setImmediate(resolve));
    await work();
  } finally {
    raw = ((await session.post('Profiler.stop')) as unknown as { profile: Profile }).profile;
    session.disconnect();
  }
  const byId = new Map(raw.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  raw.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (raw.timeDeltas[i] ?? 0)));
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    // (idle), (program), and the inspector's own `dispatch` (the samples taken while Profiler.stop
    // runs are charged to it) are not the work measured
    if (functionName === '(idle)' || functionName === '(program)' || (functionName === 'dispatch' && !url)) continue;
    total += us;
    const area = url ? areaOf(url) : functionName.startsWith('(') ? functionName : `native ${functionName}`;
    areas.set(area, (areas.get(area) ?? 0) + us);
    const fname = `${functionName || '(anonymous)'} ${areaOf(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(fname, (functions.get(fname) ?? 0) + us);
  }
  const top = (m: Map<string, number>, n: number): Hotspot[] =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => ({ name, ms: Math.round(us / 100) / 10, share: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 100) / 10, byArea: top(areas, 12), byFunction: top(functions, 15) };
}
