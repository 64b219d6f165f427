/**
 * `nianbao audit <文件夹…> [-o 目录] [--format plain|csv|json]`: the evaluator's view of a region. Every
 * published report is imported (nothing written next to it) and checked as `check` would check it; the
 * problems of all reports are one table: printed (plain), as CSV or JSON, and with -o also written as
 * audit.csv, audit.json and audit.html. Many files are audited on worker threads (--jobs, default: one per core
 * from 32 files on).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { auditFile, type AuditReport, type AuditResult, type AuditRow } from '../../import/audit.js';
import { escapeHtml } from '../../render/html/index.js';
import { writeFileAtomic } from '../../render/write.js';
import { defaultJobs } from '../../workspace/batch/pool.js';
import { startThread } from '../../threads.js';
import { UserError } from '../../diagnostics/errors.js';
import { SEVERITY_LABEL } from '../../diagnostics/format.js';
import { collectSources } from './import.js';

const USAGE = '用法：nianbao audit <文件或文件夹…> [-o 目录] [--format plain|csv|json] [--jobs N]';

/**
 * Audits every file, on `jobs` worker threads when more than one (each takes an equal share, in file
 * order, and sends back its results); the results are in file order either way.
 */
export async function audit(files: readonly string[], jobs = 1): Promise<{ reports: AuditReport[]; rows: AuditRow[] }> {
  let results: AuditResult[];
  const threads = Math.min(jobs, files.length);
  if (threads <= 1) {
    results = [];
    for (const file of files) results.push(await auditFile(file));
  } else {
    const shares = Array.from({ length: threads }, (_, k) => files.filter((_, i) => i % threads === k));
    const parts = await Promise.all(
      shares.map(
        (share) =>
          new Promise<AuditResult[]>((resolve, reject) => {
            const worker = startThread('import/audit-worker', { files: share });
            worker.once('message', (message: AuditResult[]) => resolve(message));
            worker.once('error', reject);
            worker.once('exit', (code) => (code === 0 ? undefined : reject(new UserError(`审查进程意外退出（代码 ${code}）`, 2))));
          }),
      ),
    );
    results = files.map((_, i) => parts[i % threads][Math.floor(i / threads)]);
  }
  return { reports: results.map((r) => r.report), rows: results.flatMap((r) => r.rows) };
}

const COLUMNS: readonly [keyof AuditRow, string][] = [
  ['file', '文件'],
  ['agency', '机关'],
  ['year', '年度'],
  ['edition', '格式'],
  ['severity', '严重程度'],
  ['rule', '规则'],
  ['message', '说明'],
  ['place', '原文位置'],
];

const cellText = (row: AuditRow, key: keyof AuditRow) => (key === 'severity' ? SEVERITY_LABEL[row.severity] : String(row[key] ?? ''));

/** CSV (RFC 4180, UTF-8 with BOM so that Excel and WPS open the Chinese right). */
export function auditCsv(rows: readonly AuditRow[]): string {
  const quote = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  const lines = [COLUMNS.map(([, title]) => title).join(','), ...rows.map((row) => COLUMNS.map(([key]) => quote(cellText(row, key))).join(','))];
  return `\ufeff${lines.join('\r\n')}\r\n`;
}

export function auditHtml(reports: readonly AuditReport[], rows: readonly AuditRow[]): string {
  const summary = reports
    .map((r) => `<tr><td>${escapeHtml(r.file)}</td><td>${escapeHtml(r.agency)}</td><td>${r.year ?? ''}</td><td>${escapeHtml(r.edition)}</td><td>${r.imported ? '是' : '否'}</td><td>${r.errors}</td><td>${r.warnings}</td></tr>`)
    .join('\n');
  const problems = rows.map((row) => `<tr class="${row.severity}">${COLUMNS.map(([key]) => `<td>${escapeHtml(cellText(row, key))}</td>`).join('')}</tr>`).join('\n');
  const withErrors = reports.filter((r) => r.errors > 0).length;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>政府信息公开工作年度报告审查结果</title>
<style>
body { font-family: "仿宋_GB2312", FangSong, "Noto Serif CJK SC", serif; margin: 2em; }
table { border-collapse: collapse; margin-bottom: 2em; }
th, td { border: 1px solid #888; padding: 0.3em 0.5em; vertical-align: top; }
th { background: #eee; }
tr.error td:nth-child(5) { color: #b00; font-weight: bold; }
tr.warning td:nth-child(5) { color: #a60; }
</style>
</head>
<body>
<h1>政府信息公开工作年度报告审查结果</h1>
<p>共 ${reports.length} 份报告，${withErrors} 份有错误，问题 ${rows.length} 条。</p>
<h2>各报告</h2>
<table border="1">
<thead><tr><th scope="col">文件</th><th scope="col">机关</th><th scope="col">年度</th><th scope="col">格式</th><th scope="col">已导入</th><th scope="col">错误</th><th scope="col">警告</th></tr></thead>
<tbody>
${summary}
</tbody>
</table>
<h2>问题</h2>
<table border="1">
<thead><tr>${COLUMNS.map(([, title]) => `<th scope="col">${title}</th>`).join('')}</tr></thead>
<tbody>
${problems}
</tbody>
</table>
</body>
</html>
`;
}

export async function runAudit(args: string[]): Promise<number> {
  const inputs: string[] = [];
  let out: string | undefined;
  let format: 'plain' | 'csv' | 'json' = 'plain';
  let jobs: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const m = /^(-o|--output|--format|--jobs)(?:=(.*))?$/.exec(arg);
    if (m) {
      const value = m[2] ?? args[++i];
      if (value === undefined) throw new UserError(`${m[1]} 后缺少值。\n${USAGE}`, 2);
      if (m[1] === '--format') {
        if (value !== 'plain' && value !== 'csv' && value !== 'json') throw new UserError(`--format 只能是 plain、csv 或 json，收到「${value}」。`, 2);
        format = value;
      } else if (m[1] === '--jobs') {
        jobs = Number(value);
        if (!Number.isInteger(jobs) || jobs < 1) throw new UserError(`--jobs 应为正整数，收到「${value}」。`, 2);
      } else out = value;
    } else if (arg.startsWith('-')) throw new UserError(`无法识别的参数「${arg}」。\n${USAGE}`, 2);
    else inputs.push(arg);
  }
  if (inputs.length === 0) throw new UserError(`请指定要审查的文件夹。\n${USAGE}`, 2);
  const files = await collectSources(inputs);
  if (files.length === 0) throw new UserError(`「${inputs.join('」「')}」中没有 .html、.htm、.docx 或 .pdf 文件。`, 2);
  // threads pay off from a few dozen files (each starts by loading the readers and the schemas)
  const { reports, rows } = await audit(files, jobs ?? (files.length >= 32 ? defaultJobs() : 1));
  const json = `${JSON.stringify({ reports, problems: rows }, null, 2)}\n`;
  if (out !== undefined) {
    await mkdir(out, { recursive: true }).catch(() => {
      throw new UserError(`无法创建输出文件夹「${out}」。`, 2);
    });
    await writeFileAtomic(path.join(out, 'audit.csv'), auditCsv(rows));
    await writeFileAtomic(path.join(out, 'audit.json'), json);
    await writeFileAtomic(path.join(out, 'audit.html'), auditHtml(reports, rows));
  }
  if (format === 'csv') process.stdout.write(auditCsv(rows));
  else if (format === 'json') process.stdout.write(json);
  else {
    for (const r of reports) {
      process.stdout.write(`${r.file}：${r.agency || '（未读出机关）'} ${r.year ?? ''} ${r.imported ? `错误 ${r.errors}，警告 ${r.warnings}` : '未能导入'}\n`);
      for (const row of rows.filter((x) => x.file === r.file)) {
        process.stdout.write(`  ${SEVERITY_LABEL[row.severity]} ${row.rule} ${row.place ? `${row.place} ` : ''}${row.message}\n`);
      }
    }
    const bad = reports.filter((r) => r.errors > 0).length;
    process.stdout.write(`共 ${reports.length} 份报告，${bad} 份有错误，问题 ${rows.length} 条${out !== undefined ? `；审查表已写入 ${path.join(out, 'audit.html')}、audit.csv、audit.json` : ''}\n`);
  }
  if (reports.some((r) => !r.imported)) return 2;
  return reports.some((r) => r.errors > 0) ? 1 : 0;
}
