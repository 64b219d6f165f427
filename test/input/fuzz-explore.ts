/**
 * Fuzzing without the test's stop-at-first-failure: runs the fuzzer for a while and prints every
 * distinct failure with one reproducing case, for a developer to work through.
 *   npx tsx test/input/fuzz-explore.ts [seconds=60] [seed=1]
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import type { FuzzMessage, FuzzRequest } from './fuzz-runner.js';

const seconds = Number(process.argv[2] ?? 60);
const seed = Number(process.argv[3] ?? 1);
const child = fork(path.join(import.meta.dirname, 'fuzz-runner.ts'), [], { execArgv: ['--import', 'tsx'] });
const findings = new Map<string, { count: number; example: string }>();
let current = '';
let watchdog: NodeJS.Timeout | undefined;
child.on('message', (m: FuzzMessage) => {
  if (m.type === 'start') {
    current = `${m.base} ${m.mutation}`;
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      console.log(`HANG (> 10 s): ${current}`);
      child.kill('SIGKILL');
    }, 10_000);
  } else if (m.type === 'finding') {
    // group by the message with its figures and positions masked
    const kind = m.reason.split('\n')[0].replace(/\d+/g, '#').slice(0, 160);
    const f = findings.get(kind) ?? { count: 0, example: `${m.reason.slice(0, 800)}\n    case: ${m.base} ${m.mutation}` };
    f.count++;
    findings.set(kind, f);
  } else if (m.type === 'fail') console.log(`FAIL: ${m.reason}`);
  else console.log(`done: ${JSON.stringify(m)}`);
});
child.on('exit', () => {
  clearTimeout(watchdog);
  for (const [kind, f] of [...findings].sort((a, b) => b[1].count - a[1].count)) console.log(`\n[${f.count}×] ${kind}\n  ${f.example}`);
});
child.send({ seed, budgetMs: seconds * 1000, cliEvery: 10, collect: true } satisfies FuzzRequest);
