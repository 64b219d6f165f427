/**
 * index.html of a batch build: every report of the workspace with its check status and links to its
 * files. Self-contained (inline CSS, no script, no external resource), Chinese, and deterministic:
 * no dates, no absolute paths, stable order (year descending, then agency, then file).
 */
import path from 'node:path';
import { SEVERITY_LABEL } from '../../diagnostics/format.js';
import type { Diagnostic } from '../../validate/types.js';
import type { OutputFormat } from '../config/config.js';
import { compareStable } from '../config/discover.js';

export type RowStatus = 'built' | 'warnings' | 'failed' | 'render-failed';

export interface IndexRow {
  /** Report path relative to the workspace root, / separated. */
  readonly rel: string;
  readonly name?: string;
  readonly year?: number;
  readonly edition?: string;
  readonly status: RowStatus;
  /** Absolute output paths per format (present for reports that pass their check). */
  readonly outputs: Partial<Record<OutputFormat, string>>;
  readonly diagnostics: readonly Diagnostic[];
  /** Why rendering failed (status render-failed). */
  readonly renderError?: string;
}

const FORMAT_LABEL: Record<OutputFormat, string> = { html: '网页', docx: 'Word', pdf: 'PDF' };
const STATUS_LABEL: Record<RowStatus, string> = { built: '通过', warnings: '通过（有警告）', failed: '未通过校验，未生成', 'render-failed': '生成失败' };

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A relative link from the index to a file, each path segment percent-encoded. */
function href(outputDir: string, target: string): string {
  return path.relative(outputDir, target).split(path.sep).map(encodeURIComponent).join('/');
}

export function sortRows(rows: readonly IndexRow[]): IndexRow[] {
  return [...rows].sort((a, b) => (b.year ?? 0) - (a.year ?? 0) || compareStable(a.name ?? '', b.name ?? '') || compareStable(a.rel, b.rel));
}

export function renderIndex(rows: readonly IndexRow[], options: { outputDir: string; title: string; formats: readonly OutputFormat[] }): string {
  const sorted = sortRows(rows);
  const count = (s: RowStatus[]) => sorted.filter((r) => s.includes(r.status)).length;
  const body = sorted
    .map((row) => {
      const links = options.formats
        .map((f) => (row.outputs[f] && (row.status === 'built' || row.status === 'warnings') ? `<a href="${escape(href(options.outputDir, row.outputs[f]!))}">${FORMAT_LABEL[f]}</a>` : `<span class="none">${FORMAT_LABEL[f]}</span>`))
        .join(' ');
      const shown = row.status === 'failed' ? row.diagnostics.filter((d) => d.severity === 'error') : row.diagnostics;
      const problems = [
        ...(row.renderError ? [`<li class="error">${escape(row.renderError)}</li>`] : []),
        ...shown.map((d) => `<li class="${d.severity}"><code>${escape(`${row.rel}:${d.line}:${d.col}`)}</code> ${SEVERITY_LABEL[d.severity]} <code>${escape(d.rule)}</code> ${escape(d.message)}${d.hint ? `<br>提示：${escape(d.hint)}` : ''}</li>`),
      ];
      const detail =
        problems.length === 0
          ? ''
          : row.status === 'warnings'
            ? `<details><summary>${shown.length} 个警告</summary><ul>${problems.join('')}</ul></details>`
            : `<ul>${problems.join('')}</ul>`;
      return [
        `<tr class="${row.status}">`,
        `<td class="year">${row.year ?? ''}</td>`,
        `<td>${escape(row.name ?? '（未写机关名称）')}<br><code>${escape(row.rel)}</code></td>`,
        `<td class="edition">${row.edition ? `${escape(row.edition)} 版` : ''}</td>`,
        `<td class="status">${STATUS_LABEL[row.status]}</td>`,
        `<td class="links">${links}</td>`,
        `<td>${detail}</td>`,
        `</tr>`,
      ].join('');
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(options.title)}</title>
<style>
body { font-family: "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto; max-width: 72em; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: .4em .6em; vertical-align: top; text-align: left; }
th { background: #eee; }
tr.failed td.status, tr.render-failed td.status, li.error { color: #b00020; }
tr.warnings td.status, li.warning { color: #8a5a00; }
tr.built td.status { color: #1b5e20; }
.links a { margin-right: .6em; }
td.year, td.edition, td.status, td.links { white-space: nowrap; }
/* grey that still reads: 5.3:1 on white (WCAG AA asks 4.5:1) */
.none { color: #6b6b6b; margin-right: .6em; }
ul { margin: 0; padding-left: 1.2em; }
code { font-size: .9em; }
</style>
</head>
<body>
<main>
<h1>${escape(options.title)}</h1>
<p>共 ${sorted.length} 份报告：通过 ${count(['built', 'warnings'])} 份（其中有警告 ${count(['warnings'])} 份），未通过校验 ${count(['failed'])} 份${count(['render-failed']) > 0 ? `，生成失败 ${count(['render-failed'])} 份` : ''}。</p>
<table>
<thead><tr><th>年度</th><th>机关</th><th>格式</th><th>校验</th><th>文件</th><th>问题</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
</main>
</body>
</html>
`;
}
