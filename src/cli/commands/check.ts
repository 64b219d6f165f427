/**
 * `nianbao check <files or folders…> [--format plain|github|json]`: checks every report (folders
 * recursively, *.yaml / *.yml) and prints every problem as `path:line:col 严重程度 规则 message`
 * (github: workflow annotations; json: one document). Inside a workspace the workspace check runs.
 * Exit 0: no errors (warnings allowed); 1: errors in a report; 2: unusable input or usage.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pdfGlyphCoverage } from '../../render/pdf/coverage.js';
import { checkFile } from '../../validate/index.js';
import type { CheckedReport } from '../../validate/types.js';
import { runWorkspaceCheck } from './workspace.js';
import { withReportTextChecks } from '../../workspace/checks/report/report-checks.js';
import { folderWalkSkipper } from '../../workspace/config/discover.js';
import { UserError } from '../../diagnostics/errors.js';
import { diagnosticsToJson, formatSummary } from '../../diagnostics/format.js';
import { formatForStyle, parseOutputStyle, type OutputStyle } from '../../diagnostics/ci-format.js';

const USAGE = '用法：nianbao check <文件或文件夹…> [--format plain|github|json]';

const isReportFile = (name: string) => /\.ya?ml$/i.test(name);

/** Files named on the command line, folders expanded recursively to their *.yaml / *.yml, sorted. */
export async function collectReportFiles(inputs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const skip = folderWalkSkipper(); // hidden, node_modules, nianbao.yaml, a workspace's output folder
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (skip(dir, entry)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isReportFile(entry.name)) out.push(full);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) {
      const before = out.length;
      await walk(input);
      if (out.length === before) throw new UserError(`文件夹「${input}」中没有 .yaml 或 .yml 文件。`, 2);
    } else {
      out.push(input); // a missing file is reported by checkFile as unusable input
    }
  }
  return out;
}

export function exitCodeOf(results: readonly Pick<CheckedReport, 'usable' | 'diagnostics'>[]): number {
  if (results.some((r) => !r.usable)) return 2;
  if (results.some((r) => r.diagnostics.some((d) => d.severity === 'error'))) return 1;
  return 0;
}

export async function runCheck(args: string[]): Promise<number> {
  // Inside a workspace (a folder holding nianbao.yaml) with no arguments, or with folders/files of
  // it: the workspace check, which adds the cross-report checks (src/workspace/). undefined = not
  // a workspace invocation.
  const workspace = await runWorkspaceCheck(args);
  if (workspace !== undefined) return workspace;
  let format: OutputStyle = 'plain';
  const inputs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg === '--format' || arg.startsWith('--format=')) {
      format = parseOutputStyle(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UserError(`未知选项「${arg}」。\n${USAGE}`, 2);
    } else {
      inputs.push(arg);
    }
  }
  if (inputs.length === 0) throw new UserError(`请指定要校验的报告文件或文件夹。\n${USAGE}`, 2);
  const files = await collectReportFiles(inputs);
  const results: CheckedReport[] = [];
  // the bundled PDF fonts: every character must be drawable (a workspace's own fonts: runWorkspaceCheck)
  const glyphs = pdfGlyphCoverage();
  for (const file of files) results.push(withReportTextChecks(await checkFile(file, { glyphs })));
  const diagnostics = results.flatMap((r) => r.diagnostics);
  if (format === 'json') {
    process.stdout.write(diagnosticsToJson(results));
  } else {
    process.stdout.write(formatForStyle(diagnostics, format));
    process.stdout.write(`${formatSummary(diagnostics, files.length)}\n`);
  }
  return exitCodeOf(results);
}
