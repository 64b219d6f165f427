/**
 * `nianbao config <报告文件> [--format json]`: a report's effective values in its workspace — agency
 * after nianbao.yaml defaults (with where each value came from), last year's report, templates,
 * fonts and output files.
 */
import path from 'node:path';
import { findWorkspaceRoot, loadWorkspaceConfig } from '../../workspace/config/config.js';
import { effectiveView, formatEffectiveView } from '../../workspace/config/effective-view.js';
import { parseOutputStyle } from '../../diagnostics/ci-format.js';
import { UserError } from '../../diagnostics/errors.js';
import { existsSync, statSync } from 'node:fs';

const USAGE = '用法：nianbao config <报告文件> [--format json]';

export async function runConfig(args: string[]): Promise<number> {
  const files: string[] = [];
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg === '--format' || arg.startsWith('--format=')) json = parseOutputStyle(arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i]) === 'json';
    else if (arg.startsWith('-')) throw new UserError(`未知选项「${arg}」。\n${USAGE}`, 2);
    else files.push(arg);
  }
  if (files.length !== 1) throw new UserError(`请指定一份报告文件。\n${USAGE}`, 2);
  const file = files[0];
  if (!existsSync(file)) throw new UserError(`文件不存在：${file}`, 2);
  if (statSync(file).isDirectory()) throw new UserError(`「${file}」是文件夹：config 一次显示一份报告，请指定报告文件。\n${USAGE}`, 2);
  const root = findWorkspaceRoot(path.dirname(path.resolve(file)));
  if (!root) throw new UserError(`「${file}」不在工作区中：它所在的文件夹及其上级都没有 nianbao.yaml。可用 nianbao init --workspace 创建工作区。`, 2);
  const view = effectiveView(loadWorkspaceConfig(root), file);
  process.stdout.write(json ? `${JSON.stringify(view, null, 2)}\n` : formatEffectiveView(view));
  return 0;
}
