/**
 * Fuzzing in the test suite, bounded in time: example reports mutated at random (bytes and YAML
 * structure, fixed seed) must each end with diagnostics or a valid HTML build: no exception, no hang,
 * no unhandled rejection. The cases run in a child process so that a case stuck in synchronous code
 * (a runaway regular expression, an endless loop) can be killed and named.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FuzzMessage, FuzzRequest } from './fuzz-runner.js';
import { checkText } from '../../src/validate/index.js';
import { generateReport, reportYaml, townshipNames, type GeneratedState } from '../../bench/lib/generate.js';

/** The seed is fixed so a failure is reproducible; change it to explore further. */
const SEED = 20250122;
const BUDGET_MS = 18_000;
/** One case (check, maybe HTML, maybe the CLI) taking longer than this is a hang. */
const CASE_TIMEOUT_MS = 10_000;

interface Outcome {
  done?: Extract<FuzzMessage, { type: 'done' }>;
  failure?: string;
}

function fuzz(request: FuzzRequest): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = fork(path.join(import.meta.dirname, 'fuzz-runner.ts'), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdout!.resume();
    let current: Extract<FuzzMessage, { type: 'start' }> | undefined;
    let watchdog: NodeJS.Timeout | undefined;
    const outcome: Outcome = {};
    const arm = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        outcome.failure = `case ${current?.index} (${current?.base}, mutation ${current?.mutation}) ran longer than ${CASE_TIMEOUT_MS} ms: hang`;
        child.kill('SIGKILL');
      }, CASE_TIMEOUT_MS);
    };
    child.on('message', (message: FuzzMessage) => {
      if (message.type === 'start') {
        current = message;
        arm();
      } else if (message.type === 'fail') {
        outcome.failure ??= `${message.reason}\nlast case: ${current?.base} ${current?.mutation}`;
      } else if (message.type === 'done') outcome.done = message;
    });
    child.on('exit', (code) => {
      clearTimeout(watchdog);
      if (!outcome.done && !outcome.failure) outcome.failure = `fuzz process exited with ${code} before finishing: ${stderr.slice(-2000)}`;
      resolve(outcome);
    });
    arm();
    child.send(request);
  });
}

describe('fuzzing check and HTML build (docx and PDF for a sample) with mutated reports', () => {
  it('ends every mutated report with diagnostics or a valid build, without crash, hang or unhandled rejection', async () => {
    const outcome = await fuzz({ seed: SEED, budgetMs: BUDGET_MS, cliEvery: 10 });
    expect(outcome.failure).toBeUndefined();
    const done = outcome.done!;
    // the run must have exercised both outcomes, or the mutations are too weak (or too strong) to mean anything
    expect(done.runs).toBeGreaterThan(100);
    expect(done.rejected).toBeGreaterThan(0);
    expect(done.passed).toBeGreaterThan(0);
    expect(done.built).toBe(done.passed);
    expect(done.allFormats).toBeGreaterThan(0);
    expect(done.viaCli).toBeGreaterThan(5);
  }, 90_000);
});

describe('the generated reports the fuzzer and the benchmark start from', () => {
  it('pass check, in both editions, year after year, with carry-overs that follow on', () => {
    for (const [t, town] of townshipNames(6, 3).entries()) {
      let previous: GeneratedState | undefined;
      let lastForward: unknown;
      for (const year of [2020, 2021, 2022, 2023]) {
        const { report, state } = generateReport({ agency: town, year, seed: t * 10 + year, previous });
        const checked = checkText(reportYaml(report), `${town}-${year}.yaml`);
        expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(checked.report?.format).toBe(year <= 2020 ? '2019' : '2021');
        // 二、上年结转 this year is last year's 四、结转下年度继续办理
        if (lastForward) expect(report.applications.carried_over).toEqual(lastForward);
        lastForward = report.applications.carried_forward;
        previous = state;
      }
    }
  });
});
