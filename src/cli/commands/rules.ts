/**
 * `nianbao rules [--format plain|json]`: every check nianbao runs, from the registry
 * (format/checks.yaml and the table rules of format/rules.yaml): id, default severity, scope,
 * whether a county may tune it in nianbao.yaml, and its Chinese description with an example message
 * and its hint (what to do about a finding of it).
 */
import { checkRegistry } from '../../format/checks.js';
import { UserError } from '../../diagnostics/errors.js';
import { SEVERITY_LABEL } from '../../diagnostics/format.js';

const USAGE = '用法：nianbao rules [--format plain|json]';
const SCOPE_LABEL = { cell: '单元格', report: '报告', workspace: '工作区' } as const;

export async function runRules(args: string[]): Promise<number> {
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const value = arg === '--format' ? args[++i] : arg.startsWith('--format=') ? arg.slice('--format='.length) : undefined;
    if (value === 'json') json = true;
    else if (value !== 'plain') throw new UserError(value === undefined ? `无法识别的参数「${arg}」。\n${USAGE}` : `--format 的值「${value}」无效：应为 plain 或 json。\n${USAGE}`, 2);
  }
  const checks = checkRegistry();
  if (json) {
    process.stdout.write(`${JSON.stringify(checks.map(({ id, severity, scope, tunable, description, example, hint }) => ({ id, severity, scope, tunable, description, example, hint })), null, 2)}\n`);
    return 0;
  }
  const lines = checks.map(
    (c) => `${c.id.padEnd(20)} ${SEVERITY_LABEL[c.severity]}  ${SCOPE_LABEL[c.scope]}${' '.repeat(4 - SCOPE_LABEL[c.scope].length * 2 + 4)}${c.tunable ? '可调' : '固定'}  ${c.description}\n${' '.repeat(21)}例：${c.example}\n${' '.repeat(21)}提示：${c.hint}`,
  );
  process.stdout.write(`${lines.join('\n')}\n共 ${checks.length} 条规则；「可调」的规则可在 nianbao.yaml 的 checks.severity 中改变严重程度（error、warning、off），或在 waivers 中豁免某一条\n`);
  return 0;
}
