/**
 * `nianbao init --workspace [DIR]`: a working example workspace — nianbao.yaml, two townships in two
 * years (2020 in the 2019 edition, 2021 in the 2021 edition), a county template override, and CI
 * files for GitHub Actions and GitLab CI. Copied from examples/workspace of the package; never
 * overwrites a file.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CliError } from '../cli/errors.js';
import { packageRoot, schemasDir } from '../format/paths.js';
import { writeFileAtomic } from '../render/write.js';
import { toPosix } from './discover.js';

export const SCAFFOLD_DIR = path.join(packageRoot, 'examples', 'workspace');

function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'out' && entry.name !== 'node_modules') out.push(...listFiles(full, base));
    } else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out;
}

/** Point a report's `$schema` comment at this installation's schemas, relative to the new file. */
function rewriteSchemaLine(text: string, target: string): string {
  return text.replace(/^(# yaml-language-server: \$schema=)\S*?(report-\d{4}\.schema\.json)$/m, (_, prefix: string, name: string) => `${prefix}${toPosix(path.relative(path.dirname(target), path.join(schemasDir, name)))}`);
}

export interface ScaffoldResult {
  readonly root: string;
  /** Created files, relative to root, / separated. */
  readonly files: readonly string[];
}

export async function initWorkspace(dir: string, version: string): Promise<ScaffoldResult> {
  const root = path.resolve(dir);
  const files = listFiles(SCAFFOLD_DIR);
  const extra: Record<string, string> = {
    'package.json': `${JSON.stringify({ private: true, description: '政府信息公开工作年度报告', scripts: { check: 'nianbao check', build: 'nianbao build' }, devDependencies: { nianbao: `^${version}` } }, null, 2)}\n`,
    '.gitignore': 'out/\nnode_modules/\n',
  };
  const all = [...files, ...Object.keys(extra)];
  const existing = all.filter((f) => existsSync(path.join(root, f)));
  if (existing.length > 0) {
    throw new CliError(`文件夹「${dir}」中已有以下文件，为避免覆盖，未创建工作区：\n${existing.map((f) => `  ${toPosix(f)}`).join('\n')}\n请换一个空文件夹，例如 nianbao init --workspace 年报`, 2);
  }
  mkdirSync(root, { recursive: true });
  for (const file of files) {
    const target = path.join(root, file);
    let text = readFileSync(path.join(SCAFFOLD_DIR, file), 'utf8');
    if (file.endsWith('.yaml')) text = rewriteSchemaLine(text, target);
    await writeFileAtomic(target, text);
  }
  for (const [file, text] of Object.entries(extra)) await writeFileAtomic(path.join(root, file), text);
  return { root, files: all.map(toPosix).sort() };
}

/** The message printed after `init --workspace`. */
export function scaffoldMessage(result: ScaffoldResult, dir: string): string {
  const cd = path.relative(process.cwd(), result.root) || '.';
  return [
    `已在「${dir}」创建示例工作区（${result.files.length} 个文件）：`,
    ...result.files.map((f) => `  ${f}`),
    '',
    '下一步：',
    ...(cd === '.' ? [] : [`  cd ${cd}`]),
    '  nianbao check            校验全部报告（含跨年度、正文与表格、内容雷同检查）',
    '  nianbao build            生成全部报告的 HTML、Word、PDF 和 out/index.html',
    '  nianbao config reports/2021/红椿镇.yaml   查看一份报告合并 nianbao.yaml 后的实际取值',
    '',
  ].join('\n');
}

/** `nianbao init --workspace [DIR]` (DIR defaults to the current folder). */
export async function runInitWorkspace(args: readonly string[]): Promise<number> {
  let dir: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--workspace') {
      const next = args[i + 1];
      if (next !== undefined && !next.startsWith('-')) dir = args[++i];
    } else if (arg.startsWith('--workspace=')) dir = arg.slice('--workspace='.length);
    else if (arg === '-o' || arg === '--output') dir = args[++i];
    else throw new CliError(`init --workspace 不接受参数「${arg}」。用法：nianbao init --workspace [文件夹]`, 2);
  }
  const target = dir ?? '.';
  const { version } = await import('../cli/version.js');
  const result = await initWorkspace(target, version);
  process.stdout.write(scaffoldMessage(result, target));
  return 0;
}
