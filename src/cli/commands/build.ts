/**
 * `nianbao build <文件或文件夹…> [--html] [--docx] [--pdf] [-o 目录] [--templates 目录]`: checks each
 * report and builds the named formats (all three when none is named) next to the input or into the
 * output folder, named after the report title. A report failing its check is not built and no file
 * of it is touched. Exit 0 all built, 1 a report has errors, 2 unusable input or usage.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildReport, OUTPUT_FORMATS, type OutputFormat } from '../../build.js';
import { runWorkspaceBuild } from './workspace.js';
import { findWorkspaceRoot, loadWorkspaceConfig, type WorkspaceConfig } from '../../workspace/config/config.js';
import { checkWorkspace } from '../../workspace/checks/check.js';
import type { Diagnostic } from '../../validate/types.js';
import { folderWalkSkipper } from '../../workspace/config/discover.js';
import { UserError } from '../../diagnostics/errors.js';
import { formatDiagnostic, sortDiagnostics } from '../../diagnostics/format.js';

const HELP = `用法：nianbao build <文件或文件夹…> [--html] [--docx] [--pdf] [-o 目录] [--templates 目录] [--draft]
      nianbao build [--html] [--docx] [--pdf] [--jobs N] [--shard i/n] [--force] [--draft]   （在含 nianbao.yaml 的工作区中批量生成；
                    未改动的报告沿用上次生成的文件，--force 全部重新校验、重新生成）
      nianbao build --index-only   （只写 index.html：列出全部报告并链接输出文件夹中已有的文件，用于合并 CI 分片）

  --html / --docx / --pdf   只生成所列格式（都不写时三种都生成）
  -o, --out 目录            输出到该目录（默认：与报告 YAML 同一目录；工作区中的报告按 nianbao.yaml
                            的 output 和 file_name，与批量生成、nianbao config 所示相同）
  --templates 目录          县级模板目录，其中的 .hbs 文件覆盖默认模板中的同名部分（可重复）
  --draft                   生成报审用的草稿：校验有错误也生成，每页标明“草稿”，并列出未解决的问题；
                            文件名以「（草稿）」结尾（无法读取的文件仍不生成）
文件名取报告标题，例如「某某镇人民政府2024年政府信息公开工作年度报告.pdf」。
报告位于工作区中（上级文件夹有 nianbao.yaml）时，使用其中的机关默认值、县级模板和字体（--templates 优先）。
校验有错误的报告不生成，退出码 1（--draft 时照样生成草稿，退出码 0）。
工作区中，每份报告自身的校验结果记在 .nianbao-cache/（不要发布、不要提交）；报告、nianbao.yaml、字体和 nianbao
都未改动时沿用，跨报告的检查仍覆盖全部报告。删除该文件夹即全部重新校验。
`;

interface BuildArgs {
  inputs: string[];
  formats: OutputFormat[];
  outDir?: string;
  templateDirs: string[];
  draft: boolean;
}

function parseArgs(args: string[]): BuildArgs | 'help' {
  const parsed: BuildArgs = { inputs: [], formats: [], templateDirs: [], draft: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const next = args[++i];
      if (next === undefined || next.startsWith('-')) throw new UserError(`选项 ${arg} 需要一个目录。\n\n${HELP}`, 2);
      return next;
    };
    if (arg === '-h' || arg === '--help') return 'help';
    else if (arg === '--html' || arg === '--docx' || arg === '--pdf') {
      const format = arg.slice(2) as OutputFormat;
      if (!parsed.formats.includes(format)) parsed.formats.push(format);
    } else if (arg === '-o' || arg === '--out') parsed.outDir = value();
    else if (arg.startsWith('--out=')) parsed.outDir = arg.slice('--out='.length);
    else if (arg === '--draft') parsed.draft = true;
    else if (arg === '--templates') parsed.templateDirs.push(value());
    else if (arg.startsWith('--templates=')) parsed.templateDirs.push(arg.slice('--templates='.length));
    else if (arg.startsWith('-') && arg !== '-') throw new UserError(`未知选项「${arg}」。\n\n${HELP}`, 2);
    else parsed.inputs.push(arg);
  }
  if (parsed.formats.length === 0) parsed.formats = [...OUTPUT_FORMATS];
  return parsed;
}

/**
 * A folder stands for every *.yaml / *.yml in it (recursively; hidden folders, node_modules,
 * nianbao.yaml and a workspace's output folder skipped), sorted.
 */
function expandInputs(inputs: string[]): string[] {
  const files: string[] = [];
  for (const input of inputs) {
    let isDir = false;
    try {
      isDir = statSync(input).isDirectory();
    } catch {
      // a missing file is reported by the check, with its name
    }
    if (!isDir) {
      files.push(input);
      continue;
    }
    const found: string[] = [];
    const skip = folderWalkSkipper();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (skip(dir, entry)) continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) found.push(full);
      }
    };
    walk(input);
    if (found.length === 0) throw new UserError(`文件夹 ${input} 中没有 .yaml 报告文件。`, 2);
    files.push(...found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  }
  return files;
}

export async function runBuild(args: string[]): Promise<number> {
  // Without file arguments inside a folder holding nianbao.yaml: the workspace batch build.
  const workspace = await runWorkspaceBuild(args);
  if (workspace !== undefined) return workspace;
  const parsed = parseArgs(args);
  if (parsed === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (parsed.inputs.length === 0 && parsed.draft) {
    throw new UserError('草稿须指定报告：nianbao build <报告文件或文件夹> --draft，或在工作区中 nianbao build --draft。', 2);
  }
  if (parsed.inputs.length === 0) throw new UserError(`请指定要生成的报告文件或文件夹。\n\n${HELP}`, 2);
  const files = expandInputs(parsed.inputs);
  // A report inside a workspace is built with its nianbao.yaml (defaults, templates, fonts), as the
  // batch build would; each workspace's config is read once.
  const workspaces = new Map<string, WorkspaceConfig>();
  const workspaceOf = (file: string): WorkspaceConfig | undefined => {
    const root = findWorkspaceRoot(file);
    if (root === undefined) return undefined;
    if (!workspaces.has(root)) workspaces.set(root, loadWorkspaceConfig(root));
    return workspaces.get(root);
  };
  // What the workspace check says of each of them (county severities and waivers, cross-year and
  // cross-report checks), one check per workspace: `nianbao build x.yaml` refuses what the batch refuses.
  const verdicts = new Map<string, readonly Diagnostic[]>();
  const byWorkspace = new Map<WorkspaceConfig, string[]>();
  for (const file of files) {
    const workspace = workspaceOf(file);
    if (workspace) byWorkspace.set(workspace, [...(byWorkspace.get(workspace) ?? []), path.resolve(file)]);
  }
  for (const [workspace, members] of byWorkspace) {
    const check = await checkWorkspace(workspace, { only: members, cache: 'use' });
    for (const report of check.reports) verdicts.set(report.entry.abs, report.diagnostics);
  }
  const written = new Set<string>();
  let failed = 0;
  let unusable = 0;
  let outputs = 0;
  for (const file of files) {
    const workspace = workspaceOf(file);
    let result;
    try {
      result = await buildReport(file, {
        ...(workspace ? { workspace } : {}),
        ...(verdicts.has(path.resolve(file)) ? { verdict: verdicts.get(path.resolve(file)) } : {}),
        formats: parsed.formats,
        ...(parsed.outDir !== undefined ? { outDir: parsed.outDir } : {}),
        templateDirs: parsed.templateDirs,
        draft: parsed.draft,
        claim: (target) => !written.has(path.resolve(target)),
      });
    } catch (error) {
      if (error instanceof (await import('../../model/build-document.js')).TemplateError) throw new UserError(`模板错误：${error.message}`, 2);
      throw error;
    }
    for (const d of sortDiagnostics(result.diagnostics)) process.stderr.write(`${formatDiagnostic(d)}\n`);
    if (!result.ok) {
      failed++;
      if (!result.usable) unusable++;
      process.stderr.write(`${file}：未生成（请先修正上述错误）\n`);
      continue;
    }
    const open = result.diagnostics.length;
    for (const out of result.outputs) {
      written.add(path.resolve(out));
      process.stdout.write(parsed.draft ? `已生成草稿 ${out}（${open > 0 ? `${open} 个问题未解决，已列在草稿中` : '校验未发现问题'}）\n` : `已生成 ${out}\n`);
    }
    outputs += result.outputs.length;
  }
  const summary = `${files.length} 份报告：生成 ${files.length - failed} 份（${outputs} 个文件）${failed > 0 ? `，${failed} 份未生成` : ''}`;
  process.stderr.write(`${summary}\n`);
  return unusable > 0 ? 2 : failed > 0 ? 1 : 0;
}
