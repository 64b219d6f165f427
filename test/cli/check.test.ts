/**
 * `nianbao check` and `nianbao init` as a person runs them: real processes, exit codes 0/1/2, one
 * line per problem, JSON for machines, folders searched recursively, no stack traces.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectReportFiles } from '../../src/cli/commands/check.js';
import { formatDiagnostic } from '../../src/diagnostics/format.js';

const root = path.resolve('.');
const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/esm/index.mjs')).href;
const mainUrl = pathToFileURL(path.join(root, 'src/cli/main.ts')).href;

/** Runs `nianbao <args>` from the sources as a real process, in `cwd` (slow: used where the process itself matters). */
function nianbaoProcess(args: string[], cwd = root) {
  const run = spawnSync(
    process.execPath,
    ['--import', tsx, '-e', `import(${JSON.stringify(mainUrl)}).then(m => m.main(process.argv.slice(1))).then(c => { process.exitCode = c; })`, ...args],
    { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', NIANBAO_DEBUG: '' } },
  );
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/**
 * Runs `nianbao <args>` in this process with stdout/stderr captured. `cwd` is emulated by resolving
 * the path arguments against it (process.chdir is not available to every test pool).
 */
async function nianbao(args: string[], cwd = root) {
  const { main } = await import('../../src/cli/main.js');
  const out: string[] = [];
  const err: string[] = [];
  const write = (sink: string[]) => ((chunk: string | Uint8Array) => (sink.push(String(chunk)), true)) as typeof process.stdout.write;
  const saved = [process.stdout.write, process.stderr.write] as const;
  process.stdout.write = write(out);
  process.stderr.write = write(err);
  const pathArgs = new Set(['-o']);
  const resolved = args.map((a, i) => (cwd !== root && (pathArgs.has(args[i - 1] ?? '') || (!a.startsWith('-') && args[0] === 'check' && i > 0 && args[i - 1] !== '--format')) ? path.resolve(cwd, a) : a));
  try {
    const code = await main(resolved);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    [process.stdout.write, process.stderr.write] = saved;
  }
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('nianbao check', () => {
  it('exit 0 on the example reports (a folder, searched recursively)', async () => {
    const r = await nianbao(['check', 'examples/reports']);
    expect(r.code).toBe(0);
    // the real reports' writing slips are warnings (test/validate/text-checks.test.ts lists each)
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^5 个文件：0 个错误，\d+ 个警告$/);
    expect(r.stdout).not.toContain(' 错误 ');
  });

  it('exit 1 with one line per problem, `path:line:col 严重程度 规则 message`, and its hint under it (a real process)', () => {
    const file = 'examples/defects/2020-兴国镇人民政府.yaml';
    const r = nianbaoProcess(['check', file]);
    expect(r.code).toBe(1);
    const all = r.stdout.trim().split('\n');
    const body = all.slice(0, -1);
    // each problem on its line, the next line its hint
    expect(body.length % 2).toBe(0);
    for (let i = 0; i < body.length; i += 2) {
      expect(body[i]).toMatch(new RegExp(`^${file}:\\d+:\\d+ (错误|警告) [A-Z0-9-]+ `));
      expect(body[i + 1]).toMatch(/^ {2}= 提示：\S/);
    }
    const errors = body.flatMap((l, i) => (l.includes(' 错误 ') ? [l, body[i + 1]] : []));
    expect(errors).toHaveLength(4);
    expect(errors[0]).toMatch(new RegExp(`^${file}:\\d+:\\d+ 错误 CELL-BLANK 表二「第二十条第（一）项·规范性文件」行「对外公开总数量」列为空`));
    expect(errors[1]).toBe('  = 提示：没有发生的填 0');
    expect(errors[2]).toMatch(new RegExp(`^${file}:\\d+:13 错误 UNIT-NAME .*「57万元」写了单位`));
    expect(errors[3]).toBe('  = 提示：写作 57');
    expect(all.at(-1)).toBe(`1 个文件：2 个错误，${body.length / 2 - 2} 个警告`);
    noStack(r.stdout + r.stderr);
  });

  it('exit 2 on unusable input, even with other files in error; every file is still reported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-check-'));
    writeFileSync(path.join(dir, 'a.yaml'), 'format: "2021"\nyear: 2024\nagency:\n\tname: x\n');
    copyFileSync('examples/defects/2020-兴国镇人民政府.yaml', path.join(dir, 'b.yml'));
    mkdirSync(path.join(dir, 'sub'));
    writeFileSync(path.join(dir, 'sub', 'c.yaml'), '- 1\n');
    writeFileSync(path.join(dir, 'notes.txt'), 'not a report');
    const r = await nianbao(['check', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain(`${path.join(dir, 'a.yaml')}:4:1 错误 YAML-TAB`);
    expect(r.stdout).toContain(`${path.join(dir, 'b.yml')}:`);
    expect(r.stdout).toContain(`${path.join(dir, 'sub', 'c.yaml')}:1:1 错误 NOT-A-REPORT`);
    expect(r.stdout).not.toContain('notes.txt');
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^3 个文件：4 个错误，\d+ 个警告$/);
  });

  it('a missing file is unusable input, without a stack trace (a real process)', () => {
    const r = nianbaoProcess(['check', 'no/such/file.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('no/such/file.yaml:1:1 错误 FILE 文件不存在');
    noStack(r.stdout + r.stderr);
  });

  it('a reader that closes the pipe early (`nianbao check | head`) ends it quietly: no EPIPE stack trace', async () => {
    const { spawn } = await import('node:child_process');
    // the built command, as a clerk runs it; its stdout closed before it writes a line
    const child = spawn(process.execPath, [path.join(root, 'bin', 'nianbao.js'), 'check', 'examples/defects'], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at .+:\d+:\d+\)|Unhandled/);
    // the defects fail their check: its own status if it had finished, else 141 (as stopped by SIGPIPE), never 0
    expect([1, 141]).toContain(code);
  });

  it('--format json gives every diagnostic with its fields', async () => {
    const r = await nianbao(['check', '--format', 'json', 'examples/defects/2020-兴国镇人民政府.yaml', 'examples/reports/2021-渠沟镇人民政府.yaml']);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ ok: false, errors: 2 });
    expect(json.files).toHaveLength(2);
    expect(json.files[1]).toMatchObject({ file: 'examples/reports/2021-渠沟镇人民政府.yaml', usable: true, errors: 0 });
    expect(json.files[1].diagnostics.map((x: { rule: string }) => x.rule)).toEqual(['S5-PREVIOUS']);
    const d = json.files[0].diagnostics.filter((x: { severity: string }) => x.severity === 'error')[1];
    expect(d).toMatchObject({ file: 'examples/defects/2020-兴国镇人民政府.yaml', col: 13, severity: 'error', severityLabel: '错误', rule: 'UNIT-NAME' });
    expect(typeof d.line).toBe('number');
  });

  it('usage errors exit 2 with a Chinese message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-usage-'));
    for (const [args, text] of [
      [['check'], '用法：nianbao check'],
      [['check', '--format', 'xml', 'a.yaml'], '「xml」无效'],
      [['check', '--bogus', 'a.yaml'], '未知选项「--bogus」'],
    ] as const) {
      const r = await nianbao([...args], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(text);
      noStack(r.stderr);
    }
  });

  it('--format github prints workflow annotations', async () => {
    const r = await nianbao(['check', '--format', 'github', 'examples/defects/2020-兴国镇人民政府.yaml']);
    expect(r.code).toBe(1);
    // the span is the cell as written: 「57万元」, columns 13 to 16 of its line
    expect(r.stdout).toMatch(/^::error file=examples\/defects\/2020-兴国镇人民政府.yaml,line=66,endLine=66,col=13,endColumn=16,title=错误 UNIT-NAME::.*「57万元」/m);
  });
});

describe('collectReportFiles', () => {
  it('skips nianbao.yaml, a workspace\'s output folder, node_modules and hidden folders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-collect-'));
    const files = {
      'a/报告.yaml': '',
      'node_modules/pkg/x.yaml': '',
      '.github/workflows/ci.yml': '',
      'ws1/nianbao.yaml': '',
      'ws1/reports/2021/甲镇.yaml': '',
      'ws1/out/2021/old.yaml': '',
      'ws2/nianbao.yaml': 'output: public/site\n',
      'ws2/reports/乙镇.yml': '',
      'ws2/public/site/stale.yaml': '',
      'ws2/out/kept.yaml': '', // not ws2's output folder: still searched
      'other/nianbao.yaml': ': broken [', // a broken config: its default out/ is skipped all the same
      'other/out/x.yaml': '',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    const found = (await collectReportFiles([dir])).map((f) => path.relative(dir, f).split(path.sep).join('/'));
    expect(found).toEqual(['a/报告.yaml', 'ws1/reports/2021/甲镇.yaml', 'ws2/out/kept.yaml', 'ws2/reports/乙镇.yml']);
  });

  it('`nianbao check examples/` from the repository root checks the workspace reports but not its nianbao.yaml', async () => {
    const found = await collectReportFiles(['examples']);
    expect(found.some((f) => f.startsWith(path.join('examples', 'workspace', 'reports')))).toBe(true);
    expect(found.filter((f) => path.basename(f) === 'nianbao.yaml')).toEqual([]);
    const r = await nianbao(['check', 'examples/']);
    expect(r.stdout).not.toContain('nianbao.yaml');
  });
});

describe('nianbao init', () => {
  it('writes a report whose check reports only its unfilled sections, with a working relative $schema path, and refuses to overwrite', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nianbao-init-'));
    mkdirSync(path.join(dir, 'reports'));
    const args = ['init', '--format', '2021', '--year', '2024', '--agency', '某某镇人民政府', '-o', 'reports/2024-某某镇.yaml'];
    const first = await nianbao(args, dir);
    expect(first.code).toBe(0);
    const text = readFileSync(path.join(dir, 'reports/2024-某某镇.yaml'), 'utf8');
    const ref = /\$schema=(\S+)/.exec(text.split('\n')[0])![1];
    const schema = JSON.parse(readFileSync(path.resolve(dir, 'reports', ref), 'utf8'));
    expect(schema.title).toContain('2021 版格式');
    const checked = await nianbao(['check', 'reports'], dir);
    expect(checked.code).toBe(1);
    const findings = checked.stdout.split('\n').filter((l) => / (错误|警告) /.test(l));
    expect(findings).toHaveLength(7);
    for (const line of findings) expect(line).toMatch(/2024-某某镇\.yaml:\d+:[57] 错误 NARRATIVE-UNFILLED 「/);
    writeFileSync(path.join(dir, 'reports/2024-某某镇.yaml'), text.split('请在此填写').join('本机关如实报告'));
    expect((await nianbao(['check', 'reports'], dir)).code).toBe(0);
    writeFileSync(path.join(dir, 'reports/2024-某某镇.yaml'), text);
    const again = await nianbao(args, dir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('已存在');
    expect(readFileSync(path.join(dir, 'reports/2024-某某镇.yaml'), 'utf8')).toBe(text);
  });

  it('rejects a format that does not fit the year', async () => {
    const r = await nianbao(['init', '--format', '2019', '--year', '2024', '--agency', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('2024 年度报告应使用 2021 版格式');
  });
});

describe('formatDiagnostic', () => {
  it('prints the agreed plain form without colour', () => {
    const d = { file: 'reports/x.yaml', line: 41, col: 22, endLine: 41, endCol: 24, severity: 'error' as const, rule: 'T3-SUM', message: '三、（七）总计「自然人」列为 20，但（一）至（六）之和为 26', hint: '核对各项与总计' };
    expect(formatDiagnostic(d, { color: false })).toBe('reports/x.yaml:41:22 错误 T3-SUM 三、（七）总计「自然人」列为 20，但（一）至（六）之和为 26\n  = 提示：核对各项与总计');
    // a finding without a hint (none is made so: every rule has one) prints its one line
    expect(formatDiagnostic({ ...d, hint: '' }, { color: false })).toBe('reports/x.yaml:41:22 错误 T3-SUM 三、（七）总计「自然人」列为 20，但（一）至（六）之和为 26');
  });
});
