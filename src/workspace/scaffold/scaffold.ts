/**
 * `nianbao init --workspace [DIR]`: a working example workspace — nianbao.yaml, two townships in two
 * years (2020 in the 2019 edition, 2021 in the 2021 edition), a county template override, and CI
 * files for GitHub Actions and GitLab CI. Copied from examples/workspace of the package; never
 * overwrites a file.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../diagnostics/errors.js';
import { schemasDir } from '../../format/paths.js';
import { findWorkspaceRoot } from '../config/config.js';
import { writeFileAtomic } from '../../render/write.js';
import { toPosix } from '../config/discover.js';
import { IGNORED, SCAFFOLD_DIR, scaffoldFiles } from './files.js';
import { packRunningNianbao, VENDOR_DIR, workspacePackageJson, writeLock } from './vendor.js';

/**
 * The `$schema` reference of a report written at `outFile` (or printed: relative to the current
 * folder). Inside a workspace it names the schema of the workspace's own installation
 * (node_modules/nianbao after `npm ci`), which moves with the workspace; elsewhere the schema of the
 * running nianbao. Used by `init` and `import` alike.
 */
export function reportSchemaRef(edition: string, outFile: string | undefined): string {
  const from = outFile ? path.dirname(path.resolve(outFile)) : process.cwd();
  const root = findWorkspaceRoot(from);
  const dir = root ? workspaceSchemasDir(root) : schemasDir;
  const rel = path.relative(from, path.join(dir, `report-${edition}.schema.json`)).split(path.sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Where a workspace's installed nianbao keeps its schemas (after `npm ci` in the workspace). */
export function workspaceSchemasDir(root: string): string {
  return path.join(root, 'node_modules', 'nianbao', 'schemas');
}

/**
 * Point a report's `$schema` comment at the schemas of the workspace's own installation, relative to
 * the new file: the workspace moves between machines and folders, the nianbao that wrote it does not.
 */
function rewriteSchemaLine(text: string, target: string, root: string): string {
  return text.replace(/^(# yaml-language-server: \$schema=)\S*?(report-\d{4}\.schema\.json)$/m, (_, prefix: string, name: string) => `${prefix}${toPosix(path.relative(path.dirname(target), path.join(workspaceSchemasDir(root), name)))}`);
}

/** `dir` and every folder above it. */
function selfAndAncestors(dir: string): string[] {
  const out = [dir];
  for (let d = dir; d !== path.dirname(d); d = path.dirname(d)) out.push(path.dirname(d));
  return out;
}

export interface ScaffoldResult {
  readonly root: string;
  /** Created files, relative to root, / separated. */
  readonly files: readonly string[];
  /** Why package-lock.json could not be written (install: true only). */
  readonly lockError?: string;
}

export interface ScaffoldOptions {
  /**
   * Pack the running nianbao into vendor/ and write package-lock.json (needs npm, and the registry
   * or npm's cache for the dependencies). Without it package.json names the tarball all the same.
   */
  readonly install?: boolean;
}

export async function initWorkspace(dir: string, version: string, options: ScaffoldOptions = {}): Promise<ScaffoldResult> {
  const root = path.resolve(dir);
  const files = scaffoldFiles();
  // `npm pack` names an unscoped package's tarball <name>-<version>.tgz
  const tarball = `nianbao-${version}.tgz`;
  const extra: Record<string, string> = {
    'package.json': workspacePackageJson(tarball),
    '.gitignore': `${IGNORED.join('\n')}\n`,
  };
  const made = options.install ? [`${VENDOR_DIR}/${tarball}`, 'package-lock.json'] : [];
  const all = [...files, ...Object.keys(extra), ...made];
  // the folder itself, or a folder a file goes in, taken by a file: nothing could be written there
  // (existsSync, not statSync: a path under a file is ENOTDIR, which only existsSync answers with false)
  const folders = new Set([root, ...all.map((f) => path.dirname(path.join(root, f)))].flatMap(selfAndAncestors));
  const blocker = [...folders].find((folder) => existsSync(folder) && !statSync(folder).isDirectory());
  if (blocker) {
    throw new UserError(`「${toPosix(path.relative(process.cwd(), blocker)) || blocker}」是一个文件，挡住了工作区要用的文件夹，未创建工作区。\n请换一个空文件夹，例如 nianbao init --workspace 年报`, 2);
  }
  const existing = all.filter((f) => existsSync(path.join(root, f)));
  if (existing.length > 0) {
    throw new UserError(`文件夹「${dir}」中已有以下文件，为避免覆盖，未创建工作区：\n${existing.map((f) => `  ${toPosix(f)}`).join('\n')}\n请换一个空文件夹，例如 nianbao init --workspace 年报`, 2);
  }
  mkdirSync(root, { recursive: true });
  for (const file of files) {
    const target = path.join(root, file);
    let text = readFileSync(path.join(SCAFFOLD_DIR, file), 'utf8');
    if (file.endsWith('.yaml')) text = rewriteSchemaLine(text, target, root);
    await writeFileAtomic(target, text);
  }
  for (const [file, text] of Object.entries(extra)) await writeFileAtomic(path.join(root, file), text);
  let lockError: string | undefined;
  if (options.install) {
    mkdirSync(path.join(root, VENDOR_DIR), { recursive: true });
    const packed = packRunningNianbao(path.join(root, VENDOR_DIR));
    if (packed !== tarball) await writeFileAtomic(path.join(root, 'package.json'), workspacePackageJson(packed));
    lockError = writeLock(root);
  }
  const written = lockError ? all.filter((f) => f !== 'package-lock.json') : all;
  return { root, files: written.map(toPosix).sort(), ...(lockError ? { lockError } : {}) };
}

/** The message printed after `init --workspace`. */
export function scaffoldMessage(result: ScaffoldResult, dir: string): string {
  const cd = path.relative(process.cwd(), result.root) || '.';
  return [
    `已在「${dir}」创建示例工作区（${result.files.length} 个文件）：`,
    ...result.files.map((f) => `  ${f}`),
    '',
    ...(result.lockError ? [`注意：${result.lockError}`, '请联网后在工作区中运行 npm install，生成 package-lock.json。', ''] : []),
    '下一步：',
    ...(cd === '.' ? [] : [`  cd ${cd}`]),
    `  ${result.lockError ? 'npm install' : 'npm ci'}                   安装本工作区锁定版本的 nianbao（vendor/ 中的打包文件）`,
    '  npx nianbao check        校验全部报告（含跨年度、正文与表格、内容雷同检查）',
    '  npx nianbao build        生成全部报告的 HTML、Word、PDF 和 out/index.html',
    '  npx nianbao config reports/2021/红椿镇.yaml   查看一份报告合并 nianbao.yaml 后的实际取值',
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
    else throw new UserError(`init --workspace 不接受参数「${arg}」。用法：nianbao init --workspace [文件夹]`, 2);
  }
  const target = dir ?? '.';
  const { version } = await import('../../version.js');
  const result = await initWorkspace(target, version, { install: true });
  process.stdout.write(scaffoldMessage(result, target));
  return 0;
}
