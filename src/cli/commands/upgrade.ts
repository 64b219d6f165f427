/**
 * `nianbao upgrade [工作区文件夹]`: moves a workspace to the running nianbao — packs it into vendor/,
 * removes the old tarball, points package.json at the new one and rewrites package-lock.json; adds the
 * tooling files the workspace lacks and names those that differ.
 * Run it with the newer nianbao (not the one installed in the workspace).
 */
import path from 'node:path';
import { findWorkspaceRoot } from '../../workspace/config/config.js';
import { toPosix } from '../../workspace/config/discover.js';
import { upgradeWorkspace, VENDOR_DIR } from '../../workspace/scaffold/vendor.js';
import type { ToolingRefresh } from '../../workspace/scaffold/tooling.js';
import { UserError } from '../../diagnostics/errors.js';

/** What the upgrade did to the workspace's tooling, and which tooling files the clerk may want to compare. */
function toolingLines(tooling: ToolingRefresh): string[] {
  return [
    ...tooling.added.map((file) => `  已添加 ${file}（新版本的工作区文件）`),
    ...(tooling.ignored.length > 0 ? [`  .gitignore 已补上 ${tooling.ignored.join('、')}`] : []),
    ...tooling.failed.map(({ file, reason }) => `  未能${file === '.gitignore' ? '补充' : '添加'} ${file}：${reason}`),
    ...(tooling.differing.length > 0
      ? [
          '',
          '以下文件与新版本的同名文件不同，未改动（可能是本县的修改）：',
          ...tooling.differing.map((file) => `  ${file}`),
          `如需新版本的内容，npm ci 之后对照 node_modules/nianbao/examples/workspace/ 中的同名文件合并。`,
        ]
      : []),
  ];
}

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
  const changed = result.tooling.added.length > 0 || result.tooling.ignored.length > 0;
  const lines = [
    `已将工作区「${where}」${result.from ? `从 nianbao ${result.from} ` : ''}升级到 nianbao ${result.to}：`,
    `  ${VENDOR_DIR}/${result.tarball}`,
    ...result.removed.map((f) => `  已删除 ${VENDOR_DIR}/${f}`),
    `  package.json${result.lockError ? '' : '、package-lock.json'} 已更新`,
    ...toolingLines(result.tooling),
    '',
    ...(result.lockError ? [`注意：${result.lockError}`, '请联网后在工作区中运行 npm install，更新 package-lock.json。', ''] : []),
    ...(result.tooling.failed.length > 0 ? ['注意：上面未能写入的文件，请移走挡路的文件或改正权限后再运行一次 nianbao upgrade（已完成的部分不受影响）。', ''] : []),
    `下一步：npm ci 安装新版本，然后 npx nianbao check；确认无误后提交 vendor/、package.json、package-lock.json${changed ? ' 和上面新添加、补充的文件' : ''}。`,
    '',
  ];
  process.stdout.write(lines.join('\n'));
  return result.lockError || result.tooling.failed.length > 0 ? 1 : 0;
}
