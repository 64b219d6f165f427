/**
 * The county's path, end to end with the real npm (run by .ci/run with vitest.county.config.ts: it
 * needs the npm registry or a warm npm cache for the dependencies, and takes a few minutes):
 * a fresh copy of nianbao's sources is packed with `npm pack` (its prepare script builds dist/),
 * `init --workspace` run from it vendors that package, the workspace is copied to another folder,
 * installed with `npm ci` and checked and built there; its generated GitHub and GitLab CI files run
 * in test/ci-sim.ts and publish one complete site; `nianbao upgrade` moves it to a newer nianbao.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packageRoot } from '../../src/format/paths.js';
import { githubCondition, gitlabRulesAllow, listTree, simulateGithub, simulateGitlab, type SimResult } from '../ci-sim.js';
import { tempDir } from '../workspace-fixtures.js';

const version = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
const REPORTS = ['2020/红椿镇', '2020/青石镇', '2021/红椿镇', '2021/青石镇'];
const SITE_FILES = REPORTS.flatMap((r) => ['docx', 'html', 'pdf'].map((f) => `${r}.${f}`)).sort();

let clone: string;
let tarball: string;
let workspace: string;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', npm_config_update_notifier: 'false' }, maxBuffer: 64 << 20 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}
const npm = (args: string[], cwd: string) => run('npm', args, cwd);
const nianbao = (args: string[], cwd: string) => run('npx', ['--no-install', 'nianbao', ...args], cwd);

/** nianbao's sources as a fresh clone holds them, with the dependencies of the documented `npm ci`. */
function freshClone(): string {
  const dir = path.join(tempDir('nianbao-clone-'), 'nianbao');
  mkdirSync(dir);
  for (const entry of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'bin', 'src', 'scripts', 'format', 'schemas', 'templates', 'examples']) {
    cpSync(path.join(packageRoot, entry), path.join(dir, entry), { recursive: true, filter: (p) => path.basename(p) !== 'out' });
  }
  // `npm ci` in the clone would install the very tree this checkout has: linked instead of copied (300 MB)
  symlinkSync(path.join(packageRoot, 'node_modules'), path.join(dir, 'node_modules'));
  return dir;
}

/** The published site: index.html links every report's files, every link resolves, nothing else is there. */
function expectCompleteSite(site: string | undefined): void {
  expect(site, 'no site was published').toBeDefined();
  const files = listTree(site!).sort();
  expect(files).toEqual(['index.html', ...SITE_FILES].sort());
  const index = readFileSync(path.join(site!, 'index.html'), 'utf8');
  const links = [...index.matchAll(/href="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!)).sort();
  expect(links).toEqual(SITE_FILES);
  for (const link of links) expect(existsSync(path.join(site!, link)), link).toBe(true);
  expect(index).toContain('共 4 份报告：通过 4 份');
}

const jobsLog = (result: SimResult) => result.jobs.map((j) => `== ${j.name}: ${j.status}\n${j.log}`).join('\n');

beforeAll(() => {
  clone = freshClone();
  const packed = npm(['pack', '--json', '--pack-destination', path.dirname(clone)], clone);
  expect(packed.status, packed.out).toBe(0);
  tarball = path.join(path.dirname(clone), `nianbao-${version}.tgz`);
  expect(existsSync(tarball)).toBe(true);
  workspace = path.join(tempDir('nianbao-county-'), '云溪县年报');
  const init = run(process.execPath, [path.join(clone, 'bin', 'nianbao.js'), 'init', '--workspace', workspace], path.dirname(workspace));
  expect(init.status, init.out).toBe(0);
  expect(init.out).not.toContain('注意');
}, 600_000);

describe('a county workspace made by init --workspace', () => {
  it('npm pack of a fresh clone ships the built package and nothing of the sources', () => {
    const listing = run('tar', ['-tzf', tarball], path.dirname(tarball)).out.split('\n').filter(Boolean);
    for (const file of ['package/bin/nianbao.js', 'package/dist/cli/main.js', 'package/dist/workspace/build-worker.js', 'package/dist/validate/standalone.js', 'package/dist/format-data.json', 'package/schemas/report-2021.schema.json', 'package/templates/default/preface.hbs', 'package/examples/workspace/nianbao.yaml', 'package/examples/workspace/.github/workflows/nianbao.yml', 'package/examples/workspace/.gitlab-ci.yml']) {
      expect(listing, file).toContain(file);
    }
    expect(listing.some((f) => f.startsWith('package/format/') && f.endsWith('.yaml'))).toBe(true);
    expect(listing.filter((f) => /^package\/(src|test|scripts|bench)\//.test(f))).toEqual([]);
  });

  it('copied to another folder installs with npm ci (no warning), checks and builds from its own files', () => {
    const moved = path.join(tempDir('nianbao-elsewhere-'), '另一台电脑');
    cpSync(workspace, moved, { recursive: true });
    const ci = npm(['ci', '--no-audit', '--no-fund'], moved);
    expect(ci.status, ci.out).toBe(0);
    expect(ci.out).not.toMatch(/EBADENGINE|npm warn|npm WARN/);
    const installed = path.join(moved, 'node_modules', 'nianbao');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(realpathSync(installed).startsWith(realpathSync(moved))).toBe(true);
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
    expect(nianbao(['--version'], moved).out.trim()).toBe(version);

    // every report's $schema line resolves inside the workspace, once installed
    for (const rel of listTree(path.join(moved, 'reports'))) {
      const file = path.join(moved, 'reports', rel);
      const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'))![1]!;
      const target = path.resolve(path.dirname(file), schema);
      expect(target.startsWith(path.join(moved, 'node_modules', 'nianbao', 'schemas')), rel).toBe(true);
      expect(existsSync(target), rel).toBe(true);
    }
    // a new report written inside the workspace too
    const made = nianbao(['init', '--year', '2024', '--agency', '白沙镇人民政府', '-o', 'reports/2024/白沙镇.yaml'], moved);
    expect(made.status, made.out).toBe(0);
    const newSchema = /\$schema=(\S+)/.exec(readFileSync(path.join(moved, 'reports/2024/白沙镇.yaml'), 'utf8'))![1]!;
    expect(newSchema).toBe('../../node_modules/nianbao/schemas/report-2021.schema.json');
    expect(existsSync(path.resolve(moved, 'reports/2024', newSchema))).toBe(true);

    const check = nianbao(['check'], moved);
    expect(check.status, check.out).toBe(0);
    const build = nianbao(['build'], moved);
    expect(build.status, build.out).toBe(0);
    expect(listTree(path.join(moved, 'out')).sort()).toEqual([...SITE_FILES, '2024/白沙镇.docx', '2024/白沙镇.html', '2024/白沙镇.pdf', 'index.html'].sort());
  });

  it('GitHub: on a push to the default branch the workflow checks, builds two shards and deploys one complete site', () => {
    const result = simulateGithub(workspace, '.github/workflows/nianbao.yml', tempDir('nianbao-gh-'), { event: 'push', branch: 'main', defaultBranch: 'main' });
    expect(result.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(result)).toEqual(['check: success', 'build (1): success', 'build (2): success', 'site: success', 'deploy: success']);
    expect(result.deployed).toBe(true);
    expectCompleteSite(result.site);
    // annotations are printed by the check job only
    const annotated = result.jobs.filter((j) => /nianbao (check|build).*--format github/.test(j.log)).map((j) => j.name);
    expect(annotated).toEqual(['check']);
  });

  it('GitHub: pull requests and other branches check and build but never deploy', () => {
    const workflow = parse(readFileSync(path.join(workspace, '.github/workflows/nianbao.yml'), 'utf8')) as { jobs: Record<string, { if?: string; steps: { uses?: string }[] }> };
    const deployJobs = Object.entries(workflow.jobs).filter(([, job]) => job.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@')));
    expect(deployJobs.map(([name]) => name)).toEqual(['deploy']);
    const deployIf = deployJobs[0]![1].if;
    expect(githubCondition(deployIf, { event: 'push', branch: 'main', defaultBranch: 'main' })).toBe(true);
    expect(githubCondition(deployIf, { event: 'pull_request', branch: 'main', defaultBranch: 'main' })).toBe(false);
    expect(githubCondition(deployIf, { event: 'push', branch: 'feature', defaultBranch: 'main' })).toBe(false);
    for (const [name, job] of Object.entries(workflow.jobs)) if (name !== 'deploy') expect(job.if, name).toBeUndefined();
    // current majors of every action
    const majors = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined));
    for (const uses of majors) expect(Number(/@v(\d+)$/.exec(uses)?.[1]), uses).toBeGreaterThanOrEqual(5);
  });

  it('GitLab: parallel shards and a pages job publishing public/ with one complete site; merge requests do not publish', () => {
    const result = simulateGitlab(workspace, tempDir('nianbao-gl-'), { event: 'push', branch: 'main', defaultBranch: 'main' });
    expect(result.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(result)).toEqual(['check: success', 'build 1/2: success', 'build 2/2: success', 'pages: success']);
    expectCompleteSite(result.site);
    const config = parse(readFileSync(path.join(workspace, '.gitlab-ci.yml'), 'utf8')) as { pages: { rules: { if?: string }[] } };
    expect(gitlabRulesAllow(config.pages.rules, { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' })).toBe(true);
    expect(gitlabRulesAllow(config.pages.rules, { CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'x', CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'merge_request_event' })).toBe(false);
    expect(gitlabRulesAllow(config.pages.rules, { CI_COMMIT_BRANCH: 'feature', CI_DEFAULT_BRANCH: 'main' })).toBe(false);
  });

  it('nianbao upgrade moves the workspace to the running nianbao: tarball, package.json and lock', () => {
    const county = path.join(tempDir('nianbao-upgrade-'), '云溪县年报');
    cpSync(workspace, county, { recursive: true });
    // the newer nianbao: the clone at a later version
    const newer = path.join(tempDir('nianbao-newer-'), 'nianbao');
    cpSync(clone, newer, { recursive: true, verbatimSymlinks: true });
    const pkgFile = path.join(newer, 'package.json');
    writeFileSync(pkgFile, JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, 'utf8')), version: '9.9.9' }, null, 2));
    const upgraded = run(process.execPath, [path.join(newer, 'bin', 'nianbao.js'), 'upgrade'], county);
    expect(upgraded.status, upgraded.out).toBe(0);
    expect(upgraded.out).toContain(`从 nianbao ${version} 升级到 nianbao 9.9.9`);
    expect(readdirSync(path.join(county, 'vendor'))).toEqual(['nianbao-9.9.9.tgz']);
    const pkg = JSON.parse(readFileSync(path.join(county, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ nianbao: 'file:vendor/nianbao-9.9.9.tgz' });
    expect(pkg.overrides).toEqual(JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).overrides);
    const lock = JSON.parse(readFileSync(path.join(county, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/nianbao']).toMatchObject({ version: '9.9.9', resolved: 'file:vendor/nianbao-9.9.9.tgz' });
    const ci = npm(['ci', '--no-audit', '--no-fund'], county);
    expect(ci.status, ci.out).toBe(0);
    expect(nianbao(['--version'], county).out.trim()).toBe('9.9.9');
    expect(nianbao(['check'], county).status).toBe(0);
  });
});
