/**
 * One registry of checks (format/checks.yaml + the table rules of format/rules.yaml), listed by
 * `nianbao rules`, and what a county tunes in nianbao.yaml against it: severities, section rules
 * (S-LENGTH, S-TOPICS) and waivers (with WAIVER for a stale one).
 */
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRegistry } from '../../src/format/checks.js';
import { main } from '../../src/cli/main.js';
import { UserError } from '../../src/diagnostics/errors.js';
import { checkWorkspace } from '../../src/workspace/checks/check.js';
import { loadWorkspaceConfig } from '../../src/workspace/config/config.js';
import { tempDir } from '../workspace-fixtures.js';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('the registry', () => {
  const ids = checkRegistry().map((c) => c.id);

  it('has every rule id the code reports, and no id the code never reports', () => {
    const code = sourceFiles('src').map((f) => readFileSync(f, 'utf8')).join('\n');
    const text = `${code}\n${readFileSync('format/text-checks.yaml', 'utf8')}`;
    // rule ids as the code writes them: a quoted literal in a diagnostic
    const used = new Set([...code.matchAll(/'([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|MISSING|SCHEMA|FILE|INTERNAL|TEMPLATE|WAIVER|ENCODING)'/g)].map((m) => m[1]));
    for (const id of used) if (!/^(WS-CONFIG)$/.test(id)) expect(ids, id).toContain(id);
    for (const id of ids) expect(text.includes(`'${id}'`) || text.includes(`rule: ${id}`) || readFileSync('format/rules.yaml', 'utf8').includes(`id: ${id}`), id).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every rule a severity, a scope, a Chinese description and an example', () => {
    for (const c of checkRegistry()) {
      expect(['error', 'warning'], c.id).toContain(c.severity);
      expect(['cell', 'report', 'workspace'], c.id).toContain(c.scope);
      expect(c.description, c.id).toMatch(/[\u4e00-\u9fff]/);
      expect(c.example, c.id).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(checkRegistry().find((c) => c.id === 'T3-SUM')).toMatchObject({ severity: 'error', scope: 'cell', tunable: false, source: 'rules.yaml' });
    expect(checkRegistry().find((c) => c.id === 'TEXT-PUNCT')).toMatchObject({ severity: 'warning', tunable: true });
  });

  it('gives every rule a hint: a Chinese sentence on the fix, not its description again', () => {
    const bare = (s: string) => s.replace(/[\s，。；：、「」“”（）()]/g, '');
    for (const c of checkRegistry()) {
      expect(c.hint, c.id).toEqual(expect.any(String));
      expect(c.hint.trim(), c.id).toMatch(/[\u4e00-\u9fff]/);
      expect(bare(c.hint), c.id).not.toBe(bare(c.description));
      expect(bare(c.description).includes(bare(c.hint)), `${c.id}: the hint only repeats the description`).toBe(false);
      expect(bare(c.example).includes(bare(c.hint)), `${c.id}: the hint only repeats the example message`).toBe(false);
    }
    expect(checkRegistry().find((c) => c.id === 'CELL-BLANK')!.hint).toBe('没有发生的填 0');
  });

  it('the README documents every rule with its example message', () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const c of checkRegistry()) expect(readme, c.id).toContain(`| ${c.id} | ${c.severity === 'error' ? '错误' : '警告'} |`);
    for (const c of checkRegistry()) expect(readme, c.id).toContain(c.example.replace(/\|/g, '\\|'));
    // the 提示 column: each row ends with the rule's hint
    for (const c of checkRegistry()) expect(readme, c.id).toMatch(new RegExp(`^\\| ${c.id} \\|.* \\| ${c.hint.replace(/\|/g, '\\|').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\|$`, 'm'));
  });

  it('nianbao rules lists them all, in plain text and JSON', async () => {
    const out: string[] = [];
    const saved = process.stdout.write;
    process.stdout.write = ((chunk: string) => (out.push(chunk), true)) as typeof process.stdout.write;
    try {
      expect(await main(['rules'])).toBe(0);
      const plain = out.join('');
      for (const id of ids) expect(plain).toMatch(new RegExp(`^${id} +(错误|警告)  (单元格|报告|工作区) +(可调|固定)  \\S`, 'm'));
      for (const c of checkRegistry()) expect(plain).toContain(`\n${' '.repeat(21)}例：${c.example}\n${' '.repeat(21)}提示：${c.hint}\n`);
      out.length = 0;
      expect(await main(['rules', '--format', 'json'])).toBe(0);
      const json = JSON.parse(out.join('')) as { id: string; hint: string }[];
      expect(json.map((r) => r.id)).toEqual(ids);
      expect(json.map((r) => r.hint)).toEqual(checkRegistry().map((c) => c.hint));
      for (const r of json) expect(r.hint, r.id).toMatch(/[\u4e00-\u9fff]/);
      out.length = 0;
      expect(await main(['rules', '--format', 'xml'])).toBe(2);
    } finally {
      process.stdout.write = saved;
    }
  });
});

/** A copy of the example workspace with `checks`/`waivers` of nianbao.yaml replaced. */
function workspaceWith(tail: string): string {
  const root = tempDir();
  cpSync(path.resolve('examples/workspace'), root, { recursive: true });
  const file = path.join(root, 'nianbao.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, `${text.slice(0, text.indexOf('checks:'))}${tail}`);
  return root;
}

const lineIn = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('a county tunes the checks in nianbao.yaml', () => {
  it('changes a severity, sets section rules, waives one finding with a reason, and names a stale waiver', async () => {
    const root = workspaceWith(
      [
        'checks:',
        '  severity: { S-LENGTH: error, S-TOPICS: off }',
        '  sections:',
        '    overview: { max_length: 100 }',
        '    problems: { topics: [整改, 政策解读] }',
        'waivers:',
        '  - { rule: S-LENGTH, report: reports/2021/青石镇.yaml, reason: 本年工作多，县政府办同意 }',
        '  - { rule: TX-T3, report: reports/2021/红椿镇.yaml, reason: 已更正 }',
        '',
      ].join('\n'),
    );
    const result = await checkWorkspace(loadWorkspaceConfig(root));
    const by = (rel: string) => result.reports.find((r) => r.rel === rel)!.diagnostics;
    // S-LENGTH raised to an error: every 一、总体情况 over 100 字 fails, but the waived one
    for (const rel of ['reports/2020/红椿镇.yaml', 'reports/2020/青石镇.yaml', 'reports/2021/红椿镇.yaml']) {
      const d = by(rel).filter((x) => x.rule === 'S-LENGTH');
      expect(d, rel).toHaveLength(1);
      expect(d[0].severity).toBe('error');
      expect(d[0].message).toMatch(/^一、总体情况共 \d+ 字，超过本县规定的 100 字$/);
      const reportText = readFileSync(path.join(root, rel), 'utf8');
      expect(d[0].line).toBe(lineIn(reportText, 'overview:') + 1);
    }
    expect(by('reports/2021/青石镇.yaml').filter((x) => x.rule === 'S-LENGTH')).toEqual([]);
    // S-TOPICS is off
    expect(result.reports.flatMap((r) => r.diagnostics).filter((x) => x.rule === 'S-TOPICS')).toEqual([]);
    // the TX-T3 waiver matched nothing: a warning at its line in nianbao.yaml
    const config = readFileSync(path.join(root, 'nianbao.yaml'), 'utf8');
    const stale = result.reports.flatMap((r) => r.diagnostics).filter((x) => x.rule === 'WAIVER');
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ severity: 'warning', line: lineIn(config, 'rule: TX-T3'), col: 5 });
    expect(stale[0].file.endsWith('nianbao.yaml')).toBe(true);
    expect(stale[0].message).toBe('waivers 第 2 条（TX-T3，reports/2021/红椿镇.yaml）没有对应任何问题，可以删除');
    expect(result.reports.find((r) => r.rel === 'reports/2021/青石镇.yaml')!.ok).toBe(true);
    expect(result.ok).toBe(false);
  });

  it('S-TOPICS names the missing word at the section', async () => {
    const root = workspaceWith('checks:\n  sections:\n    problems: { topics: [政策解读] }\n');
    const result = await checkWorkspace(loadWorkspaceConfig(root));
    const d = result.reports.find((r) => r.rel === 'reports/2021/青石镇.yaml')!.diagnostics.filter((x) => x.rule === 'S-TOPICS');
    expect(d).toHaveLength(1);
    expect(d[0].message).toBe('五、存在的主要问题及改进情况没有写到本县要求的「政策解读」');
    expect(d[0].line).toBe(lineIn(readFileSync(path.join(root, 'reports/2021/青石镇.yaml'), 'utf8'), 'problems:'));
  });

  it.each([
    ['checks:\n  severity: { TEXT-PUNKT: error }\n', 'severity: {', '「checks.severity」中的「TEXT-PUNKT」不是 nianbao 的规则编号'],
    ['checks:\n  severity: { T3-SUM: warning }\n', 'severity: {', '「T3-SUM」不可调整'],
    ['checks:\n  severity: { TEXT-PUNCT: loud }\n', 'severity: {', '应为 error（错误）、warning（警告）或 off（不检查）'],
    ['checks:\n  sections: { summary: { max_length: 10 } }\n', 'sections:', '未知的部分「summary」'],
    ['waivers:\n  - { rule: S5-PREVIOUS, report: reports/2021/红椿镇.yaml }\n', '- { rule', '缺少 reason：豁免必须写明原因'],
    ['waivers:\n  - { rule: X-T3, report: reports/2021/红椿镇.yaml, reason: x }\n', '- { rule', '「X-T3」不可调整'],
  ])('refuses %j with line:col and the fix', (tail, needle, message) => {
    const root = workspaceWith(tail);
    const config = readFileSync(path.join(root, 'nianbao.yaml'), 'utf8');
    let error: unknown;
    try {
      loadWorkspaceConfig(root);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const text = (error as UserError).message;
    expect(text).toContain(message);
    expect(text).toMatch(new RegExp(`nianbao\\.yaml:${lineIn(config, needle)}:\\d+ 错误 WS-CONFIG `));
  });
});

describe('building one report of a workspace', () => {
  /** `nianbao build <file> --html` in-process; what it printed and the HTML files in the output folder. */
  async function buildOne(root: string, rel: string) {
    const saved = { out: process.stdout.write, err: process.stderr.write };
    let stderr = '';
    process.stdout.write = (() => true) as typeof process.stdout.write;
    process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
    try {
      const code = await main(['build', path.join(root, rel), '--html']);
      const outDir = path.join(root, 'out');
      const html = existsSync(outDir) ? readdirSync(outDir, { recursive: true }).map(String).filter((f) => f.endsWith('.html')) : [];
      return { code, stderr, html };
    } finally {
      process.stdout.write = saved.out;
      process.stderr.write = saved.err;
    }
  }

  it('refuses what the county raised to an error, as the batch build does, and builds it once waived', async () => {
    const rel = 'reports/2021/红椿镇.yaml';
    const strict = workspaceWith('checks:\n  severity: { S-LENGTH: error }\n  sections:\n    overview: { max_length: 100 }\n');
    const refused = await buildOne(strict, rel);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/错误 S-LENGTH 一、总体情况共 \d+ 字，超过本县规定的 100 字/);
    expect(refused.stderr).toContain('未生成');
    expect(refused.html).toEqual([]);

    const waived = workspaceWith(
      `checks:\n  severity: { S-LENGTH: error }\n  sections:\n    overview: { max_length: 100 }\nwaivers:\n  - { rule: S-LENGTH, report: ${rel}, reason: 县政府办同意 }\n`,
    );
    const built = await buildOne(waived, rel);
    expect(built.stderr).not.toContain('S-LENGTH');
    expect(built.code).toBe(0);
    expect(built.html).toHaveLength(1);
  });

  it('turns a county-silenced warning off for one report too', async () => {
    const rel = 'reports/2021/红椿镇.yaml';
    const loud = await buildOne(workspaceWith('checks:\n  sections:\n    problems: { topics: [政策解读] }\n'), rel);
    expect(loud.stderr).toContain('S-TOPICS');
    const quiet = await buildOne(workspaceWith('checks:\n  severity: { S-TOPICS: off }\n  sections:\n    problems: { topics: [政策解读] }\n'), rel);
    expect(quiet.stderr).not.toContain('S-TOPICS');
    expect(quiet.code).toBe(0);
  });
});
