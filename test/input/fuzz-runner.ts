/**
 * The fuzzer's child process (started by test/input/fuzz.test.ts with `node --import tsx`): mutates report
 * files with a fixed seed and checks each one, then builds HTML for those that pass. It announces
 * every case before running it, so the parent can kill it and name the case if one hangs; any
 * failed invariant, exception or unhandled rejection is sent back with the case that caused it.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkText } from '../../src/validate/index.js';
import { buildDocument } from '../../src/model/build-document.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import { pdfGlyphCoverage } from '../../src/render/pdf/coverage.js';
import { main } from '../../src/cli/main.js';
import { MAX_NAME_BYTES } from '../../src/render/file-names.js';
import { safeFileName } from '../../src/render/write.js';
import { outputFiles } from '../../src/workspace/config/effective.js';
import type { CheckedReport } from '../../src/validate/types.js';
import { generateReport, reportYaml } from '../../bench/lib/generate.js';
import { mutate, mutation, type Mutation } from './fuzz-mutators.js';

export interface FuzzRequest {
  seed: number;
  budgetMs: number;
  /** every n-th case also runs through the CLI's main() */
  cliEvery: number;
  /** exploration: record every distinct failure instead of stopping at the first (not used by the test) */
  collect?: boolean;
}

export type FuzzMessage =
  | { type: 'start'; index: number; base: string; mutation: string }
  | { type: 'fail'; reason: string }
  | { type: 'finding'; reason: string; base: string; mutation: string }
  | { type: 'done'; runs: number; passed: number; rejected: number; built: number; viaCli: number; allFormats: number; bases: string[] };

const send = (message: FuzzMessage) => process.send!(message);

/** Passing reports with new characters built in docx and PDF too, after the timed loop. */
const MAX_ALL_FORMATS = 12;

/** The files mutated: the committed examples that pass check, plus generated reports of both editions. */
function bases(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  const dir = path.resolve(import.meta.dirname, '..', '..', 'examples', 'reports');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) out.push({ name: `examples/reports/${f}`, text: readFileSync(path.join(dir, f), 'utf8') });
  }
  out.push({ name: 'generated-2020', text: reportYaml(generateReport({ agency: '红椿镇人民政府', year: 2020, seed: 7 }).report) });
  out.push({ name: 'generated-2024', text: reportYaml(generateReport({ agency: '石桥乡人民政府', year: 2024, seed: 8 }).report) });
  return out;
}

const STACK_LINE = /\n\s+at .+[:(]\d+:\d+\)?/;

/** What every check result must satisfy, whatever the input. Returns the broken invariant, or ''. */
export function invariantBroken(result: CheckedReport, name: string, bytes: Uint8Array): string {
  const lines = bytes.length === 0 ? 1 : new TextDecoder('utf-8', { fatal: false }).decode(bytes).split(/\r\n|\r|\n/).length;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (result.report && errors.length) return 'a report was returned together with errors';
  if (!result.report && errors.length === 0) return 'no report and no error: the run ended with neither a diagnostic nor a valid report';
  if (!result.usable && !errors.length) return 'unusable without an error';
  for (const d of result.diagnostics) {
    const where = `${d.rule} ${d.line}:${d.col} ${d.message}`;
    if (d.file !== name) return `diagnostic names file ${d.file}: ${where}`;
    if (!Number.isInteger(d.line) || !Number.isInteger(d.col) || d.line < 1 || d.col < 1) return `bad position: ${where}`;
    if (d.line > lines + 1) return `line ${d.line} beyond the file's ${lines} lines: ${where}`;
    if (d.severity !== 'error' && d.severity !== 'warning') return `bad severity ${String(d.severity)}`;
    if (!/^[A-Z][A-Z0-9-]*$/.test(d.rule)) return `bad rule id: ${where}`;
    if (d.rule === 'INTERNAL' || /内部错误/.test(d.message)) return `internal error reported as a diagnostic: ${where}`;
    if (!/[\u4e00-\u9fff]/.test(d.message)) return `message not in Chinese: ${where}`;
    if (STACK_LINE.test(d.message) || /\[object Object\]|\bundefined\b/.test(d.message)) return `message leaks internals: ${where}`;
  }
  return '';
}

const OUTPUT = path.resolve('/ws/out');
const PATTERNS = ['{name}', '{file}', '{year}/{short}', '{name}/{short}{year}年报告', '{short}-{file}'];

/** Why a file or folder name is unsafe on some system, or ''. */
function segmentBroken(segment: string): string {
  if (Buffer.byteLength(segment) > MAX_NAME_BYTES) return `longer than ${MAX_NAME_BYTES} bytes`;
  if (/[\\/:*?"<>|\u0000-\u001f\u007f]/.test(segment)) return 'a character Windows refuses or a control character';
  if (/^[\s.]|[\s.]$/.test(segment) || segment === '') return 'empty, or a dot or space at an end';
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(segment)) return 'a Windows device name';
  return '';
}

/** Every output path a report that passed check would get (workspace patterns, single build): safe and inside the folder. */
function outputNamesBroken(report: NonNullable<CheckedReport['report']>, title: string): string {
  const name = String(report.agency.name);
  const file = `/ws/reports/${name.replace(/[/\u0000]/g, '_')}.yaml`;
  for (const fileName of PATTERNS) {
    for (const target of Object.values(outputFiles({ output: OUTPUT, fileName, formats: ['html', 'docx', 'pdf'] }, name, report.year, file))) {
      const rel = path.relative(OUTPUT, target);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return `output ${JSON.stringify(target)} (file_name ${fileName}) is outside the output folder`;
      for (const segment of rel.split(path.sep)) {
        const why = segmentBroken(segment);
        if (why) return `output ${JSON.stringify(target)} (file_name ${fileName}): ${JSON.stringify(segment)} is ${why}`;
      }
    }
  }
  const single = safeFileName(title);
  const why = segmentBroken(`${single}.docx`);
  return why ? `single-build file name ${JSON.stringify(single)} is ${why}` : '';
}

async function runCli(bytes: Uint8Array, dir: string, index: number): Promise<string> {
  const file = path.join(dir, `case-${index}.yaml`);
  writeFileSync(file, bytes);
  let out = '';
  const write = (chunk: string | Uint8Array) => {
    out += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  const saved = [process.stdout.write, process.stderr.write];
  process.stdout.write = write as typeof process.stdout.write;
  process.stderr.write = write as typeof process.stderr.write;
  let code: number;
  try {
    code = await main(['check', file]);
  } finally {
    [process.stdout.write, process.stderr.write] = saved;
    rmSync(file, { force: true });
  }
  if (![0, 1, 2].includes(code)) return `check exited ${code}: ${out.slice(0, 500)}`;
  if (/内部错误/.test(out) || STACK_LINE.test(out)) return `check printed an internal error or stack trace: ${out.slice(0, 500)}`;
  if (code !== 0 && !/\d+:\d+/.test(out)) return `check failed without a file:line:col: ${out.slice(0, 500)}`;
  return '';
}

async function run(request: FuzzRequest): Promise<void> {
  const files = bases();
  const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-fuzz-'));
  const counts = { runs: 0, passed: 0, rejected: 0, built: 0, viaCli: 0, allFormats: 0 };
  // checked against the bundled PDF fonts, as `nianbao check` does: a report that passes must build in every format
  const glyphs = pdfGlyphCoverage();
  const baseChars = new Map(files.map((f) => [f.name, new Set(f.text)]));
  const allFormats: { index: number; base: string; mutation: string; report: NonNullable<CheckedReport['report']> }[] = [];
  try {
    await fc.assert(
      fc.asyncProperty(fc.nat(files.length - 1), mutation, async (which, m: Mutation) => {
        const index = counts.runs++;
        const base = files[which];
        send({ type: 'start', index, base: base.name, mutation: JSON.stringify(m).slice(0, 2000) });
        if (request.collect) {
          try {
            await fuzzCase(base, m, index);
          } catch (error) {
            send({ type: 'finding', reason: error instanceof Error ? error.message : String(error), base: base.name, mutation: JSON.stringify(m) });
          }
          return;
        }
        await fuzzCase(base, m, index);
      }),
      { seed: request.seed, numRuns: 1_000_000, interruptAfterTimeLimit: request.budgetMs, markInterruptAsFailure: false },
    );
    for (const kept of allFormats) {
      send({ type: 'start', index: kept.index, base: kept.base, mutation: kept.mutation });
      try {
        const doc = buildDocument(kept.report);
        await renderDocx(doc);
        await renderPdf(doc);
      } catch (error) {
        const reason = `docx/PDF build of a report that passed check threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
        if (!request.collect) throw new Error(reason);
        send({ type: 'finding', reason, base: kept.base, mutation: kept.mutation });
      }
      counts.allFormats++;
    }
    send({ type: 'done', ...counts, bases: files.map((f) => f.name) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  async function fuzzCase(base: { name: string; text: string }, m: Mutation, index: number): Promise<void> {
    const bytes = mutate(base.text, m);
    const name = `fuzz/${index}.yaml`;
    let result: CheckedReport;
    try {
      result = checkText(bytes, name, { glyphs });
    } catch (error) {
      throw new Error(`checkText threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    const broken = invariantBroken(result, name, bytes);
    if (broken) throw new Error(broken);
    if (result.report) {
      counts.passed++;
      let html: string;
      try {
        html = renderHtml(buildDocument(result.report));
      } catch (error) {
        throw new Error(`HTML build of a report that passed check threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      if (!html.startsWith('<!DOCTYPE html>') || !html.includes('</html>')) throw new Error('HTML build is not a complete document');
      const names = outputNamesBroken(result.report, buildDocument(result.report).meta.title);
      if (names) throw new Error(names);
      counts.built++;
      // kept for docx and PDF when the mutation brought in characters the base did not have: a report
      // that passed check must be drawable by the PDF fonts and writable as docx XML (built after the
      // timed loop, so the slow PDF does not eat the budget of the check)
      const chars = baseChars.get(base.name)!;
      const novel = [...new TextDecoder().decode(bytes)].some((ch) => !chars.has(ch));
      if (novel && allFormats.length < MAX_ALL_FORMATS) allFormats.push({ index, base: base.name, mutation: JSON.stringify(m).slice(0, 2000), report: result.report });
    } else counts.rejected++;
    if (index % request.cliEvery === 0) {
      counts.viaCli++;
      const cli = await runCli(bytes, dir, index);
      if (cli) throw new Error(cli);
    }
  }
}

process.on('unhandledRejection', (reason) => {
  send({ type: 'fail', reason: `unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}` });
  process.exit(3);
});
process.on('message', (request: FuzzRequest) => {
  run(request).then(
    () => process.disconnect(),
    (error: unknown) => {
      // fast-check carries the property's own error as `cause`
      const cause = error instanceof Error && error.cause instanceof Error ? `\ncaused by: ${error.cause.stack ?? error.cause.message}` : '';
      send({ type: 'fail', reason: `${error instanceof Error ? error.message : String(error)}${cause}` });
      process.disconnect();
    },
  );
});
