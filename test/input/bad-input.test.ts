/**
 * The bad-input corpus (test/input/bad-input/cases, written by test/input/bad-input/generate.ts): every file is
 * checked through the real command line, in process (`main(['check', file])` with stdout and stderr
 * captured) and, for a sample, through the built `bin/nianbao.js` in a child process. Each must print
 * exactly the diagnostics recorded next to it (rule, line, column, a precise part of the message and,
 * where recorded, of the hint), each with a hint on the line under it (`  = 提示：…`), the exact number of errors, and exit with the recorded code; none may print a stack trace or an
 * internal error, and only the accepted encodings may exit 0.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { Expectation } from './bad-input/generate.js';

const casesDir = path.join(import.meta.dirname, 'bad-input', 'cases');
const root = path.resolve(import.meta.dirname, '..', '..');
const cases = readdirSync(casesDir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ file: path.join(casesDir, f), name: f, expect: JSON.parse(readFileSync(path.join(casesDir, f.replace(/\.yaml$/, '.expect.json')), 'utf8')) as Expectation }));

interface Printed {
  file: string;
  line: number;
  col: number;
  severity: '错误' | '警告';
  rule: string;
  message: string;
  /** the text of the `  = 提示：…` line right under the diagnostic ('' when there is none) */
  hint: string;
}

const HINT_LINE = /^ {2}= 提示：(.*)$/;
const DIAGNOSTIC = /^(.+?):(\d+):(\d+) (错误|警告) ([A-Z][A-Z0-9-]*) (.*)$/;
const STACK_TRACE = /\n\s+at .+[:(]\d+:\d+\)?|^\s+at /m;

async function runInProcess(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const capture = (chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write };
  process.stdout.write = capture as typeof process.stdout.write;
  process.stderr.write = capture as typeof process.stderr.write;
  try {
    const code = await main(args);
    return { code, out };
  } finally {
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
  }
}

function runBin(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(root, 'bin', 'nianbao.js'), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? -1) : 0, out: stdout + stderr });
    });
  });
}

function parse(out: string): Printed[] {
  const lines = out.split('\n');
  return lines.flatMap((l, i) => {
    const m = DIAGNOSTIC.exec(l);
    if (!m) return [];
    const hint = HINT_LINE.exec(lines[i + 1] ?? '')?.[1] ?? '';
    return [{ file: m[1], line: Number(m[2]), col: Number(m[3]), severity: m[4] as Printed['severity'], rule: m[5], message: m[6], hint }];
  });
}

/** Everything a case must satisfy, as one readable list of failures (empty when it passes). */
function verify(expectation: Expectation, file: string, result: { code: number; out: string }): string[] {
  const problems: string[] = [];
  const printed = parse(result.out);
  if (result.code !== expectation.exit) problems.push(`exit ${result.code}, expected ${expectation.exit}`);
  if (STACK_TRACE.test(result.out)) problems.push('printed a stack trace');
  if (/内部错误/.test(result.out)) problems.push('printed an internal error');
  for (const want of expectation.diagnostics) {
    const severity = want.severity === 'warning' ? '警告' : '错误';
    const hit = printed.find(
      (p) => p.rule === want.rule && p.line === want.line && p.col === want.col && p.severity === severity && p.message.includes(want.message) && (want.hint === undefined || p.hint.includes(want.hint)),
    );
    if (!hit) problems.push(`missing ${want.line}:${want.col} ${severity} ${want.rule} …${want.message}…${want.hint === undefined ? '' : ` 提示：…${want.hint}…`}`);
  }
  // every diagnostic says how to fix it
  for (const p of printed) if (!/[\u4e00-\u9fff]/.test(p.hint)) problems.push(`no hint under ${p.line}:${p.col} ${p.rule} ${p.message}`);
  const errors = printed.filter((p) => p.severity === '错误');
  if (errors.length !== expectation.errors) problems.push(`${errors.length} errors printed, expected ${expectation.errors}`);
  for (const p of printed) if (path.resolve(p.file) !== path.resolve(file)) problems.push(`diagnostic names another file: ${p.file}`);
  if (problems.length) problems.push(`output was:\n${result.out.slice(0, 3000)}`);
  return problems;
}

describe('bad-input corpus through nianbao check (in process)', () => {
  it('has at least 60 cases, each with its expectation', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    // only the accepted encodings may exit 0
    for (const c of cases) if (c.expect.exit === 0) expect(c.name).toMatch(/-ok-/);
  });

  for (const c of cases) {
    it(`${c.name}: ${c.expect.description}`, async () => {
      const result = await runInProcess(['check', c.file]);
      expect(verify(c.expect, c.file, result)).toEqual([]);
    });
  }
});

describe('bad-input corpus through the built command (child process)', () => {
  const sample = cases.filter((c) => /-(ok-bom|encoding-gbk|empty|fullwidth-colon-agency|cell-unit-wan|alias-bomb|key-proto-top|row-5-values)\.yaml$/.test(c.name));
  it('covers a sample of the corpus', () => expect(sample.length).toBe(8));
  for (const c of sample) {
    it(`bin/nianbao.js check ${c.name}`, async () => {
      const result = await runBin(['check', c.file]);
      expect(verify(c.expect, c.file, result)).toEqual([]);
    });
  }
});

describe('a 50 MB report', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-big-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused with a clear message, without reading it as YAML', async () => {
    const file = path.join(dir, 'big.yaml');
    // a complete, valid report whose 六、其他需要报告的事项 runs to 50 MB: only the size is wrong with it,
    // so without a size limit it would pass (exit 0) and be built into 50 MB documents
    const base = readFileSync(path.join(casesDir, '02-ok-crlf.yaml'), 'utf8').replace(/\r\n/g, '\n');
    const start = base.indexOf('  other: |-');
    const end = base.indexOf('\nactive_disclosure:');
    const line = `    ${'本年度共收到政府信息公开申请。'.repeat(20)}\n`;
    const repeat = Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(line));
    writeFileSync(file, `${base.slice(0, start)}  other: |-\n${line.repeat(repeat)}${base.slice(end)}`);
    const result = await runInProcess(['check', file]);
    expect(verify({ description: '50 MB', exit: 2, diagnostics: [{ rule: 'FILE-TOO-LARGE', line: 1, col: 1, message: 'MB' }], errors: 1 }, file, result)).toEqual([]);
  }, 120_000);
});
