/**
 * Where each report's files go, decided for the whole workspace before anything is written, and the
 * plans that cannot be carried out (WS-OUTPUT): a check, so that `nianbao check` reports them as the
 * batch build refuses them, and the build uses the same plan for its targets.
 */
import type { Span } from '../../diagnostics/diagnostic.js';
import path from 'node:path';
import { MAX_PATH_BYTES } from '../../render/file-names.js';
import type { Diagnostic } from '../../validate/types.js';
import type { OutputFormat, WorkspaceConfig } from '../config/config.js';
import { outputFiles } from '../config/effective.js';
import { toPosix } from '../config/discover.js';
import { makeDiagnostic } from '../../validate/diagnostic.js';

/** The workspace's index page, in its output folder: no report's file may take its name. */
export const INDEX_FILE = 'index.html';

/** What an output plan needs of a report: its files' names come from its agency and year. */
export interface OutputOwner {
  readonly file: string;
  readonly rel: string;
  readonly abs: string;
  readonly name?: string;
  readonly year?: number;
}

export type OutputPlan<T extends OutputOwner> = Map<T, { readonly outputs: Partial<Record<OutputFormat, string>>; clash?: Diagnostic }>;

/**
 * Output files per report, all decided before anything is written. Errors (WS-OUTPUT, the report is not
 * built): two reports sharing an output file (compared without case: Windows and macOS do not tell
 * 红椿镇.HTML from 红椿镇.html), an output that is index.html or would need a folder where another
 * output or index.html is, and a path over the system's limit. Names are already safe (outputBase).
 */
export function planOutputs<T extends OutputOwner>(config: WorkspaceConfig, reports: readonly T[], namePosition: (report: T) => Span): OutputPlan<T> {
  const plan: OutputPlan<T> = new Map();
  const key = (file: string) => path.relative(config.output, file).split(path.sep).join('/').toLowerCase();
  const indexKey = INDEX_FILE;
  const owners = new Map<string, T[]>();
  const folders = new Set<string>();
  for (const report of reports) {
    const { name, year } = report;
    if (name === undefined || year === undefined) {
      plan.set(report, { outputs: {} });
      continue;
    }
    const outputs = outputFiles(config, name, year, report.abs);
    plan.set(report, { outputs });
    for (const file of Object.values(outputs)) {
      const k = key(file);
      owners.set(k, [...(owners.get(k) ?? []), report]);
      const parts = k.split('/');
      for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
    }
  }
  const clash = (report: T, message: string, hint?: string) => {
    const entry = plan.get(report)!;
    entry.clash ??= makeDiagnostic(report.file, namePosition(report), 'error', 'WS-OUTPUT', message, hint);
  };
  const shown = (file: string) => toPosix(path.relative(config.root, file));
  for (const report of reports) {
    for (const file of Object.values(plan.get(report)!.outputs)) {
      const k = key(file);
      const bytes = Buffer.byteLength(file, 'utf8');
      if (k === indexKey || k.split('/')[0] === indexKey) {
        clash(report, `输出文件「${shown(file)}」会覆盖工作区的索引页 ${shown(path.join(config.output, INDEX_FILE))}`, '修改 nianbao.yaml 的 file_name（例如 {year}/{short}）或报告文件名');
      } else if (folders.has(k)) {
        clash(report, `输出文件「${shown(file)}」与另一份报告的输出文件夹同名`);
      } else if (bytes > MAX_PATH_BYTES) {
        clash(report, `输出路径「${shown(file)}」长 ${bytes} 字节，超过系统上限 ${MAX_PATH_BYTES} 字节`, '缩短 nianbao.yaml 的 output 或 file_name');
      }
      const group = owners.get(k)!;
      if (group.length < 2) continue;
      const others = [...new Set(group.filter((g) => g !== report).map((g) => g.rel))];
      clash(report, `输出文件「${shown(file)}」与 ${others.join('、')} 的相同`);
    }
  }
  return plan;
}
