/**
 * End to end through the real command, compiled as it ships (dist/, worker threads loading the
 * compiled build-worker.js): `init --workspace` in a clean folder, `check`, `build` in all three
 * formats, one township broken, --format github / json, --shard slices, byte-identical rebuilds.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { version } from '../../src/version.js';
import { packageRoot } from '../../src/format/paths.js';
import { tempDir } from '../workspace-fixtures.js';
import { treeHashes } from '../helpers/tree-hashes.js';

let bin: string;
let ws: string;

/** Compiles src/ into a package layout in a temporary folder (the shared dist/ may be stale or mid-build). */
function compilePackage(): string {
  const pkg = path.join(tempDir('nianbao-pkg-'), 'nianbao');
  mkdirSync(path.join(pkg, 'bin'), { recursive: true });
  const tsc = path.join(packageRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  // Emits even if another module is mid-edit and fails to type-check; the run below shows whether it works.
  spawnSync(process.execPath, [tsc, '-p', path.join(packageRoot, 'tsconfig.build.json'), '--outDir', path.join(pkg, 'dist')], { encoding: 'utf8' });
  if (!existsSync(path.join(pkg, 'dist', 'cli', 'main.js'))) throw new Error('compilation produced no dist/cli/main.js');
  copyFileSync(path.join(packageRoot, 'bin', 'nianbao.js'), path.join(pkg, 'bin', 'nianbao.js'));
  copyFileSync(path.join(packageRoot, 'package.json'), path.join(pkg, 'package.json'));
  for (const dir of ['format', 'schemas', 'templates', 'examples', 'node_modules']) symlinkSync(path.join(packageRoot, dir), path.join(pkg, dir));
  return path.join(pkg, 'bin', 'nianbao.js');
}

function run(args: string[], cwd = ws) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** What VS Code's problem matchers of the workspace's `nianbao check` task find in its output, in order. */
function vsCodeProblems(stdout: string): { file: string; line: number; col: number; severity: string; code: string }[] {
  type Matcher = { severity: string; fileLocation: string[]; pattern: { regexp: string; file: number; line: number; column: number; code: number; message: number } };
  const tasks = JSON.parse(readFileSync(path.join(ws, '.vscode/tasks.json'), 'utf8')) as { tasks: { label: string; command: string; options: { env: Record<string, string> }; problemMatcher: Matcher[] }[] };
  const task = tasks.tasks.find((t) => t.label === 'nianbao check')!;
  expect(task.command).toBe('npx nianbao check');
  expect(task.options.env.NO_COLOR).toBe('1');
  return stdout.split('\n').flatMap((text) => {
    const hits = task.problemMatcher.flatMap((m) => {
      expect(m.fileLocation).toEqual(['relative', '${workspaceFolder}']);
      const g = new RegExp(m.pattern.regexp).exec(text);
      return g && g[m.pattern.message] ? [{ file: g[m.pattern.file], line: Number(g[m.pattern.line]), col: Number(g[m.pattern.column]), severity: m.severity, code: g[m.pattern.code] }] : [];
    });
    expect(hits.length, text).toBeLessThanOrEqual(1);
    return hits;
  });
}

const ALL = ['2020/红椿镇', '2020/青石镇', '2021/红椿镇', '2021/青石镇'];
const filesOf = (names: string[]) => names.flatMap((n) => ['docx', 'html', 'pdf'].map((f) => `${n}.${f}`));

beforeAll(() => {
  bin = compilePackage();
  ws = path.join(tempDir(), '云溪县年报');
  const init = run(['init', '--workspace', ws], path.dirname(ws));
  expect(init.stderr).toBe('');
  expect(init.status).toBe(0);
  expect(init.stdout).toContain('nianbao.yaml');
}, 300_000);

describe('nianbao in a workspace (compiled CLI)', () => {
  it('init --workspace writes the config, two townships in two years, a template override and CI files', () => {
    for (const file of ['nianbao.yaml', 'reports/2020/红椿镇.yaml', 'reports/2021/青石镇.yaml', 'templates/preface.hbs', '.github/workflows/nianbao.yml', '.gitlab-ci.yml', '.vscode/tasks.json', '.vscode/extensions.json', 'package.json', '.gitignore']) {
      expect(existsSync(path.join(ws, file)), file).toBe(true);
    }
    const workflow = readFileSync(path.join(ws, '.github/workflows/nianbao.yml'), 'utf8');
    expect(workflow).toContain('nianbao check --format github');
    expect(workflow).toContain('nianbao build --shard ${{ matrix.shard }}/${{ strategy.job-total }}');
    expect(workflow).toContain('actions/upload-artifact');
    expect(workflow).toContain('actions/cache/restore');
    const gitlab = readFileSync(path.join(ws, '.gitlab-ci.yml'), 'utf8');
    expect(gitlab).toContain('npx nianbao check');
    expect(gitlab).toContain('artifacts:');
    expect(gitlab).toContain('key: nianbao-out-${CI_NODE_INDEX}-of-${CI_NODE_TOTAL}');
    // the $schema line points at the workspace's own installation (test/county/install.test.ts installs it)
    const first = readFileSync(path.join(ws, 'reports/2021/红椿镇.yaml'), 'utf8').split('\n')[0];
    const schema = first.replace('# yaml-language-server: $schema=', '');
    expect(path.resolve(ws, 'reports/2021', schema)).toBe(path.join(ws, 'node_modules', 'nianbao', 'schemas', 'report-2021.schema.json'));
    // nianbao itself is vendored: package.json names the tarball init packed, pinned by the lock
    const pkg = JSON.parse(readFileSync(path.join(ws, 'package.json'), 'utf8'));
    expect(pkg.dependencies.nianbao).toBe(`file:vendor/nianbao-${version}.tgz`);
    expect(existsSync(path.join(ws, 'vendor', `nianbao-${version}.tgz`))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(ws, 'package-lock.json'), 'utf8')).packages['node_modules/nianbao'].resolved).toBe(`file:vendor/nianbao-${version}.tgz`);
    // and it never overwrites
    const again = run(['init', '--workspace', ws], path.dirname(ws));
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('已有以下文件');
  });

  it('check passes the example; build writes every report in three formats and index.html, twice byte-identical', () => {
    const check = run(['check']);
    expect(check.stdout).toBe('4 个文件，未发现问题\n');
    expect(check.status).toBe(0);

    const build = run(['build']);
    expect(build.status).toBe(0);
    expect(build.stderr.trim().split('\n')).toHaveLength(4); // plain progress lines in CI
    expect(build.stdout).toContain('已生成 4 份报告');
    const first = treeHashes(path.join(ws, 'out'));
    expect(Object.keys(first).sort()).toEqual([...filesOf(ALL), 'index.html', '.nianbao-build.json'].sort());
    expect(readFileSync(path.join(ws, 'out/2021/红椿镇.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(path.join(ws, 'out/2021/红椿镇.docx')).subarray(0, 2).toString()).toBe('PK');

    // nothing changed: nothing rendered; forced: everything rendered again, to the same bytes
    const unchanged = run(['build']);
    expect(unchanged.status).toBe(0);
    expect(unchanged.stdout).toContain('已生成 4 份报告（其中 4 份未改动');
    expect(treeHashes(path.join(ws, 'out'))).toEqual(first);
    const forced = run(['build', '--force']);
    expect(forced.status).toBe(0);
    expect(forced.stdout).not.toContain('未改动');
    expect(treeHashes(path.join(ws, 'out'))).toEqual(first);
  });

  it('--shard i/n builds disjoint slices that together equal the full build', () => {
    // HTML only from here on: the three formats were covered above, and PDF is the slow one.
    rmSync(path.join(ws, 'out'), { recursive: true, force: true });
    expect(run(['build', '--html']).status).toBe(0);
    const full = treeHashes(path.join(ws, 'out'));
    expect(Object.keys(full).sort()).toEqual([...ALL.map((n) => `${n}.html`), 'index.html', '.nianbao-build.json'].sort());
    rmSync(path.join(ws, 'out'), { recursive: true, force: true });
    expect(run(['build', '--html', '--shard', '1/2']).status).toBe(0);
    const one = treeHashes(path.join(ws, 'out'));
    // shards go by a hash of the report's path: 2020/青石镇 alone falls in 1/2 (workspace-config.test.ts)
    expect(Object.keys(one).sort()).toEqual(['.nianbao-build.json', '2020/青石镇.html', 'index.html']);
    // from outside, naming the workspace folder (CI at a repository root with the workspace in a subfolder)
    expect(run(['build', path.basename(ws), '--html', '--shard', '2/2', '--jobs', '1'], path.dirname(ws)).status).toBe(0);
    expect(treeHashes(path.join(ws, 'out'))).toEqual(full);
    const bad = run(['build', '--shard', '3/2']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--shard 的值「3/2」无效');
    // the CI merge step: the shards' folders merged (index.html left out), one index written over them
    rmSync(path.join(ws, 'out', 'index.html'));
    const merged = run(['build', '--html', '--index-only']);
    expect(merged.stdout).toContain('索引：out/index.html，列出 4 份报告，其中 4 份的文件齐全');
    expect(merged.status).toBe(0);
    expect(treeHashes(path.join(ws, 'out'))).toEqual(full);
    rmSync(path.join(ws, 'out', '2020', '青石镇.html'));
    const incomplete = run(['build', '--html', '--index-only', '--format', 'github']);
    expect(incomplete.status).toBe(1);
    expect(incomplete.stdout).toContain('::error file=');
    expect(incomplete.stdout).toContain('reports/2020/青石镇.yaml：缺少输出文件：out/2020/青石镇.html');
    const mixed = run(['build', '--index-only', '--shard', '1/2']);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain('--index-only 不生成报告');
    expect(run(['build', '--html']).status).toBe(0);
  });

  it('a township with broken figures fails with the right message, its old files untouched; the others build', () => {
    const file = path.join(ws, 'reports/2021/青石镇.yaml');
    const original = readFileSync(file, 'utf8');
    const line = original.split('\n').findIndex((l) => l.includes('received:')) + 1;
    writeFileSync(file, original.replace('received: [2, 1, 0, 0, 0, 0, 3]', 'received: [5, 1, 0, 0, 0, 0, 3]'));
    try {
      const before = treeHashes(path.join(ws, 'out'));
      const times = statSync(path.join(ws, 'out/2021/青石镇.html')).mtimeMs;
      rmSync(path.join(ws, 'out/2021/红椿镇.html')); // must come back: the others still build

      const check = run(['check', '--format', 'github']);
      expect(check.status).toBe(1);
      const annotations = check.stdout.split('\n').filter((l) => l.startsWith('::error'));
      expect(annotations.length).toBeGreaterThan(0);
      // the span (columns on a one-line span), the message and, on the annotation's second line, the hint
      for (const a of annotations) expect(a).toMatch(/^::error file=reports\/2021\/青石镇\.yaml,line=(\d+),endLine=\1,col=\d+,endColumn=\d+,title=错误 [A-Z0-9-]+::.+%0A提示：\S/);
      expect(annotations.some((a) => a.includes(`line=${line},`) && a.includes('一、本年新收政府信息公开申请数量') && a.includes('自然人'))).toBe(true);

      const build = run(['build', '--html', '--format', 'json']);
      expect(build.status).toBe(1);
      const json = JSON.parse(build.stdout) as { ok: boolean; renderedWhileChecking: number; reports: { file: string; status: string; errors: number; diagnostics: { line: number; severity: string; message: string }[] }[] };
      expect(json.ok).toBe(false);
      // the one report to render again (its HTML was removed) went to a worker while the check still ran
      expect(json.renderedWhileChecking).toBe(1);
      expect(json.reports.map((r) => [r.file, r.status])).toEqual([
        ['reports/2020/红椿镇.yaml', 'built'],
        ['reports/2020/青石镇.yaml', 'built'],
        ['reports/2021/红椿镇.yaml', 'built'],
        ['reports/2021/青石镇.yaml', 'failed'],
      ]);
      const broken = json.reports[3];
      expect(broken.diagnostics.some((d) => d.severity === 'error' && d.line === line && d.message.includes('一、本年新收政府信息公开申请数量'))).toBe(true);

      const after = treeHashes(path.join(ws, 'out'));
      expect(after['2021/红椿镇.html']).toBe(before['2021/红椿镇.html']);
      expect(after['2021/青石镇.html']).toBe(before['2021/青石镇.html']);
      expect(statSync(path.join(ws, 'out/2021/青石镇.html')).mtimeMs).toBe(times);
      const index = readFileSync(path.join(ws, 'out/index.html'), 'utf8');
      expect(index).toContain('未通过校验 1 份');
      expect(index).toContain(`reports/2021/青石镇.yaml:${line}:`);

      const plain = run(['build', '--html']);
      expect(plain.status).toBe(1);
      expect(plain.stdout).toContain('未生成：reports/2021/青石镇.yaml（校验有错误，原有输出文件未改动）');
      expect(plain.stdout).toMatch(new RegExp(`^reports/2021/青石镇\\.yaml:${line}:\\d+ 错误 `, 'm'));
      expect(plain.stdout).not.toMatch(/^reports\/20\d\d\/红椿镇\.yaml:\d+:\d+ 错误/m);

      // VS Code's problem matchers (.vscode/tasks.json, run as NO_COLOR=1 npx nianbao check) read every finding
      // the check prints, at its file, line, column, severity and rule, and nothing else
      const matched = vsCodeProblems(run(['check']).stdout);
      const found = (JSON.parse(run(['check', '--format', 'json']).stdout) as { files: { diagnostics: { file: string; line: number; col: number; severity: string; rule: string }[] }[] }).files.flatMap((f) => f.diagnostics);
      expect(found.length).toBeGreaterThan(0);
      expect(matched).toEqual(found.map((d) => ({ file: d.file, line: d.line, col: d.col, severity: d.severity, code: d.rule })));
      for (const file of new Set(matched.map((m) => m.file))) expect(existsSync(path.join(ws, file)), file).toBe(true);
      // a warning, as the same formatter prints it, is read as a warning
      const warning = formatDiagnostic({ file: 'reports/2021/青石镇.yaml', line: 40, col: 5, endLine: 40, endCol: 9, severity: 'warning', rule: 'S5-PREVIOUS', message: '没有说明上年度报告所列问题的整改情况', hint: '补写整改情况' }, { color: false });
      expect(vsCodeProblems(warning)).toEqual([{ file: 'reports/2021/青石镇.yaml', line: 40, col: 5, severity: 'warning', code: 'S5-PREVIOUS' }]);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('check of a folder or a file inside the workspace still compares with last year\'s report', () => {
    expect(run(['check', 'reports/2021'])).toMatchObject({ status: 0, stdout: '2 个文件，未发现问题\n' });
    const file = path.join(ws, 'reports/2021/红椿镇.yaml');
    const original = readFileSync(file, 'utf8');
    // consistent within the file, but 上年结转 no longer equals 2020's 结转下年度继续办理
    writeFileSync(file, original.replace('received: [4, 0, 0, 0, 0, 1, 5]', 'received: [3, 0, 0, 0, 0, 1, 4]').replace('carried_over: [1, 0, 0, 0, 0, 0, 1]', 'carried_over: [2, 0, 0, 0, 0, 0, 2]'));
    try {
      const line = original.split('\n').findIndex((l) => l.includes('carried_over:')) + 1;
      const checked = run(['check', 'reports/2021/红椿镇.yaml']);
      expect(checked.status).toBe(1);
      expect(checked.stdout).toContain(`reports/2021/红椿镇.yaml:${line}:`);
      expect(checked.stdout).toContain('错误 X-T3 表三「二、上年结转政府信息公开申请数量」「自然人」列为 2，但2020年报告（reports/2020/红椿镇.yaml）表三「四、结转下年度继续办理」「自然人」列为 1');
      expect(checked.stdout).toContain('1 个文件：2 个错误');

      // a documented correction is accepted by the schema and silences X-T3
      const corrected = readFileSync(file, 'utf8') + 'corrections:\n  carried_over: "2020年报告结转数漏计1件，经核实更正。"\n';
      writeFileSync(file, corrected);
      const accepted = run(['check', 'reports/2021/红椿镇.yaml']);
      expect(accepted.status).toBe(0);
      expect(accepted.stdout).not.toContain(' X-T3 ');
      // the narrative still quotes the old figures: warnings, not errors
      expect(accepted.stdout).toContain('警告 TX-T3 一、总体情况中写「上年结转1件」（句子：「');
      expect(accepted.stdout).toContain('」），但表三「二、上年结转政府信息公开申请数量」总计为 2');
      expect(accepted.stdout).toContain('1 个文件：0 个错误');
      // `previous` naming a report that is not there is an error at that key
      writeFileSync(file, `${corrected}previous: ../2020/旧名称.yaml\n`);
      const named = run(['check', 'reports/2021/红椿镇.yaml']);
      expect(named.status).toBe(1);
      expect(named.stdout).toMatch(/reports\/2021\/红椿镇\.yaml:\d+:\d+ 错误 WS-PREVIOUS 「previous」指向的上年报告「\.\.\/2020\/旧名称\.yaml」不存在/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('config prints a report\'s effective values; a path escape in nianbao.yaml is refused', () => {
    const shown = run(['config', 'reports/2020/青石镇.yaml']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/website\s+https:\/\/www\.yunxi\.gov\.cn\s+← nianbao\.yaml 默认值/);
    expect(shown.stdout).toContain('out/2020/青石镇.pdf');

    const config = path.join(ws, 'nianbao.yaml');
    const original = readFileSync(config, 'utf8');
    writeFileSync(config, original.replace('templates: templates ', 'templates: ../../etc/passwd '));
    try {
      for (const args of [['check'], ['build'], ['config', 'reports/2020/青石镇.yaml']]) {
        const refused = run(args);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(/nianbao\.yaml:\d+:\d+ 错误 WS-CONFIG 「templates」的路径「\.\.\/\.\.\/etc\/passwd」超出了工作区文件夹/);
        expect(refused.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
      }
    } finally {
      writeFileSync(config, original);
    }
  });

  it('upgrade replaces an older vendored nianbao with the running one; outside a workspace it says what to do', () => {
    const county = path.join(tempDir(), '升级');
    cpSync(ws, county, { recursive: true, filter: (p) => path.basename(p) !== 'out' });
    // an older release vendored: its tarball named in package.json (the lock is rewritten by upgrade)
    const old = path.join(county, 'vendor', 'nianbao-0.0.1.tgz');
    renameSync(path.join(county, 'vendor', `nianbao-${version}.tgz`), old);
    const pkgFile = path.join(county, 'package.json');
    writeFileSync(pkgFile, readFileSync(pkgFile, 'utf8').replace(`nianbao-${version}.tgz`, 'nianbao-0.0.1.tgz'));
    const upgraded = run(['upgrade'], path.join(county, 'reports'));
    expect(upgraded.stderr).toBe('');
    expect(upgraded.status).toBe(0);
    expect(upgraded.stdout).toContain(`从 nianbao 0.0.1 升级到 nianbao ${version}`);
    expect(upgraded.stdout).toContain('已删除 vendor/nianbao-0.0.1.tgz');
    expect(readdirSync(path.join(county, 'vendor'))).toEqual([`nianbao-${version}.tgz`]);
    expect(JSON.parse(readFileSync(pkgFile, 'utf8')).dependencies).toEqual({ nianbao: `file:vendor/nianbao-${version}.tgz` });
    const lock = JSON.parse(readFileSync(path.join(county, 'package-lock.json'), 'utf8'));
    expect(lock.packages['']).toMatchObject({ dependencies: { nianbao: `file:vendor/nianbao-${version}.tgz` } });
    expect(lock.packages['node_modules/nianbao']).toMatchObject({ version, resolved: `file:vendor/nianbao-${version}.tgz` });

    const outside = run(['upgrade'], path.dirname(county));
    expect(outside.status).toBe(2);
    expect(outside.stderr).toContain('不在工作区中');
  });

  it('check of a workspace without any report says where it looked and how to write one (exit 2)', () => {
    const county = path.join(tempDir(), '空工作区');
    cpSync(ws, county, { recursive: true, filter: (p) => path.basename(p) !== 'out' });
    rmSync(path.join(county, 'reports'), { recursive: true });
    mkdirSync(path.join(county, 'reports'));
    const empty = run(['check'], county);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toBe(`工作区（${realpathSync(county)}）的报告文件夹（reports）中没有 .yaml 报告文件\n  = 提示：用 nianbao init --year 年度 --agency 机关名称 -o reports/年度/机关.yaml 写一份，或在 nianbao.yaml 的 reports 中写明报告所在的文件夹\n`);
  });

  it('init --workspace refuses a folder that a file takes, or a file where one of its folders goes, and writes nothing', () => {
    const base = tempDir();
    writeFileSync(path.join(base, 'taken'), 'x');
    for (const target of [path.join(base, 'taken'), path.join(base, 'taken', '年报'), path.join(base, 'taken', '县', '年报')]) {
      const refused = run(['init', '--workspace', target], base);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toBe('「taken」是一个文件，挡住了工作区要用的文件夹，未创建工作区。\n请换一个空文件夹，例如 nianbao init --workspace 年报\n');
    }
    const county = path.join(base, '县');
    mkdirSync(path.join(county, '.github'), { recursive: true });
    writeFileSync(path.join(county, '.github', 'workflows'), '');
    const refused = run(['init', '--workspace', county], base);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('「县/.github/workflows」是一个文件');
    expect(readdirSync(county)).toEqual(['.github']);
  });

  it('upgrade that cannot add a tooling file says which and why, keeps the package upgrade, exits 1; the next run adds it', () => {
    const county = path.join(tempDir(), '挡路');
    cpSync(ws, county, { recursive: true, filter: (p) => path.basename(p) !== 'out' });
    rmSync(path.join(county, '.vscode'), { recursive: true });
    writeFileSync(path.join(county, '.vscode'), 'x');
    const blocked = run(['upgrade'], county);
    expect(blocked.stderr).toBe('');
    expect(blocked.status).toBe(1);
    expect(blocked.stdout).toContain('package.json、package-lock.json 已更新');
    expect(blocked.stdout).toMatch(/  未能添加 \.vscode\/tasks\.json：\S+/);
    expect(blocked.stdout).toContain('再运行一次 nianbao upgrade');
    expect(blocked.stdout).not.toContain('内部错误');
    rmSync(path.join(county, '.vscode'));
    const again = run(['upgrade'], county);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('已添加 .vscode/tasks.json');
  });

  it('upgrade brings an older workspace\'s tooling along: adds what it lacks, names what differs, overwrites nothing', () => {
    const county = path.join(tempDir(), '旧工作区');
    cpSync(ws, county, { recursive: true, filter: (p) => path.basename(p) !== 'out' });
    const scaffold = path.join(packageRoot, 'examples', 'workspace');
    // as made before .vscode/ and the check's memory existed, with a CI file the county changed and the
    // other (GitHub's: it uses GitLab) deleted
    rmSync(path.join(county, '.vscode'), { recursive: true });
    rmSync(path.join(county, '.github'), { recursive: true });
    writeFileSync(path.join(county, '.gitignore'), '/out\nnode_modules/\n*.bak');
    const gitlab = path.join(county, '.gitlab-ci.yml');
    const countyCi = `${readFileSync(gitlab, 'utf8')}# 本县：只在 main 分支发布\n`;
    writeFileSync(gitlab, countyCi);
    const report = path.join(county, 'reports', '2021', '红椿镇.yaml');
    const countyReport = `${readFileSync(report, 'utf8')}\n# 本县的注释\n`;
    writeFileSync(report, countyReport);

    const upgraded = run(['upgrade'], county);
    expect(upgraded.stderr).toBe('');
    expect(upgraded.status).toBe(0);
    for (const file of ['.vscode/extensions.json', '.vscode/tasks.json']) {
      expect(upgraded.stdout).toContain(`已添加 ${file}`);
      expect(readFileSync(path.join(county, file), 'utf8')).toBe(readFileSync(path.join(scaffold, file), 'utf8'));
    }
    expect(upgraded.stdout).toContain('.gitignore 已补上 .nianbao-cache/');
    // the county's own lines kept, `/out` taken as out/, the missing line appended after a last line without its newline
    expect(readFileSync(path.join(county, '.gitignore'), 'utf8')).toBe('/out\nnode_modules/\n*.bak\n.nianbao-cache/\n');
    expect(upgraded.stdout).toMatch(/与新版本的同名文件不同，未改动[^\n]*\n  \.gitlab-ci\.yml\n/);
    // a deleted CI file stays deleted, and is not mentioned
    expect(upgraded.stdout).not.toContain('.github');
    expect(existsSync(path.join(county, '.github'))).toBe(false);
    expect(readFileSync(gitlab, 'utf8')).toBe(countyCi);
    expect(readFileSync(report, 'utf8')).toBe(countyReport);
    expect(upgraded.stdout).toContain('和上面新添加、补充的文件');

    // the second time there is nothing to add
    const again = run(['upgrade'], county);
    expect(again.status).toBe(0);
    expect(again.stdout).not.toContain('已添加');
    expect(again.stdout).not.toContain('.gitignore 已补上');
    expect(again.stdout).toContain('  .gitlab-ci.yml');
    expect(again.stdout).not.toContain('和上面新添加、补充的文件');
    expect(readFileSync(path.join(county, '.gitignore'), 'utf8')).toBe('/out\nnode_modules/\n*.bak\n.nianbao-cache/\n');
  });
});
