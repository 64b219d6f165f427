/**
 * `nianbao build` in a workspace: check every report (with the cross-report checks), build those
 * that pass on worker threads, leave the outputs of those that fail untouched, and write index.html.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { bundledFontFile, FONT_ROLES, readSharedFontFiles } from '../render/pdf/font-files.js';
import { writeFileAtomic } from '../render/write.js';
import type { Diagnostic } from '../validate/types.js';
import { checkWorkspace, summarize, type CheckedSummary, type Checker } from './check.js';
import { checkWorkspaceInThread } from './check-thread.js';
import type { OutputFormat, WorkspaceConfig } from './config.js';
import { effectiveReport, outputFiles, shortName, workspaceRendering } from './effective.js';
import { toPosix } from './discover.js';
import { diagnosticAt } from './entry.js';
import { renderIndex, type IndexRow, type RowStatus } from './index-page.js';
import { defaultJobs, RenderPool, type BuildJob, type BuildJobResult } from './pool.js';
import type { Progress } from './progress.js';
import { inShard, type Shard } from './shard.js';

export interface BatchOptions {
  readonly shard?: Shard;
  /** Worker threads (default: one per core). */
  readonly jobs?: number;
  readonly progress?: Progress;
  readonly checker?: Checker;
}

export interface BatchReport {
  readonly entry: CheckedSummary;
  /** In this run's shard (only those are built). */
  readonly selected: boolean;
  readonly status: RowStatus;
  readonly outputs: Partial<Record<OutputFormat, string>>;
  readonly diagnostics: readonly Diagnostic[];
  readonly renderError?: string;
}

/** The workspace check as the batch build keeps it. */
export interface BatchCheck {
  readonly config: WorkspaceConfig;
  readonly reports: readonly CheckedSummary[];
}

export interface BatchResult {
  readonly check: BatchCheck;
  readonly reports: readonly BatchReport[];
  readonly indexFile: string;
  /** Every report of the shard passed its check and was built. */
  readonly ok: boolean;
}

export const INDEX_FILE = 'index.html';

/** V8's heap growing factor in percent for the batch build (V8 chooses up to 300 by itself). */
const HEAP_GROWING_PERCENT = 100;

/**
 * Lets V8 grow a heap by at most 100% after each full collection, in every thread of the process. A
 * renderer's live set is about 50 MB, but V8 let each worker's heap grow to some 250 MB of garbage before
 * collecting it. Measured on the 1,000-report workspace (README, 性能): by default 50–51 s and 600 MB, at
 * 100% 55 s and 425–445 MB, at 40% 60–62 s and 360–440 MB; capping the workers' heaps with
 * `resourceLimits` instead cost more time for the same memory. The flag is read at every collection,
 * so setting it once the check is done takes effect in the workers' heaps, which exist already.
 */
function tightenHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** Output files per report; reports sharing an output path are errors (they would overwrite each other). */
function planOutputs(config: WorkspaceConfig, reports: readonly CheckedSummary[]): Map<CheckedSummary, { outputs: Partial<Record<OutputFormat, string>>; clash?: Diagnostic }> {
  const plan = new Map<CheckedSummary, { outputs: Partial<Record<OutputFormat, string>>; clash?: Diagnostic }>();
  const owners = new Map<string, CheckedSummary[]>();
  for (const report of reports) {
    const { name, year } = report;
    if (name === undefined || year === undefined) {
      plan.set(report, { outputs: {} });
      continue;
    }
    const outputs = outputFiles(config, name, year, report.abs);
    plan.set(report, { outputs });
    const key = Object.values(outputs)[0]!.toLowerCase();
    owners.set(key, [...(owners.get(key) ?? []), report]);
  }
  for (const group of owners.values()) {
    if (group.length < 2) continue;
    for (const report of group) {
      const others = group.filter((g) => g !== report).map((g) => g.rel);
      const target = path.relative(config.root, Object.values(plan.get(report)!.outputs)[0]!);
      const message = `输出文件「${target}」与 ${others.join('、')} 的相同；请修改 nianbao.yaml 的 file_name（例如加入 {file}）`;
      plan.get(report)!.clash = diagnosticAt(report.file, report.namePosition, 'error', 'WS-OUTPUT', message);
    }
  }
  return plan;
}

export async function buildWorkspace(config: WorkspaceConfig, options: BatchOptions = {}): Promise<BatchResult> {
  // The render workers start first: loading the renderers and fonts runs on the other core while the
  // workspace is checked. The fonts are read once, here, and shared with them.
  const fontFiles = config.formats.includes('pdf') ? readSharedFontFiles(FONT_ROLES.map((role) => config.fonts[role]?.file ?? bundledFontFile(role))) : undefined;
  const pool = new RenderPool(options.jobs ?? defaultJobs(), { ...(fontFiles ? { fontFiles } : {}), formats: config.formats, pdfFonts: config.fonts });
  try {
    return await checkAndBuild(config, options, pool);
  } finally {
    await pool.close();
  }
}

async function checkAndBuild(config: WorkspaceConfig, options: BatchOptions, pool: RenderPool): Promise<BatchResult> {
  // On a thread of its own (check-thread.ts), unless a checker of the caller's must run here.
  const summaries = options.checker ? (await checkWorkspace(config, { checker: options.checker })).reports.map(summarize) : await checkWorkspaceInThread(config);
  const check: BatchCheck = { config, reports: summaries };
  const plan = planOutputs(config, check.reports);

  const jobs: BuildJob[] = [];
  const jobOwner = new Map<number, CheckedSummary>();
  check.reports.forEach((report, position) => {
    const { clash } = plan.get(report)!;
    if (!inShard(position, options.shard) || !report.ok || clash || !report.report) return;
    const id = jobs.length;
    jobs.push({
      id,
      report: effectiveReport(config, report.report, report.abs),
      formats: config.formats,
      targets: plan.get(report)!.outputs,
      ...workspaceRendering(config),
    });
    jobOwner.set(id, report);
  });

  const progress = options.progress;
  progress?.start(jobs.length);
  tightenHeapGrowth();
  const results = await pool.run(jobs, (result) => progress?.done(jobOwner.get(result.id)!.rel, result.ok));
  progress?.stop();
  const byOwner = new Map<CheckedSummary, BuildJobResult>(results.map((r) => [jobOwner.get(r.id)!, r]));

  const reports: BatchReport[] = check.reports.map((report, position) => {
    const { outputs, clash } = plan.get(report)!;
    const diagnostics = clash ? [...report.diagnostics, clash] : report.diagnostics;
    const result = byOwner.get(report);
    const failed = !report.ok || clash !== undefined;
    const status: RowStatus = failed ? 'failed' : result && !result.ok ? 'render-failed' : diagnostics.length > 0 ? 'warnings' : 'built';
    return {
      entry: report,
      selected: inShard(position, options.shard),
      status,
      outputs,
      diagnostics,
      ...(result && !result.ok ? { renderError: `生成失败：${result.error}` } : {}),
    };
  });

  const indexFile = await writeIndex(config, reports);
  const ok = reports.filter((r) => r.selected).every((r) => r.status === 'built' || r.status === 'warnings');
  return { check, reports, indexFile, ok };
}

/** index.html of the whole workspace, in its output folder. */
async function writeIndex(config: WorkspaceConfig, reports: readonly BatchReport[]): Promise<string> {
  const rows: IndexRow[] = reports.map((r) => ({
    rel: r.entry.rel,
    ...(r.entry.name ? { name: r.entry.name } : {}),
    ...(r.entry.year !== undefined ? { year: r.entry.year } : {}),
    ...(r.entry.edition ? { edition: r.entry.edition } : {}),
    status: r.status,
    outputs: r.outputs,
    diagnostics: r.diagnostics,
    ...(r.renderError ? { renderError: r.renderError } : {}),
  }));
  const indexFile = path.join(config.output, INDEX_FILE);
  const parent = config.agency.parent;
  // 云溪县人民政府 → 云溪县政府信息公开工作年度报告一览
  const title = `${parent && !parent.includes('{') ? shortName(parent) : ''}政府信息公开工作年度报告一览`;
  await writeFileAtomic(indexFile, renderIndex(rows, { outputDir: config.output, title, formats: config.formats }));
  return indexFile;
}

/**
 * `nianbao build --index-only`: index.html for output files built elsewhere (the CI shards, whose
 * folders were merged into the output folder). Every report is checked again, nothing is rendered;
 * a report that passes but lacks one of its files is listed as not built, naming the missing files.
 */
export async function indexWorkspace(config: WorkspaceConfig, options: Pick<BatchOptions, 'checker'> = {}): Promise<BatchResult> {
  const summaries = options.checker ? (await checkWorkspace(config, { checker: options.checker })).reports.map(summarize) : await checkWorkspaceInThread(config);
  const check: BatchCheck = { config, reports: summaries };
  const plan = planOutputs(config, check.reports);
  const reports: BatchReport[] = check.reports.map((report) => {
    const { outputs, clash } = plan.get(report)!;
    const diagnostics = clash ? [...report.diagnostics, clash] : report.diagnostics;
    const failed = !report.ok || clash !== undefined;
    const missing = failed ? [] : Object.values(outputs).filter((file) => !existsSync(file!));
    const status: RowStatus = failed ? 'failed' : missing.length > 0 ? 'render-failed' : diagnostics.length > 0 ? 'warnings' : 'built';
    const relative = (file: string) => toPosix(path.relative(config.root, file));
    return {
      entry: report,
      selected: true,
      status,
      outputs,
      diagnostics,
      ...(missing.length > 0 ? { renderError: `缺少输出文件：${missing.map((f) => relative(f!)).join('、')}（生成它的分片未成功，或其文件未合并到输出文件夹）` } : {}),
    };
  });
  const indexFile = await writeIndex(config, reports);
  return { check, reports, indexFile, ok: reports.every((r) => r.status === 'built' || r.status === 'warnings') };
}
