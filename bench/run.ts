/**
 * `npm run bench`: how fast nianbao is, measured, not guessed (never part of `npm test`).
 *
 *  1. warm, in one process, per report: parse + validate, HTML, docx, PDF, all three (median, p95; wall
 *     time and, beside it, the process's CPU time), after every stage has run on every input a few times
 *  2. where the time goes: the first (cold, in-process) call of each stage against its warm median,
 *     and a CPU profile of the warm work by package and by function
 *  3. a cold single-report CLI run: `node bin/nianbao.js build one.yaml` (all three formats), wall and CPU
 *  4. a generated workspace of 1,000 reports built with all cores: wall and CPU time, reports/s, peak
 *     memory of the process tree
 *  5. LibreOffice against nianbao on the same reports, like for like: a cold process against a cold
 *     process, and the marginal cost of one more report in a running process against the same (wall and
 *     CPU; bench/lib/libreoffice.ts). No ratio divides a cold process by a warm function.
 *  6. `nianbao preview`: from saving the YAML to the open page told (its change event) and to the page
 *     fetched again, wall time, with the process's CPU per save (bench/lib/preview.ts)
 *
 * Before step 1 and after step 6, a reference workload that nianbao's code does not touch (bench/lib/reference.ts):
 * the machine's own speed, which moves from hour to hour, beside the figures of the run.
 *
 * Prints a table and writes bench/results.json. Options: --quick (fewer runs, 100-report workspace),
 * --reports N (workspace size), --skip-build (use dist/ as it is), --keep (keep the temp workspace);
 * --check-scale runs only bench/check-scale.ts (the workspace check at 1,000 and 3,000 reports).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDocument } from '../src/model/build-document.js';
import { renderHtml } from '../src/render/html/index.js';
import { renderDocx } from '../src/render/docx/index.js';
import { renderPdf } from '../src/render/pdf/index.js';
import { distinctInputs, distinctRuns, inputs, stageWork, STAGES, validated, type Input, type Stage } from './lib/stages.js';
import { previewLatency } from './lib/preview.js';
import { generateWorkspace } from './lib/workspace.js';
import { bench, mb, ms, runMeasured, stats, timeIt, type RunResult, type Stats } from './lib/measure.js';
import { profile, type ProfileSummary } from './lib/profile.js';
import { findSoffice, libreOfficeConverter } from './lib/libreoffice.js';
import { referenceTiming } from './lib/reference.js';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const keep = args.includes('--keep');
const reportCount = Number(args[args.indexOf('--reports') + 1]) || (quick ? 100 : 1000);
const RUNS = quick ? 5 : 20;

const TARGETS = { allThreeWarmMs: 60, coldCliMs: 1500, workspaceMs: 60_000, peakMemoryMb: 500, previewMs: 1000 };

const log = (line = '') => process.stdout.write(`${line}\n`);

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
  return { wall: stats(runs.map((r) => r.wallMs)), cpu: stats(runs.map((r) => r.cpuMs)), peakRssMb: mb(Math.max(...runs.map((r) => r.peakTreeRss))) };
}

async function workspace(tmp: string, count: number) {
  const dir = path.join(tmp, 'workspace');
  mkdirSync(dir, { recursive: true });
  const files = generateWorkspace(dir, count);
  const env = { ...process.env, CI: 'true' };
  // the first progress line (printed when the check ends) splits the memory figure: the check with the reports
  // rendered meanwhile, then the rest of the rendering
  const run = await runMeasured(process.execPath, [bin, 'build'], { cwd: dir, env, phaseMark: /^\[\d+\/\d+\] /m });
  const produced = outputs(path.join(dir, 'out'));
  // The incremental build (src/workspace/batch/manifest.ts): the same command again with nothing changed, then
  // after one report's text changed; both against the full build above.
  const unchanged = await runMeasured(process.execPath, [bin, 'build'], { cwd: dir, env });
  const edited = path.join(dir, files[Math.floor(files.length / 2)]);
  writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^date: "?(\d{4})-01-(\d\d)"?$/m, (_, y: string, d: string) => `date: "${y}-01-${String(((Number(d) + 1) % 28) + 1).padStart(2, '0')}"`));
  const oneChanged = await runMeasured(process.execPath, [bin, 'build', '--format', 'json'], { cwd: dir, env });
  let renderedAfterEdit = NaN;
  try {
    renderedAfterEdit = (JSON.parse(oneChanged.stdout) as { reports: { upToDate: boolean }[] }).reports.filter((r) => !r.upToDate).length;
  } catch {
    // reported as NaN
  }
  // Every report rendered again, as JSON: how many reports went to a render worker while the check still ran
  // (src/workspace/batch/early.ts); the plain run above prints no such count.
  const forced = await runMeasured(process.execPath, [bin, 'build', '--force', '--format', 'json'], { cwd: dir, env });
  let renderedWhileChecking = NaN;
  try {
    renderedWhileChecking = (JSON.parse(forced.stdout) as { renderedWhileChecking: number }).renderedWhileChecking;
  } catch {
    // reported as NaN
  }
  const share = (r: typeof run) => Math.round((r.wallMs / run.wallMs) * 1000) / 10;
  const warnings = (run.stdout + run.stderr).split('\n').filter((l) => /警告|warning/.test(l)).length;
  return {
    dir,
    reports: files.length,
    exitCode: run.code,
    wallMs: ms(run.wallMs),
    cpuMs: ms(run.cpuMs),
    reportsPerSecond: Math.round((files.length / run.wallMs) * 1000 * 10) / 10,
    peakTreeRssMb: mb(run.peakTreeRss),
    /** sampled peaks until the check ends (with the reports rendered meanwhile) and after it */
    peakTreeRssByPhaseMb: { check: mb(run.phases?.before ?? NaN), render: mb(run.phases?.after ?? NaN) },
    produced,
    warningLines: warnings,
    incremental: {
      unchanged: { exitCode: unchanged.code, wallMs: ms(unchanged.wallMs), cpuMs: ms(unchanged.cpuMs), percentOfFull: share(unchanged) },
      oneChanged: { exitCode: oneChanged.code, wallMs: ms(oneChanged.wallMs), cpuMs: ms(oneChanged.cpuMs), percentOfFull: share(oneChanged), reportsRendered: renderedAfterEdit },
    },
    forced: { exitCode: forced.code, wallMs: ms(forced.wallMs), cpuMs: ms(forced.cpuMs), renderedWhileChecking },
    outputTail: (run.stdout + run.stderr).split('\n').slice(-5).join('\n'),
  };
}

/** Up to `n` report YAMLs of the generated workspace (or the committed examples), in path order. */
function sampleReports(workspaceDir: string | undefined, n: number): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      if (found.length >= n) return;
      const p = path.join(d, entry);
      if (statSync(p).isDirectory()) walk(p);
      else if (entry.endsWith('.yaml')) found.push(p);
    }
  };
  const dir = workspaceDir ? path.join(workspaceDir, 'reports') : path.join(root, 'examples', 'reports');
  if (existsSync(dir)) walk(dir);
  return found;
}

interface Side {
  /** one report per process: median of the runs */
  cold: { wallMs: number; cpuMs: number };
  /** all N reports in one process */
  batch: { wallMs: number; cpuMs: number; reports: number };
  /** (batch − cold) / (N − 1): one more report in a running process */
  marginal: { wallMs: number; cpuMs: number };
}

function side(single: RunResult[], batch: RunResult, n: number): Side {
  const cold = { wallMs: ms(stats(single.map((r) => r.wallMs)).median), cpuMs: ms(stats(single.map((r) => r.cpuMs)).median) };
  return {
    cold,
    batch: { wallMs: ms(batch.wallMs), cpuMs: ms(batch.cpuMs), reports: n },
    marginal: { wallMs: ms((batch.wallMs - cold.wallMs) / (n - 1)), cpuMs: ms((batch.cpuMs - cold.cpuMs) / (n - 1)) },
  };
}

/**
 * LibreOffice's docx → PDF against nianbao's YAML → PDF, both as processes started here (see
 * bench/lib/libreoffice.ts): cold against cold, and marginal cost per report against marginal cost.
 * The docx LibreOffice converts are nianbao's own, built beforehand from the very same YAML files.
 */
async function againstLibreOffice(workspaceDir: string | undefined, tmp: string) {
  const soffice = findSoffice();
  if (!soffice) return { available: false as const, note: 'soffice (LibreOffice) is not installed on this machine: comparison skipped' };
  const n = quick ? 4 : 8;
  const yamls = sampleReports(workspaceDir, n);
  if (yamls.length < 2) return { available: false as const, note: 'fewer than two reports to compare' };
  // the same reports outside any workspace, so that both sides print exactly the same document
  const dir = path.join(tmp, 'lo-compare');
  const inputsDir = path.join(dir, 'reports');
  mkdirSync(inputsDir, { recursive: true });
  const copies = yamls.map((file, i) => {
    const copy = path.join(inputsDir, `${String(i).padStart(2, '0')}-${path.basename(file)}`);
    writeFileSync(copy, readFileSync(file));
    return copy;
  });
  const docxDir = path.join(dir, 'docx');
  const made = await runMeasured(process.execPath, [bin, 'build', inputsDir, '--docx', '-o', docxDir]);
  if (made.code !== 0) return { available: false as const, note: `nianbao could not build the docx to compare: ${made.stderr.slice(0, 300)}` };
  const docx = readdirSync(docxDir).filter((f) => f.endsWith('.docx')).sort().map((f) => path.join(docxDir, f));
  const singles = Math.min(quick ? 2 : 3, docx.length);

  const lo = await libreOfficeConverter(soffice, docx[0]);
  let loSide: Side;
  let loOk = true;
  try {
    const single: RunResult[] = [];
    for (const file of docx.slice(0, singles)) {
      const run = await lo.convert([file]);
      loOk &&= run.ok;
      single.push(run);
    }
    const batch = await lo.convert(docx);
    loOk &&= batch.ok;
    loSide = side(single, batch, docx.length);
  } finally {
    lo.close();
  }

  const ours = async (args: string[]) => {
    const out = mkdtempSync(path.join(dir, 'pdf-'));
    const run = await runMeasured(process.execPath, [bin, 'build', ...args, '--pdf', '-o', out]);
    if (run.code !== 0) throw new Error(`nianbao build ${args.join(' ')} --pdf exited ${run.code}: ${run.stderr.slice(0, 300)}`);
    rmSync(out, { recursive: true, force: true });
    return run;
  };
  await ours([copies[0]]); // the same unmeasured first run LibreOffice had
  const single: RunResult[] = [];
  for (const file of copies.slice(0, singles)) single.push(await ours([file]));
  const nianbaoSide = side(single, await ours([inputsDir]), copies.length);

  const ratio = (a: number, b: number) => Math.round((a / b) * 10) / 10;
  return {
    available: true as const,
    soffice,
    reports: copies.length,
    libreOfficeOk: loOk,
    libreOffice: loSide,
    nianbao: nianbaoSide,
    /** how many times nianbao's figure LibreOffice's is */
    ratios: {
      coldWall: ratio(loSide.cold.wallMs, nianbaoSide.cold.wallMs),
      coldCpu: ratio(loSide.cold.cpuMs, nianbaoSide.cold.cpuMs),
      marginalWall: ratio(loSide.marginal.wallMs, nianbaoSide.marginal.wallMs),
      marginalCpu: ratio(loSide.marginal.cpuMs, nianbaoSide.marginal.cpuMs),
    },
  };
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
    const referenceRuns = quick ? 5 : 20;
    const referenceAtStart = await referenceTiming(referenceRuns);
    log(`\n0. reference workload (not nianbao: the machine's speed now), ${referenceRuns} rounds: CPU median ${ms(referenceAtStart.cpu!.median)} ms, wall ${ms(referenceAtStart.median)} ms`);
    const list = inputs();
    log(`\n1. warm, one process, ${RUNS} runs per stage, after ${WARMUP_ROUNDS} rounds of every stage on every input (ms)`);
    const warmResults = await warm(list);

    // The stages above repeat seven inputs, which every per-process memo (cells, broken lines) flatters; a
    // workspace build meets a new report each time.
    const distinctCount = quick ? 60 : 200;
    log(`\n1b. warm, ${distinctCount} different generated reports, each checked and rendered in all three formats once, after 40 unmeasured`);
    const distinctRun = await distinctRuns(distinctInputs(distinctCount + 40), 40);
    const distinct = { reports: distinctCount, cpu: stats(distinctRun.cpuMs), wall: stats(distinctRun.wallMs) };
    log(`  CPU median ${ms(distinct.cpu.median)} ms, p95 ${ms(distinct.cpu.p95)} ms; wall median ${ms(distinct.wall.median)} ms, p95 ${ms(distinct.wall.p95)} ms`);

    log('\n2. where the time goes (CPU profile of the warm work)');
    const representative = list.find((i) => i.name.startsWith('examples/')) ?? list[0];
    const profiles = await whereTimeGoes(representative);
    for (const [stage, p] of Object.entries(profiles)) {
      log(`  ${stage} (${representative.name}, ${RUNS} runs, ${p.totalMs} ms sampled): ${p.byArea.slice(0, 6).map((a) => `${a.name} ${a.share}%`).join(' · ')}`);
      log(`    hottest: ${p.byFunction.slice(0, 4).map((f) => `${f.name} ${f.share}%`).join(' · ')}`);
    }

    buildDist();
    log('\n3. cold single-report CLI build (node bin/nianbao.js build one.yaml, all three formats)');
    const cold = await coldCli(representative, tmp).catch((error: Error) => ({ error: error.message.slice(0, 600), wall: stats([NaN]), cpu: stats([NaN]), peakRssMb: NaN }));
    if ('error' in cold) log(`  FAILED: ${cold.error}`);
    else log(`  median ${ms(cold.wall.median)} ms wall (${ms(cold.cpu.median)} ms CPU), p95 ${ms(cold.wall.p95)} ms, peak RSS ${cold.peakRssMb} MB`);

    log(`\n4. workspace of ${reportCount} generated reports, nianbao build with all cores`);
    const ws = await workspace(tmp, reportCount);
    log(`  exit ${ws.exitCode}, ${ws.wallMs} ms wall, ${ws.cpuMs} ms CPU, ${ws.reportsPerSecond} reports/s, peak RSS of the process tree ${ws.peakTreeRssMb} MB (until the check ends, reports rendered meanwhile included, ${ws.peakTreeRssByPhaseMb.check} MB, after it ${ws.peakTreeRssByPhaseMb.render} MB), outputs ${JSON.stringify(ws.produced)}`);
    if (ws.exitCode !== 0) log(`  nianbao build said:\n${ws.outputTail}`);
    const inc = ws.incremental;
    log(`  again, nothing changed: ${inc.unchanged.wallMs} ms wall, ${inc.unchanged.cpuMs} ms CPU = ${inc.unchanged.percentOfFull}% of the full build`);
    log(`  again, one report changed: ${inc.oneChanged.wallMs} ms wall, ${inc.oneChanged.cpuMs} ms CPU = ${inc.oneChanged.percentOfFull}% of the full build, ${inc.oneChanged.reportsRendered} report(s) rendered`);
    log(`  again with --force: ${ws.forced.wallMs} ms wall, ${ws.forced.cpuMs} ms CPU, ${ws.forced.renderedWhileChecking} report(s) handed to a render worker while the check ran`);

    log('\n5. LibreOffice docx → PDF against nianbao YAML → PDF, the same reports, processes started the same way');
    const lo = await againstLibreOffice(ws.exitCode === null ? undefined : ws.dir, tmp).catch((error: Error) => ({ available: false as const, note: `comparison failed: ${error.message.slice(0, 300)}` }));
    if (!lo.available) log(`  ${lo.note}`);
    else {
      const line = (name: string, s: Side) =>
        `  ${name.padEnd(12)} cold ${s.cold.wallMs} ms wall / ${s.cold.cpuMs} ms CPU · ${s.batch.reports} in one process ${s.batch.wallMs} ms / ${s.batch.cpuMs} ms CPU · marginal ${s.marginal.wallMs} ms / ${s.marginal.cpuMs} ms CPU per report`;
      log(line('LibreOffice', lo.libreOffice) + (lo.libreOfficeOk ? '' : ' (SOME CONVERSIONS FAILED)'));
      log(line('nianbao', lo.nianbao));
      log(`  LibreOffice ÷ nianbao: cold ${lo.ratios.coldWall}× wall, ${lo.ratios.coldCpu}× CPU; marginal ${lo.ratios.marginalWall}× wall, ${lo.ratios.marginalCpu}× CPU`);
    }

    const saves = quick ? 5 : 20;
    log(`\n6. nianbao preview: ${saves} saves of ${representative.name}, each timed to the change event and to the page fetched again`);
    const preview = await previewLatency(path.join(root, representative.name), saves);
    log(`  change event: median ${ms(preview.eventMs.median)} ms, max ${ms(preview.eventMs.max)} ms; page fetched again: median ${ms(preview.pageMs.median)} ms, max ${ms(preview.pageMs.max)} ms; CPU ${preview.cpuMsPerSave} ms per save`);

    const referenceAtEnd = await referenceTiming(referenceRuns);
    log(`\n7. reference workload again, at the end: CPU median ${ms(referenceAtEnd.cpu!.median)} ms, wall ${ms(referenceAtEnd.median)} ms`);

    const allThree = stats(warmResults.map((w) => w.stages['all three'].median));
    const summary: string[][] = [
      ['measure', 'result', 'target', ''],
      ...STAGES.map((s) => {
        const medians = warmResults.map((w) => w.stages[s]);
        return [`warm ${s} (median / p95, worst report; CPU median)`, `${ms(Math.max(...medians.map((m) => m.median)))} / ${ms(Math.max(...medians.map((m) => m.p95)))} ms; CPU ${ms(Math.max(...medians.map((m) => m.cpu?.median ?? NaN)))} ms`, s === 'all three' ? `≤ ${TARGETS.allThreeWarmMs} ms` : '', s === 'all three' ? (allThree.max <= TARGETS.allThreeWarmMs ? 'ok' : 'MISSED') : ''];
      }),
      [`warm, all three, ${distinct.reports} different reports once each (CPU median / p95)`, `${ms(distinct.cpu.median)} / ${ms(distinct.cpu.p95)} ms`, '≤ 30 ms (issue 17)', distinct.cpu.median <= 30 ? 'ok' : 'MISSED'],
      ['cold CLI build, all three (median)', 'error' in cold ? 'FAILED' : `${ms(cold.wall.median)} ms; CPU ${ms(cold.cpu.median)} ms`, `≤ ${TARGETS.coldCliMs} ms`, cold.wall.median <= TARGETS.coldCliMs ? 'ok' : 'MISSED'],
      [`workspace ${ws.reports} reports, ${machine.cpus} cores`, `${ws.wallMs} ms (${ws.reportsPerSecond}/s); CPU ${ws.cpuMs} ms`, reportCount === 1000 ? `≤ ${TARGETS.workspaceMs} ms` : '(not the 1,000 target)', reportCount === 1000 ? (ws.wallMs <= TARGETS.workspaceMs && ws.exitCode === 0 ? 'ok' : 'MISSED') : ''],
      ['workspace rebuild, nothing changed (share of the full build)', `${ws.incremental.unchanged.percentOfFull}%`, '< 15%', ws.incremental.unchanged.percentOfFull < 15 ? 'ok' : 'MISSED'],
      ['workspace rebuild, one report changed (share of the full build)', `${ws.incremental.oneChanged.percentOfFull}%, ${ws.incremental.oneChanged.reportsRendered} rendered`, '< 20%', ws.incremental.oneChanged.percentOfFull < 20 && ws.incremental.oneChanged.reportsRendered === 1 ? 'ok' : 'MISSED'],
      ['workspace peak memory (process tree; sampled, until / after the check ends)', `${ws.peakTreeRssMb} MB (${ws.peakTreeRssByPhaseMb.check} / ${ws.peakTreeRssByPhaseMb.render} MB)`, `≤ ${TARGETS.peakMemoryMb} MB`, ws.peakTreeRssMb <= TARGETS.peakMemoryMb ? 'ok' : 'MISSED'],
      ['preview: save → page fetched again (median / max)', `${ms(preview.pageMs.median)} / ${ms(preview.pageMs.max)} ms`, `≤ ${TARGETS.previewMs} ms`, preview.pageMs.max <= TARGETS.previewMs ? 'ok' : 'MISSED'],
      ['LibreOffice ÷ nianbao, cold process (wall / CPU)', lo.available ? `${lo.ratios.coldWall}× / ${lo.ratios.coldCpu}×` : 'n/a (no soffice)', '', ''],
      ['LibreOffice ÷ nianbao, marginal per report (wall / CPU)', lo.available ? `${lo.ratios.marginalWall}× / ${lo.ratios.marginalCpu}×` : 'n/a (no soffice)', '', ''],
      ['reference workload, the machine\'s speed (CPU median at the start / at the end)', `${ms(referenceAtStart.cpu!.median)} / ${ms(referenceAtEnd.cpu!.median)} ms`, '', ''],
    ];
    log(`\n${table(summary)}`);

    const results = {
      date: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => Math.round(l * 100) / 100) },
      quick,
      runsPerStage: RUNS,
      targets: TARGETS,
      warm: warmResults,
      warmDistinct: { reports: distinct.reports, warmup: 40, cpuMs: { median: ms(distinct.cpu.median), p95: ms(distinct.cpu.p95) }, wallMs: { median: ms(distinct.wall.median), p95: ms(distinct.wall.p95) } },
      coldInProcessVsWarm: warmResults.map((w) => ({ input: w.input, firstCallMs: Object.fromEntries(STAGES.map((s) => [s, ms(w.firstCallMs[s])])) })),
      profile: { input: representative.name, stages: profiles },
      coldCli: cold,
      workspace: { ...ws, dir: undefined },
      libreOffice: lo,
      preview,
      reference: { rounds: referenceRuns, atStart: referenceAtStart, atEnd: referenceAtEnd },
    };
    const file = path.join(root, 'bench', quick ? 'results.local.json' : 'results.json');
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    log(`\nwritten: ${path.relative(root, file)}`);
  } finally {
    if (keep) log(`kept: ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
}

// The workspace check's scaling alone (bench/check-scale.ts), without the rest of the bench.
if (args.includes('--check-scale')) await (await import('./check-scale.js')).checkScale();
else await mainBench();
