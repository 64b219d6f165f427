/**
 * The workspace side of the commands: `nianbao check` and `nianbao build` inside a folder holding
 * nianbao.yaml. The commands in src/cli/commands/ call these first; `undefined` means "not a
 * workspace invocation", and the command goes on as for single files.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../diagnostics/errors.js';
import { diagnosticsToJson, formatSummary, SEVERITY_LABEL } from '../../diagnostics/format.js';
// Type-only: the workspace check and batch build (with the template engine they load) are imported
// when the invocation turns out to be a workspace one, so that `check one.yaml` does not pay for them.
import type { BatchResult } from '../../workspace/batch/batch.js';
import type { WorkspaceCheck } from '../../workspace/checks/check.js';
import { CONFIG_FILE, findWorkspaceRoot, isWithin, loadWorkspaceConfig, OUTPUT_FORMATS, type OutputFormat, type WorkspaceConfig } from '../../workspace/config/config.js';
import { discoverReports, toPosix } from '../../workspace/config/discover.js';
import { formatForStyle, parseOutputStyle, type OutputStyle } from '../../diagnostics/ci-format.js';
import { boundJobs, defaultJobs } from '../../workspace/batch/pool.js';
import { parseShard, type Shard } from '../../workspace/batch/shard.js';

interface ParsedArgs {
  inputs: string[];
  style: OutputStyle;
  shard?: Shard;
  jobs?: number;
  force?: boolean;
  formats: OutputFormat[];
  draft: boolean;
  indexOnly: boolean;
  unknown: string[];
}

function parseArgs(args: readonly string[], allowBuildOptions: boolean): ParsedArgs {
  const parsed: ParsedArgs = { inputs: [], style: 'plain', formats: [], draft: false, indexOnly: false, unknown: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (name: string) => {
      if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
      const next = args[++i];
      if (next === undefined) throw new UserError(`选项 ${name} 需要一个值`, 2);
      return next;
    };
    if (arg === '--format' || arg.startsWith('--format=')) parsed.style = parseOutputStyle(value('--format'));
    else if (allowBuildOptions && (arg === '--shard' || arg.startsWith('--shard='))) parsed.shard = parseShard(value('--shard'));
    else if (allowBuildOptions && (arg === '--jobs' || arg === '-j' || arg.startsWith('--jobs='))) {
      const text = value('--jobs');
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1) throw new UserError(`--jobs 的值「${text}」无效：应为正整数`, 2);
      parsed.jobs = boundJobs(n);
      if (parsed.jobs < n) process.stderr.write(`--jobs ${text} 超过本机的 CPU 核心数 ${defaultJobs()}：按 ${parsed.jobs} 个线程生成\n`);
    } else if (allowBuildOptions && arg === '--force') parsed.force = true;
    else if (allowBuildOptions && (arg === '--html' || arg === '--docx' || arg === '--pdf')) parsed.formats.push(arg.slice(2) as OutputFormat);
    else if (allowBuildOptions && arg === '--draft') parsed.draft = true;
    else if (allowBuildOptions && arg === '--index-only') parsed.indexOnly = true;
    else if (arg.startsWith('-') && arg !== '-') parsed.unknown.push(arg);
    else parsed.inputs.push(arg);
  }
  return parsed;
}

/** Which workspace reports the given paths name (folders: every report under them), or undefined. */
function resolveTargets(inputs: readonly string[]): { config: WorkspaceConfig; only?: string[] } | undefined {
  if (inputs.length === 0) {
    const root = findWorkspaceRoot(process.cwd());
    return root ? { config: loadWorkspaceConfig(root) } : undefined;
  }
  const roots = new Set(inputs.map((input) => findWorkspaceRoot(path.resolve(input))));
  if (roots.size !== 1) return undefined;
  const [root] = roots;
  if (!root) return undefined;
  const config = loadWorkspaceConfig(root);
  const all = discoverReports(config);
  const only = new Set<string>();
  for (const input of inputs) {
    const absolute = path.resolve(input);
    let isDir = false;
    try {
      isDir = statSync(absolute).isDirectory();
    } catch {
      return undefined; // a missing file: the single-file check reports it
    }
    const matches = isDir ? all.filter((file) => isWithin(absolute, file)) : all.filter((file) => file === absolute);
    if (matches.length === 0) return undefined;
    for (const m of matches) only.add(m);
  }
  return only.size === all.length ? { config } : { config, only: [...only] };
}

function exitCode(check: Pick<WorkspaceCheck, 'reports'>): number {
  if (check.reports.some((r) => !r.checked.usable)) return 2;
  return check.reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** `nianbao check` (no arguments, or folders/files inside one workspace). */
export async function runWorkspaceCheck(args: readonly string[]): Promise<number | undefined> {
  const parsed = parseArgs(args, false);
  if (parsed.unknown.length > 0) return undefined;
  const target = resolveTargets(parsed.inputs);
  if (!target) return undefined;
  const { checkWorkspace } = await import('../../workspace/checks/check.js');
  const check = await checkWorkspace(target.config, { cache: 'use', ...(target.only ? { only: target.only } : {}) });
  const diagnostics = check.reports.flatMap((r) => r.diagnostics);
  if (check.reports.length === 0) {
    const folders = target.config.reports.map((dir) => toPosix(path.relative(target.config.root, dir)) || '.');
    throw new UserError(`工作区（${target.config.root}）的报告文件夹（${folders.join('、')}）中没有 .yaml 报告文件\n  = 提示：用 nianbao init --year 年度 --agency 机关名称 -o ${folders[0]}/年度/机关.yaml 写一份，或在 nianbao.yaml 的 reports 中写明报告所在的文件夹`, 2);
  }
  if (parsed.style === 'json') {
    process.stdout.write(diagnosticsToJson(check.reports.map((r) => ({ file: r.entry.file, usable: r.checked.usable, diagnostics: r.diagnostics }))));
  } else {
    process.stdout.write(formatForStyle(diagnostics, parsed.style));
    process.stdout.write(`${formatSummary(diagnostics, check.reports.length)}\n`);
  }
  return exitCode(check);
}

/** `nianbao build` with no file arguments inside a workspace: the batch build. */
export async function runWorkspaceBuild(args: readonly string[]): Promise<number | undefined> {
  const parsed = parseArgs(args, true);
  // `nianbao build` inside a workspace, or `nianbao build <工作区文件夹>` from outside it (CI at the
  // repository root with the workspace in a subfolder).
  const named = parsed.inputs.length === 1 && existsSync(path.join(parsed.inputs[0], CONFIG_FILE)) ? parsed.inputs[0] : undefined;
  if ((parsed.inputs.length > 0 && !named) || parsed.unknown.length > 0) {
    if (parsed.shard || parsed.jobs || parsed.force || parsed.indexOnly) throw new UserError('--shard、--jobs、--force 和 --index-only 只用于工作区的批量生成（nianbao build 不带文件参数，或只带工作区文件夹）', 2);
    return undefined;
  }
  const root = named ? path.resolve(named) : findWorkspaceRoot(process.cwd());
  if (!root) return undefined;
  let config = loadWorkspaceConfig(root);
  if (parsed.formats.length > 0) config = { ...config, formats: OUTPUT_FORMATS.filter((f) => parsed.formats.includes(f)) };
  if (parsed.indexOnly) {
    if (parsed.shard || parsed.jobs) throw new UserError('--index-only 不生成报告，不能与 --shard 或 --jobs 同用：先用 --shard 分片生成，合并各分片的输出文件夹后再运行 nianbao build --index-only', 2);
    const { indexWorkspace } = await import('../../workspace/batch/batch.js');
    const result = await indexWorkspace(config);
    printBatch(result, parsed.style, true);
    if (result.check.reports.some((r) => !r.usable)) return 2;
    return result.ok ? 0 : 1;
  }
  const { createProgress, linesProgress } = await import('../../workspace/batch/progress.js');
  const progress = parsed.style === 'json' ? linesProgress(() => {}) : createProgress();
  // the output folder cannot be taken or index.html not written (a WriteError): nothing a report can fix,
  // printed as its message with exit 2 by the command's last word (print-error.ts)
  const { buildWorkspace } = await import('../../workspace/batch/batch.js');
  const result: BatchResult = await buildWorkspace(config, { ...(parsed.shard ? { shard: parsed.shard } : {}), ...(parsed.jobs ? { jobs: parsed.jobs } : {}), ...(parsed.force ? { force: true } : {}), progress });
  printBatch(result, parsed.style);
  if (result.check.reports.some((r) => !r.usable)) return 2;
  if (!parsed.draft) return result.ok ? 0 : 1;
  // Asked for drafts: every report that failed its check is written as a draft; done when all were.
  const { writeWorkspaceDrafts } = await import('../../workspace/batch/drafts.js');
  const drafts = await writeWorkspaceDrafts(config, result.reports);
  const rel = (p: string) => toPosix(path.relative(config.root, p));
  for (const d of drafts) {
    if (d.error) process.stderr.write(`${d.report.entry.rel}：草稿生成失败：${d.error}\n`);
    for (const out of d.outputs) process.stderr.write(`已生成草稿 ${rel(out)}（${d.report.diagnostics.length} 个问题未解决，已列在草稿中）\n`);
  }
  const renderFailed = result.reports.some((r) => r.selected && r.status === 'render-failed');
  const failed = result.reports.filter((r) => r.selected && r.status === 'failed').length;
  return renderFailed || drafts.filter((d) => !d.error).length < failed ? 1 : 0;
}

function printBatch(result: BatchResult, style: OutputStyle, indexOnly = false): void {
  const { config } = result.check;
  const rel = (p: string) => toPosix(path.relative(config.root, p));
  const selected = result.reports.filter((r) => r.selected);
  if (style === 'json') {
    const json = {
      ok: result.ok,
      index: rel(result.indexFile),
      removed: result.removed,
      renderedWhileChecking: result.renderedWhileChecking,
      reports: selected.map((r) => ({
        file: r.entry.rel,
        agency: r.entry.name ?? null,
        year: r.entry.year ?? null,
        status: r.status,
        upToDate: r.upToDate,
        outputs: Object.values(r.outputs).map((p) => rel(p!)),
        errors: r.diagnostics.filter((d) => d.severity === 'error').length,
        warnings: r.diagnostics.filter((d) => d.severity === 'warning').length,
        diagnostics: r.diagnostics.map((d) => ({ ...d, severityLabel: SEVERITY_LABEL[d.severity] })),
        ...(r.renderError ? { renderError: r.renderError } : {}),
      })),
    };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  const diagnostics = selected.flatMap((r) => r.diagnostics);
  // The merge job of CI indexes what the build shards made: their jobs printed the annotations already.
  if (indexOnly) {
    for (const r of selected) {
      if (r.status === 'failed') process.stdout.write(`未通过校验：${r.entry.rel}（没有输出文件）\n`);
      if (r.renderError) process.stdout.write(`${style === 'github' ? `::error file=${r.entry.file}::` : ''}${r.entry.rel}：${r.renderError}\n`);
    }
    const listed = selected.filter((r) => r.status === 'built' || r.status === 'warnings').length;
    process.stdout.write(`索引：${rel(result.indexFile)}，列出 ${selected.length} 份报告，其中 ${listed} 份的文件齐全${listed < selected.length ? `，${selected.length - listed} 份没有文件` : ''}\n`);
    return;
  }
  process.stdout.write(formatForStyle(diagnostics, style));
  for (const r of selected) {
    if (r.status === 'failed') process.stdout.write(`未生成：${r.entry.rel}（校验有错误，原有输出文件未改动）\n`);
    if (r.renderError) process.stdout.write(`${style === 'github' ? `::error file=${r.entry.file}::` : ''}${r.entry.rel}：${r.renderError}\n`);
  }
  const built = selected.filter((r) => r.status === 'built' || r.status === 'warnings').length;
  const failed = selected.length - built;
  const unchanged = selected.filter((r) => r.upToDate).length;
  if (result.removed.length > 0) process.stdout.write(`已删除 ${result.removed.length} 个已不在工作区的报告的输出文件：${result.removed.join('、')}\n`);
  process.stdout.write(`已生成 ${built} 份报告${unchanged > 0 ? `（其中 ${unchanged} 份未改动，沿用上次生成的文件；--force 全部重新生成）` : ''}${failed > 0 ? `，${failed} 份未生成` : ''}；索引：${rel(result.indexFile)}\n`);
}
