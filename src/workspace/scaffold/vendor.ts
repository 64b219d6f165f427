/**
 * How a county workspace gets nianbao without the npm registry knowing it: the running nianbao is
 * packed by npm itself (`npm pack`, the same tarball a registry would serve) into
 * vendor/nianbao-X.Y.Z.tgz, the workspace's package.json depends on it with `file:`, and
 * package-lock.json pins it by integrity together with every dependency. `init --workspace` writes
 * this; `nianbao upgrade` replaces the tarball with the running nianbao and updates both files (and
 * the workspace's tooling: tooling.ts).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../diagnostics/errors.js';
import { packageRoot } from '../../format/paths.js';
import { writeFileAtomic } from '../../render/write.js';
import { refreshTooling, type ToolingRefresh } from './tooling.js';

export const VENDOR_DIR = 'vendor';

interface PackageJson {
  version: string;
  overrides?: Record<string, unknown>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

function ownPackage(): PackageJson {
  return JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as PackageJson;
}

/**
 * The `overrides` the workspace's package.json must repeat: npm honours overrides only in the root
 * package, and nianbao's keep the install free of engine warnings (README, 安装).
 */
export function ownOverrides(): Record<string, unknown> | undefined {
  return ownPackage().overrides;
}

/** Runs npm: the npm that started us (npx, npm run) when known, else the one on PATH. */
function npm(args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const execPath = process.env.npm_execpath;
  const env = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
  if (execPath && /npm-cli\.js$/.test(execPath)) return spawnSync(process.execPath, [execPath, ...args], { cwd, encoding: 'utf8', env });
  // Windows has npm as npm.cmd, which only a shell runs; the shell needs the arguments quoted
  if (process.platform === 'win32') return spawnSync('npm', args.map((a) => (/[\s"&|<>^()]/.test(a) ? `"${a.replace(/"/g, '""')}"` : a)), { cwd, encoding: 'utf8', env, shell: true });
  return spawnSync('npm', [...args], { cwd, encoding: 'utf8', env });
}

function npmFailure(what: string, result: SpawnSyncReturns<string>): string {
  if (result.error) return `${what}：无法运行 npm（${(result.error as NodeJS.ErrnoException).code ?? result.error.message}）。请确认已安装 Node.js 和 npm。`;
  const detail = `${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
  return `${what}：npm 退出码 ${result.status}${detail ? `\n${detail}` : ''}`;
}

/**
 * Packs the running nianbao into `dir` as npm would publish it (scripts not run: dist/ is already
 * built in every copy that can run). Returns the tarball's file name.
 */
export function packRunningNianbao(dir: string): string {
  if (!existsSync(path.join(packageRoot, 'dist', 'cli', 'main.js'))) {
    throw new UserError(`无法打包 nianbao：${packageRoot} 中没有编译好的 dist/。请先在该文件夹运行 npm run build。`, 2);
  }
  const result = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], packageRoot);
  if (result.status !== 0) throw new UserError(npmFailure('打包 nianbao 失败', result), 2);
  const packed = JSON.parse(result.stdout) as { filename: string }[];
  return path.basename(packed[0]!.filename);
}

/** The workspace's package.json, depending on the vendored tarball. */
export function workspacePackageJson(tarball: string): string {
  const overrides = ownOverrides();
  return `${JSON.stringify(
    {
      private: true,
      description: '政府信息公开工作年度报告',
      scripts: { check: 'nianbao check', build: 'nianbao build' },
      dependencies: { nianbao: `file:${VENDOR_DIR}/${tarball}` },
      ...(overrides ? { overrides } : {}),
    },
    null,
    2,
  )}\n`;
}

/**
 * Writes package-lock.json from package.json (resolving the dependencies needs the npm registry or
 * npm's cache). Returns an error text instead of throwing: the workspace is usable without it after
 * `npm install`.
 */
export function writeLock(root: string): string | undefined {
  const result = npm(['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], root);
  return result.status === 0 ? undefined : npmFailure('生成 package-lock.json 失败', result);
}

export interface UpgradeResult {
  readonly from?: string;
  readonly to: string;
  readonly tarball: string;
  readonly removed: readonly string[];
  readonly lockError?: string;
  /** The workspace's tooling (CI files, VS Code's settings, .gitignore) brought to the running nianbao. */
  readonly tooling: ToolingRefresh;
}

/** `nianbao upgrade`: moves the workspace at `root` to the running nianbao. */
export async function upgradeWorkspace(root: string): Promise<UpgradeResult> {
  const pkgFile = path.join(root, 'package.json');
  if (!existsSync(pkgFile)) throw new UserError(`工作区「${root}」中没有 package.json。请用 nianbao init --workspace 创建的工作区，或手工添加 package.json 后再运行 nianbao upgrade。`, 2);
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as PackageJson;
  } catch (error) {
    throw new UserError(`无法读取「${pkgFile}」：${(error as Error).message}`, 2);
  }
  const previous = pkg.dependencies?.nianbao ?? pkg.devDependencies?.nianbao;
  const from = /nianbao-(\d+\.\d+\.\d+[^/]*)\.tgz$/.exec(previous ?? '')?.[1] ?? previous;
  const vendor = path.join(root, VENDOR_DIR);
  const stale = existsSync(vendor) ? readdirSync(vendor).filter((f) => /^nianbao-.*\.tgz$/.test(f)) : [];
  // pack first: if that fails nothing in the workspace has changed
  const tarball = packRunningNianbao(vendor);
  const removed = stale.filter((f) => f !== tarball);
  for (const file of removed) rmSync(path.join(vendor, file));

  const { devDependencies, dependencies, overrides: _old, ...rest } = pkg;
  const { nianbao: _dev, ...otherDev } = devDependencies ?? {};
  const overrides = ownOverrides();
  const next = {
    ...rest,
    dependencies: { ...dependencies, nianbao: `file:${VENDOR_DIR}/${tarball}` },
    ...(Object.keys(otherDev).length > 0 ? { devDependencies: otherDev } : {}),
    ...(overrides ? { overrides } : {}),
  };
  await writeFileAtomic(pkgFile, `${JSON.stringify(next, null, 2)}\n`);

  // A rebuilt tarball of the same version has a new integrity: drop nianbao's lock entry so npm
  // records the new one instead of keeping the old.
  const lockFile = path.join(root, 'package-lock.json');
  if (existsSync(lockFile)) {
    try {
      const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, unknown> };
      if (lock.packages) delete lock.packages['node_modules/nianbao'];
      await writeFileAtomic(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
    } catch {
      rmSync(lockFile);
    }
  }
  const lockError = writeLock(root);
  const tooling = await refreshTooling(root);
  return { ...(from ? { from } : {}), to: ownPackage().version, tarball, removed, ...(lockError ? { lockError } : {}), tooling };
}
