/**
 * `npm run bench`: how fast nianbao is, measured, not guessed (never part of `npm test`).
 *
 *  1. warm, in one process, per report: parse + validate, HTML, docx, PDF, all three (median, p95), after
 *     every stage has run on every input a few times
 *  2. where the time goes: the first (cold, in-process) call of each stage against its warm median,
 *     and a CPU profile of the warm work by package and by function
 *  3. a cold single-report CLI run: `node bin/nianbao.js build one.yaml` (all three formats)
 *  4. a generated workspace of 1,000 reports built with all cores: wall time, reports/s, peak memory
 *     of the process tree
 *  5. LibreOffice converting our docx to PDF for a sample of the same reports, as a ratio
 *
 * Prints a table and writes bench/results.json. Options: --quick (fewer runs, 100-report workspace),
 * --reports N (workspace size), --skip-build (use dist/ as it is), --keep (keep the temp workspace).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkText } from '../src/validate/index.js';
import { buildDocument } from '../src/model/build-document.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import type { Report } from '../src/model/report.js';
import { generateReport, reportYaml, townshipNames, type GeneratedState } from './lib/generate.js';
import { bench, mb, ms, runMeasured, stats, timeIt, type Stats } from './lib/measure.js';
import { profile, type ProfileSummary } from './lib/profile.js';
import { convertEach, findSoffice } from './lib/libreoffice.js';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const reportCount = Number(args[args.indexOf('--reports') + 1]) || (quick ? 100 : 1000);
const RUNS = quick ? 5 : 20;

const TARGETS = { allThreeWarmMs: 60, coldCliMs: 1500, workspaceMs: 60_000, peakMemoryMb: 500 };

const log = (line = '') => process.stdout.write(`${line}\n`);

interface Input {
  name: string;
  bytes: Uint8Array;
}

/** The committed examples that pass check, and generated reports of both editions. */
function inputs(): Input[] {
  const out: Input[] = [];
  const dir = path.join(root, 'examples', 'reports');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) out.push({ name: `examples/reports/${f}`, bytes: readFileSync(path.join(dir, f)) });
  }
  for (const [year, seed] of [[2020, 11], [2024, 12]] as const) {
    const { report } = generateReport({ agency: '红椿镇人民政府', year, seed, scale: 30 });
    out.push({ name: `generated/${year}.yaml`, bytes: Buffer.from(reportYaml(report)) });
  }
  return out;
}

function validated(input: Input): Report {
  const result = checkText(input.bytes, input.name);
  if (!result.report) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`${input.name} does not pass check: ${first?.rule} ${first?.line}:${first?.col} ${first?.message}`);
  }
  return result.report;
}

const STAGES = ['parse+validate', 'HTML', 'docx', 'PDF', 'all three'] as const;
type Stage = (typeof STAGES)[number];

function stageWork(input: Input): Record<Stage, () => Promise<unknown>> {
  const report = validated(input);
  const doc = buildDocument(report);
  return {
    'parse+validate': async () => checkText(input.bytes, input.name),
    HTML: async () => renderHtml(buildDocument(report)),
    docx: async () => renderDocx(buildDocument(report)),
    PDF: async () => renderPdf(doc),
    // One format after another, as `nianbao build` and the batch workers render them (src/build.ts). Started
    // together, the three renders' garbage was alive at once, and the collections it brought made this stage
    // measure some 10 ms more than the product spends.
    'all three': async () => {
      const checked = checkText(input.bytes, input.name);
      const d = buildDocument(checked.report!);
      return [renderHtml(d), await renderDocx(d), await renderPdf(d)];
    },
  };
}

interface WarmResult {
  input: string;
  firstCallMs: Record<Stage, number>;
  stages: Record<Stage, Stats>;
  sizes: { html: number; docx: number; pdf: number };
  /** the pdfmake layouts of one PDF render, by how their breaks were found */
  pdfLayouts: string[];
  errors?: Partial<Record<Stage, string>>;
}

/** Rounds of every stage on every input before any is measured. */
const WARMUP_ROUNDS = quick ? 3 : 5;

async function warm(list: Input[]): Promise<WarmResult[]> {
  // Every stage runs on every input first, and only then is any measured. Measured one input after another
  // with two warm-up runs each, the first input's stages were timed while V8 was still optimizing the code
  // (in a quiet run its PDF took three times as long as the others'; alone, it takes as long).
  const firstCalls = new Map<Input, Record<Stage, number>>();
  for (let round = 0; round < WARMUP_ROUNDS; round++) {
    for (const input of list) {
      const work = stageWork(input);
      const first = firstCalls.get(input) ?? ({} as Record<Stage, number>);
      for (const stage of STAGES) {
        const took = await timeIt(work[stage]).catch(() => NaN);
        if (round === 0) first[stage] = took;
      }
      firstCalls.set(input, first);
    }
  }
  const results: WarmResult[] = [];
  for (const input of list) {
    const work = stageWork(input);
    // the first call of each stage with this input, in the warm-up (for the very first input: cold, in-process)
    const firstCallMs = firstCalls.get(input)!;
    const stageStats = {} as Record<Stage, Stats>;
    const errors: Partial<Record<Stage, string>> = {};
    for (const stage of STAGES) {
      try {
        stageStats[stage] = await bench(work[stage], RUNS, 2);
      } catch (error) {
        errors[stage] = String((error as Error).message ?? error).slice(0, 300);
        firstCallMs[stage] = NaN;
        stageStats[stage] = stats([NaN]);
      }
    }
    const doc = buildDocument(validated(input));
    const size = async (f: () => Promise<number>) => f().catch(() => NaN);
    // how the PDF's page breaks were found: one 'predicted' layout is the usual case (paginate.ts)
    const pdfLayouts: string[] = [];
    const sizes = { html: await size(async () => Buffer.byteLength(renderHtml(doc))), docx: await size(async () => (await renderDocx(doc)).byteLength), pdf: await size(async () => (await renderPdf(doc, { onLayout: (kind) => pdfLayouts.push(kind) })).byteLength) };
    results.push({ input: input.name, firstCallMs, stages: stageStats, sizes, pdfLayouts, ...(Object.keys(errors).length ? { errors } : {}) });
    log(`  ${input.name.padEnd(40)} ${STAGES.map((s) => `${s} ${errors[s] ? 'FAILED' : ms(stageStats[s].median)}`).join(' · ')} ms · PDF layouts: ${pdfLayouts.join(', ')}`);
    for (const [stage, message] of Object.entries(errors)) log(`    ${stage} failed: ${message}`);
  }
  return results;
}

async function whereTimeGoes(input: Input): Promise<Record<string, ProfileSummary>> {
  const work = stageWork(input);
  const out: Record<string, ProfileSummary> = {};
  for (const stage of ['parse+validate', 'HTML', 'docx', 'PDF'] as const) {
    try {
      out[stage] = await profile(async () => {
        for (let i = 0; i < RUNS; i++) await work[stage]();
      });
    } catch {
      // the stage failed in the warm runs already; nothing to profile
    }
  }
  return out;
}

function buildDist(): void {
  if (args.includes('--skip-build')) return;
  log('building dist/ (npm run build) …');
  try {
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    log(`  npm run build reported errors (dist/ may be stale): ${String((error as { stderr?: Buffer }).stderr ?? error).slice(0, 500)}`);
  }
}

const bin = path.join(root, 'bin', 'nianbao.js');

/** Output files under a folder, by extension. */
function outputs(dir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const ext = path.extname(entry).slice(1);
        counts[ext] = (counts[ext] ?? 0) + 1;
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return counts;
}

async function coldCli(input: Input, tmp: string) {
  const dir = path.join(tmp, 'cold');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'one.yaml');
  writeFileSync(file, input.bytes);
  const runs = [];
  for (let i = 0; i < (quick ? 3 : 7); i++) {
    const out = path.join(dir, `out${i}`);
    const run = await runMeasured(process.execPath, [bin, 'build', file, '-o', out], { cwd: dir });
    if (run.code !== 0) throw new Error(`nianbao build one.yaml exited ${run.code}: ${run.stderr.slice(0, 1000)}`);
    const files = outputs(out);
    if (!files.html || !files.docx || !files.pdf) throw new Error(`nianbao build one.yaml did not write all three formats: ${JSON.stringify(files)}`);
    runs.push(run);
  }
  return { wall: stats(runs.map((r) => r.wallMs)), peakRssMb: mb(Math.max(...runs.map((r) => r.peakTreeRss))) };
}

/**
 * A county of `count` reports: townships × consecutive years (2020 in the 2019 edition, then 2021+),
 * each year carrying the previous year's figures forward, as the cross-year checks expect.
 */
function generateWorkspace(dir: string, count: number): string[] {
  const years = [2020, 2021, 2022, 2023, 2024];
  const towns = townshipNames(Math.ceil(count / years.length), 2024);
  writeFileSync(
    path.join(dir, 'nianbao.yaml'),
    ['# generated by bench/run.ts', 'agency:', '  parent: 青山县人民政府', 'output: out', 'formats: [html, docx, pdf]', ''].join('\n'),
  );
  const files: string[] = [];
  towns.forEach((town, t) => {
    let previous: GeneratedState | undefined;
    for (const year of years) {
      if (files.length >= count) return;
      const { report, state } = generateReport({ agency: town, year, seed: t * 100 + year, previous });
      previous = state;
      const rel = path.join('reports', String(year), `${town}.yaml`);
      mkdirSync(path.join(dir, path.dirname(rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), reportYaml(report));
      files.push(rel);
    }
  });
  return files;
}

async function workspace(tmp: string, count: number) {
  const dir = path.join(tmp, 'workspace');
  mkdirSync(dir, { recursive: true });
  const files = generateWorkspace(dir, count);
  const run = await runMeasured(process.execPath, [bin, 'build'], { cwd: dir, env: { ...process.env, CI: 'true' } });
  const produced = outputs(path.join(dir, 'out'));
  const warnings = (run.stdout + run.stderr).split('\n').filter((l) => /警告|warning/.test(l)).length;
  return {
    dir,
    reports: files.length,
    exitCode: run.code,
    wallMs: ms(run.wallMs),
    reportsPerSecond: Math.round((files.length / run.wallMs) * 1000 * 10) / 10,
    peakTreeRssMb: mb(run.peakTreeRss),
    produced,
    warningLines: warnings,
    outputTail: (run.stdout + run.stderr).split('\n').slice(-5).join('\n'),
  };
}

function collectDocx(dir: string, n: number): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      if (found.length >= n) return;
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith('.docx')) found.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return found;
}

async function libreOffice(workspaceDir: string | undefined, fallback: Input, tmp: string) {
  const soffice = findSoffice();
  if (!soffice) return { available: false as const, note: 'soffice (LibreOffice) is not installed on this machine: comparison skipped' };
  let docx = workspaceDir ? collectDocx(path.join(workspaceDir, 'out'), quick ? 3 : 8) : [];
  if (docx.length === 0) {
    const file = path.join(tmp, 'lo-sample.docx');
    writeFileSync(file, await renderDocx(buildDocument(validated(fallback))));
    docx = [file];
  }
  const converted = convertEach(soffice, docx);
  // our own PDF time for the very same reports, warm, from the YAML next to each docx
  const perReport = [];
  for (const c of converted) {
    const yaml = workspaceDir ? findYamlFor(workspaceDir, c.file) : undefined;
    const input: Input = yaml ? { name: yaml, bytes: readFileSync(yaml) } : fallback;
    const doc = buildDocument(validated(input));
    const ours = await bench(() => renderPdf(doc), quick ? 3 : 5, 1);
    perReport.push({ report: path.basename(c.file), libreOfficeMs: ms(c.ms), ok: c.ok, nianbaoPdfMs: ms(ours.median), ratio: Math.round((c.ms / ours.median) * 10) / 10 });
  }
  return { available: true as const, soffice, perReport, medianRatio: stats(perReport.map((p) => p.ratio)).median };
}

/** The report YAML a docx of the workspace was built from: same year folder and township name. */
function findYamlFor(workspaceDir: string, docx: string): string | undefined {
  const year = path.basename(path.dirname(docx));
  const stem = path.basename(docx, '.docx');
  const dir = path.join(workspaceDir, 'reports', year);
  if (!existsSync(dir)) return undefined;
  // the workspace's default file name is {year}/{short}: the agency name without 人民政府/政府
  const match = readdirSync(dir).find((f) => f.endsWith('.yaml') && f.replace(/\.yaml$/, '').replace(/(人民政府|政府)$/, '') === stem);
  return match ? path.join(dir, match) : undefined;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...(r[c] ?? '')].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0))));
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
  return rows.map((r) => r.map((cell, c) => pad(cell, widths[c])).join('  ')).join('\n');
}

async function mainBench(): Promise<void> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'nianbao-bench-'));
  const machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    /** other work on the machine skews every figure: recorded at the start and the end */
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
  log(`nianbao benchmark — ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}${quick ? ' (quick)' : ''}`);
  if (machine.loadAverageAtStart[0] > machine.cpus) log(`  warning: the machine is busy (load ${machine.loadAverageAtStart[0]} on ${machine.cpus} cores): figures will be slower than on an idle machine`);
  try {
    const list = inputs();
    log(`\n1. warm, one process, ${RUNS} runs per stage, after ${WARMUP_ROUNDS} rounds of every stage on every input (ms)`);
    const warmResults = await warm(list);

    log('\n2. where the time goes (CPU profile of the warm work)');
    const representative = list.find((i) => i.name.startsWith('examples/')) ?? list[0];
    const profiles = await whereTimeGoes(representative);
    for (const [stage, p] of Object.entries(profiles)) {
      log(`  ${stage} (${representative.name}, ${RUNS} runs, ${p.totalMs} ms sampled): ${p.byArea.slice(0, 6).map((a) => `${a.name} ${a.share}%`).join(' · ')}`);
      log(`    hottest: ${p.byFunction.slice(0, 4).map((f) => `${f.name} ${f.share}%`).join(' · ')}`);
    }

    buildDist();
    log('\n3. cold single-report CLI build (node bin/nianbao.js build one.yaml, all three formats)');
    const cold = await coldCli(representative, tmp).catch((error: Error) => ({ error: error.message.slice(0, 600), wall: stats([NaN]), peakRssMb: NaN }));
    if ('error' in cold) log(`  FAILED: ${cold.error}`);
    else log(`  median ${ms(cold.wall.median)} ms, p95 ${ms(cold.wall.p95)} ms, peak RSS ${cold.peakRssMb} MB`);

    log(`\n4. workspace of ${reportCount} generated reports, nianbao build with all cores`);
    const ws = await workspace(tmp, reportCount);
    log(`  exit ${ws.exitCode}, ${ws.wallMs} ms, ${ws.reportsPerSecond} reports/s, peak RSS of the process tree ${ws.peakTreeRssMb} MB, outputs ${JSON.stringify(ws.produced)}`);
    if (ws.exitCode !== 0) log(`  nianbao build said:\n${ws.outputTail}`);

    log('\n5. LibreOffice docx → PDF on a sample of the same reports');
    const lo = await libreOffice(ws.exitCode === null ? undefined : ws.dir, representative, tmp).catch((error: Error) => ({ available: false as const, note: `comparison failed: ${error.message.slice(0, 300)}` }));
    if (!lo.available) log(`  ${lo.note}`);
    else {
      for (const p of lo.perReport) log(`  ${p.report}: LibreOffice ${p.libreOfficeMs} ms${p.ok ? '' : ' (FAILED)'} vs nianbao PDF ${p.nianbaoPdfMs} ms warm → ${p.ratio}×`);
      if (!('error' in cold)) log(`  against a whole cold nianbao CLI build of all three formats (${ms(cold.wall.median)} ms): LibreOffice's PDF alone takes ${Math.round((stats(lo.perReport.map((p) => p.libreOfficeMs)).median / cold.wall.median) * 10) / 10}×`);
    }

    const allThree = stats(warmResults.map((w) => w.stages['all three'].median));
    const summary: string[][] = [
      ['measure', 'result', 'target', ''],
      ...STAGES.map((s) => {
        const medians = warmResults.map((w) => w.stages[s]);
        return [`warm ${s} (median / p95, worst report)`, `${ms(Math.max(...medians.map((m) => m.median)))} / ${ms(Math.max(...medians.map((m) => m.p95)))} ms`, s === 'all three' ? `≤ ${TARGETS.allThreeWarmMs} ms` : '', s === 'all three' ? (allThree.max <= TARGETS.allThreeWarmMs ? 'ok' : 'MISSED') : ''];
      }),
      ['cold CLI build, all three (median)', 'error' in cold ? 'FAILED' : `${ms(cold.wall.median)} ms`, `≤ ${TARGETS.coldCliMs} ms`, cold.wall.median <= TARGETS.coldCliMs ? 'ok' : 'MISSED'],
      [`workspace ${ws.reports} reports, ${machine.cpus} cores`, `${ws.wallMs} ms (${ws.reportsPerSecond}/s)`, reportCount === 1000 ? `≤ ${TARGETS.workspaceMs} ms` : '(not the 1,000 target)', reportCount === 1000 ? (ws.wallMs <= TARGETS.workspaceMs && ws.exitCode === 0 ? 'ok' : 'MISSED') : ''],
      ['workspace peak memory (process tree)', `${ws.peakTreeRssMb} MB`, `≤ ${TARGETS.peakMemoryMb} MB`, ws.peakTreeRssMb <= TARGETS.peakMemoryMb ? 'ok' : 'MISSED'],
      ['LibreOffice docx→PDF vs nianbao PDF', lo.available ? `${lo.medianRatio}× slower (median)` : 'n/a (no soffice)', '', ''],
    ];
    log(`\n${table(summary)}`);

    const results = {
      date: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      quick,
      runsPerStage: RUNS,
      targets: TARGETS,
      warm: warmResults,
      coldInProcessVsWarm: warmResults.map((w) => ({ input: w.input, firstCallMs: Object.fromEntries(STAGES.map((s) => [s, ms(w.firstCallMs[s])])) })),
      profile: { input: representative.name, stages: profiles },
      coldCli: cold,
      workspace: { ...ws, dir: undefined },
      libreOffice: lo,
    };
    const file = path.join(root, 'bench', quick ? 'results.local.json' : 'results.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwritten: ${path.relative(root, file)}`);
  } finally {
    if (keep) log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

await mainBench();
