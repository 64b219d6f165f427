/**
 * `nianbao build` in a workspace: check every report (with the cross-report checks), build those
 * that pass on worker threads, leave the outputs of those that fail untouched, and write index.html.
 */
import path from 'node:path';
import { writeFileAtomic } from '../render/write.js';
import type { Diagnostic } from '../validate/types.js';
import { checkWorkspace, type CheckedEntry, type Checker, type WorkspaceCheck } from './check.js';
import type { OutputFormat, WorkspaceConfig } from './config.js';
import { effectiveReport, outputFiles, shortName, workspaceRendering } from './effective.js';
import { at } from './entry.js';
import { renderIndex, type IndexRow, type RowStatus } from './index-page.js';
import { defaultJobs, runPool, type BuildJob, type BuildJobResult } from './pool.js';
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
  readonly entry: CheckedEntry;
  /** In this run's shard (only those are built). */
  readonly selected: boolean;
  readonly status: RowStatus;
  readonly outputs: Partial<Record<OutputFormat, string>>;
  readonly diagnostics: readonly Diagnostic[];
  readonly renderError?: string;
}

export interface BatchResult {
  readonly check: WorkspaceCheck;
  readonly reports: readonly BatchReport[];
  readonly indexFile: string;
  /** Every report of the shard passed its check and was built. */
  readonly ok: boolean;
}

export const INDEX_FILE = 'index.html';

/** Output files per report; reports sharing an output path are errors (they would overwrite each other). */
function planOutputs(config: WorkspaceConfig, reports: readonly CheckedEntry[]): Map<CheckedEntry, { outputs: Partial<Record<OutputFormat, string>>; clash?: Diagnostic }> {
  const plan = new Map<CheckedEntry, { outputs: Partial<Record<OutputFormat, string>>; clash?: Diagnostic }>();
  const owners = new Map<string, CheckedEntry[]>();
  for (const report of reports) {
    const { name, year } = report.entry;
    if (name === undefined || year === undefined) {
      plan.set(report, { outputs: {} });
      continue;
    }
    const outputs = outputFiles(config, name, year, report.entry.abs);
    plan.set(report, { outputs });
    const key = Object.values(outputs)[0]!.toLowerCase();
    owners.set(key, [...(owners.get(key) ?? []), report]);
  }
  for (const group of owners.values()) {
    if (group.length < 2) continue;
    for (const report of group) {
      const others = group.filter((g) => g !== report).map((g) => g.rel);
      const target = path.relative(config.root, Object.values(plan.get(report)!.outputs)[0]!);
      plan.get(report)!.clash = at(report.entry, ['agency', 'name'], 'error', 'WS-OUTPUT', `输出文件「${target}」与 ${others.join('、')} 的相同；请修改 nianbao.yaml 的 file_name（例如加入 {file}）`);
    }
  }
  return plan;
}

export async function buildWorkspace(config: WorkspaceConfig, options: BatchOptions = {}): Promise<BatchResult> {
  const check = await checkWorkspace(config, options.checker ? { checker: options.checker } : {});
  const plan = planOutputs(config, check.reports);

  const jobs: BuildJob[] = [];
  const jobOwner = new Map<number, CheckedEntry>();
  check.reports.forEach((report, position) => {
    const { clash } = plan.get(report)!;
    if (!inShard(position, options.shard) || !report.ok || clash || !report.checked.report) return;
    const id = jobs.length;
    jobs.push({
      id,
      report: effectiveReport(config, report.checked.report, report.entry.abs),
      formats: config.formats,
      targets: plan.get(report)!.outputs,
      ...workspaceRendering(config),
    });
    jobOwner.set(id, report);
  });

  const progress = options.progress;
  progress?.start(jobs.length);
  const results = await runPool(jobs, options.jobs ?? defaultJobs(), (result) => progress?.done(jobOwner.get(result.id)!.rel, result.ok));
  progress?.stop();
  const byOwner = new Map<CheckedEntry, BuildJobResult>(results.map((r) => [jobOwner.get(r.id)!, r]));

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

  const rows: IndexRow[] = reports.map((r) => ({
    rel: r.entry.rel,
    ...(r.entry.entry.name ? { name: r.entry.entry.name } : {}),
    ...(r.entry.entry.year !== undefined ? { year: r.entry.entry.year } : {}),
    ...(r.entry.entry.edition ? { edition: r.entry.entry.edition } : {}),
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

  const ok = reports.filter((r) => r.selected).every((r) => r.status === 'built' || r.status === 'warnings');
  return { check, reports, indexFile, ok };
}
