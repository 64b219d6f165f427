/**
 * `nianbao upgrade [工作区文件夹]`: moves a workspace to the running nianbao — packs it into vendor/,
 * removes the old tarball, points package.json at the new one and rewrites package-lock.json.
 * Run it with the newer nianbao (not the one installed in the workspace).
 */
import path from 'node:path';
import { findWorkspaceRoot } from '../../workspace/config/config.js';
import { toPosix } from '../../workspace/config/discover.js';
import { upgradeWorkspace, VENDOR_DIR } from '../../workspace/scaffold/vendor.js';
import { UserError } from '../../diagnostics/errors.js';

const USAGE = '用法：nianbao upgrade [工作区文件夹]   （用新版 nianbao 运行，例如 node 新版nianbao/bin/nianbao.js upgrade）';

export async function runUpgrade(args: string[]): Promise<number> {
  const dirs: string[] = [];
  for (const arg of args) {
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (arg.startsWith('-')) throw new UserError(`未知选项「${arg}」。\n${USAGE}`, 2);
    dirs.push(arg);
  }
  if (dirs.length > 1) throw new UserError(`一次只能升级一个工作区。\n${USAGE}`, 2);
  const start = dirs[0] ?? process.cwd();
  const root = findWorkspaceRoot(start);
  if (!root) throw new UserError(`「${start}」不在工作区中：它及其上级文件夹都没有 nianbao.yaml。\n${USAGE}`, 2);
  const result = await upgradeWorkspace(root);
  const where = toPosix(path.relative(process.cwd(), root)) || '.';
  const lines = [
    `已将工作区「${where}」${result.from ? `从 nianbao ${result.from} ` : ''}升级到 nianbao ${result.to}：`,
    `  ${VENDOR_DIR}/${result.tarball}`,
    ...result.removed.map((f) => `  已删除 ${VENDOR_DIR}/${f}`),
    `  package.json${result.lockError ? '' : '、package-lock.json'} 已更新`,
    '',
    ...(result.lockError ? [`注意：${result.lockError}`, '请联网后在工作区中运行 npm install，更新 package-lock.json。', ''] : []),
    '下一步：npm ci 安装新版本，然后 npx nianbao check；确认无误后提交 vendor/、package.json 和 package-lock.json。',
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return result.lockError ? 1 : 0;
}
