/**
 * The pages of the live preview besides the report itself: the bar added to a report's draft HTML
 * (downloads, back to the index, live status), the page shown when a file cannot be read (its
 * problems at their lines, with the lines themselves), and a workspace's index of reports. All
 * self-contained: inline CSS, the one script served by the preview itself (`/preview.js`).
 */
import type { Span } from '../diagnostics/diagnostic.js';
import { editorLink } from '../model/draft-marks.js';
import { escapeHtml as escape } from '../render/html/index.js';
import { SEVERITY_LABEL, type Diagnostic } from '../validate/types.js';

export const CLIENT_SCRIPT_ROUTE = '/preview.js';

/**
 * The page's only script: reload when the server says a watched file changed (server-sent events).
 * A reconnect after the server restarted also reloads, when the state it reports is a new one.
 */
export const CLIENT_SCRIPT = `(() => {
  const status = document.getElementById('preview-status');
  const events = new EventSource('/events');
  let seen;
  events.addEventListener('hello', (e) => {
    if (seen !== undefined && seen !== e.data) location.reload();
    seen = e.data;
    if (status) status.textContent = '实时预览：保存文件后自动更新';
  });
  events.addEventListener('change', () => location.reload());
  events.onerror = () => {
    if (status) status.textContent = '与预览服务的连接已断开，正在重连…';
  };
})();
`;

const BAR_STYLE = `
.preview-bar { position: sticky; top: 0; z-index: 2000; display: flex; flex-wrap: wrap; gap: 0.4em 1em; align-items: center; padding: 0.4em 0.8em; margin: -1.5em -1em 1em; background: #1f2937; color: #fff; font: 14px/1.5 system-ui, sans-serif; }
.preview-bar a { color: #fff; }
.preview-bar .status { margin-left: auto; opacity: 0.85; }
@media print { .preview-bar { display: none; } }`;

export interface BarLinks {
  readonly index?: string;
  readonly pdf?: string;
  readonly docx?: string;
  readonly problems: number;
}

function bar(links: BarLinks): string {
  const parts = [
    links.index ? `<a href="${links.index}">← 全部报告</a>` : '',
    links.pdf ? `<a href="${links.pdf}" download>下载 PDF（草稿）</a>` : '',
    links.docx ? `<a href="${links.docx}" download>下载 Word（草稿）</a>` : '',
    `<span>${links.problems > 0 ? `<a href="#draft-problems-heading">${links.problems} 个问题</a>` : '校验未发现问题'}</span>`,
    `<span class="status" id="preview-status" role="status">实时预览</span>`,
  ];
  return `<nav class="preview-bar" aria-label="预览">${parts.filter(Boolean).join('\n')}</nav>`;
}

/** A rendered page with the preview's bar at the top and its script at the end. */
export function withPreviewBar(html: string, links: BarLinks): string {
  return html
    .replace('</style>', `${BAR_STYLE}\n</style>`)
    .replace('<body>', `<body>\n${bar(links)}`)
    .replace('</body>', `<script src="${CLIENT_SCRIPT_ROUTE}"></script>\n</body>`);
}

const PAGE_STYLE = `
body { margin: 0; padding: 1.5em 1em 3em; font: 16px/1.6 system-ui, "Noto Sans CJK SC", sans-serif; color: #111; }
main { max-width: 60em; margin: 0 auto; }
h1 { font-size: 1.4em; }
.problem { border-left: 4px solid #b00020; padding: 0.3em 0.8em; margin: 1em 0; background: #fdf2f4; }
.problem .where { font-weight: bold; }
pre.frame { background: #f6f6f6; padding: 0.5em; overflow-x: auto; font: 14px/1.5 ui-monospace, monospace; }
pre.frame .hit { background: #fff3c4; display: inline-block; min-width: 100%; }
pre.frame mark { background: #ffb74d; color: inherit; }
.problem .hint { color: #1e5a8a; }
table.reports { border-collapse: collapse; width: 100%; }
table.reports th, table.reports td { border: 1px solid #999; padding: 0.3em 0.5em; text-align: left; }
.status-error { font-weight: bold; }`;

function page(title: string, body: string, links?: BarLinks): string {
  const html = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>${PAGE_STYLE}
</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
  return withPreviewBar(html, links ?? { problems: 0 });
}


/** Lines of a long span shown in a problem's frame (a whole narrative can be a span). */
const MAX_FRAME_SPAN_LINES = 6;

/**
 * The source lines around a span: its lines highlighted (the first with the id `line-N`), the span
 * itself marked, as an editor underlines it.
 */
function frame(text: string, span: Span): string {
  const lines = text.split(/\r\n|\n|\r/);
  const last = Math.min(Math.max(span.line, span.endLine), span.line + MAX_FRAME_SPAN_LINES - 1);
  const from = Math.max(1, span.line - 3);
  const to = Math.min(lines.length, last + 3);
  const out: string[] = [];
  for (let n = from; n <= to; n++) {
    const content = lines[n - 1] ?? '';
    const number = `${String(n).padStart(4)} │ `;
    if (n < span.line || n > last) {
      out.push(`${number}${escape(content)}`);
      continue;
    }
    const start = n === span.line ? Math.min(span.col - 1, content.length) : 0;
    const end = n === span.endLine ? Math.min(Math.max(span.endCol - 1, start), content.length) : content.length;
    const marked = end > start ? `<mark>${escape(content.slice(start, end))}</mark>` : '';
    const row = `${number}${escape(content.slice(0, start))}${marked}${escape(content.slice(end))}`;
    out.push(`<span class="hit"${n === span.line ? ` id="line-${n}"` : ''}>${row}</span>`);
  }
  return `<pre class="frame">${out.join('\n')}</pre>`;
}

/**
 * The page for a file that cannot be read as a report (YAML syntax, encoding …) or whose templates
 * fail: every problem with its line:col linked to the editor, and the lines it points at.
 */
export function problemPage(file: string, absolute: string, diagnostics: readonly Diagnostic[], text: string | undefined, links: Omit<BarLinks, 'problems'>): string {
  const items = diagnostics.map(
    (d) => `<section class="problem" data-rule="${escape(d.rule)}">
<p><span class="where"><a href="${escape(editorLink(absolute, d.line, d.col))}">${escape(`${file}:${d.line}:${d.col}`)}</a></span> ${SEVERITY_LABEL[d.severity]} <code>${escape(d.rule)}</code></p>
<p class="message">${escape(d.message)}</p>
${d.hint ? `<p class="hint">提示：${escape(d.hint)}</p>\n` : ''}${text !== undefined ? frame(text, d) : ''}
</section>`,
  );
  return page(`无法预览 ${file}`, `<h1>无法读取 ${escape(file)}，未生成预览</h1>\n<p>请修正以下问题并保存，页面会自动更新。</p>\n${items.join('\n')}`, { ...links, problems: diagnostics.length });
}

/** A template (or nianbao.yaml) error: the message, which names its file and line. */
export function errorPage(title: string, message: string, links: Omit<BarLinks, 'problems'>): string {
  return page(title, `<h1>${escape(title)}</h1>\n<section class="problem" data-rule="ERROR"><p class="message">${escape(message)}</p></section>\n<p>修正后保存，页面会自动更新。</p>`, { ...links, problems: 1 });
}

export interface IndexEntry {
  readonly href: string;
  readonly rel: string;
  readonly agency?: string;
  readonly year?: number;
  readonly usable: boolean;
  readonly errors: number;
  readonly warnings: number;
}

function status(e: IndexEntry): string {
  if (!e.usable) return '<span class="status-error">无法读取</span>';
  if (e.errors > 0) return `<span class="status-error">${e.errors} 个错误</span>${e.warnings > 0 ? `，${e.warnings} 个警告` : ''}`;
  return e.warnings > 0 ? `通过（${e.warnings} 个警告）` : '通过';
}

/** A workspace's reports, each with its check status and a link to its preview. */
export function indexPage(root: string, entries: readonly IndexEntry[]): string {
  const rows = entries.map(
    (e) => `<tr><td>${e.year ?? ''}</td><td>${escape(e.agency ?? '')}</td><td><a href="${e.href}">${escape(e.rel)}</a></td><td>${status(e)}</td></tr>`,
  );
  const failing = entries.filter((e) => !e.usable || e.errors > 0).length;
  return page(
    '工作区预览',
    `<h1>工作区预览：${escape(root)}</h1>\n<p>${entries.length} 份报告${failing > 0 ? `，${failing} 份未通过校验` : '，全部通过校验'}。</p>
<table class="reports">
<thead><tr><th scope="col">年度</th><th scope="col">机关</th><th scope="col">文件</th><th scope="col">校验</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`,
  );
}

export function notFoundPage(): string {
  return page('未找到', '<h1>未找到该页面</h1>\n<p><a href="/">返回预览首页</a></p>');
}
