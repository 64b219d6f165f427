/**
 * Diagnostics for people and for CI: plain lines (coloured only on a terminal, format.ts),
 * GitHub Actions workflow commands (`--format github`: the annotations appear on the pull request's
 * changed lines), or stable JSON (`--format json`).
 */
import path from 'node:path';
import { UserError, terminalSafe } from './errors.js';
import { formatDiagnostics, SEVERITY_LABEL, sortDiagnostics } from './format.js';
import type { Diagnostic } from './diagnostic.js';

export type OutputStyle = 'plain' | 'github' | 'json';

export function parseOutputStyle(value: string | undefined): OutputStyle {
  if (value === undefined || value === 'plain' || value === 'text') return 'plain';
  if (value === 'github' || value === 'json') return value;
  throw new UserError(`--format 的值「${value}」无效：可用 plain、github、json`, 2);
}

/**
 * Workflow-command escaping: data escapes % CR LF; property values also : and , — and, as in the plain
 * format, any other control, bidi or zero-width character from a report is shown as `<U+001B>`, so it
 * neither reaches the log as a terminal control nor hides in an annotation.
 */
function escapeData(text: string): string {
  return terminalSafe(text, true).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * `::error file=reports/2021/x.yaml,line=41,endLine=41,col=22,endColumn=24,title=错误 T3-SUM::三、（七）总计…%0A提示：…`
 * GitHub's columns are inclusive and only allowed on a one-line span (its runner drops them otherwise).
 */
export function githubAnnotation(d: Diagnostic, repoRoot = process.env.GITHUB_WORKSPACE): string {
  // GitHub places annotations by path from the repository root; the workspace may be a subfolder.
  const fromRoot = repoRoot ? path.relative(repoRoot, path.resolve(d.file)) : d.file;
  const file = (fromRoot.startsWith('..') ? d.file : fromRoot).split('\\').join('/');
  const lines = `line=${d.line},endLine=${Math.max(d.line, d.endLine)}`;
  const columns = d.endLine === d.line ? `,col=${d.col},endColumn=${Math.max(d.col, d.endCol - 1)}` : '';
  const text = d.hint ? `${d.message}\n提示：${d.hint}` : d.message;
  return `::${d.severity} file=${escapeProperty(file)},${lines}${columns},title=${escapeProperty(`${SEVERITY_LABEL[d.severity]} ${d.rule}`)}::${escapeData(text)}`;
}

export function formatForStyle(diagnostics: readonly Diagnostic[], style: Exclude<OutputStyle, 'json'>, color?: boolean): string {
  if (style === 'github') return sortDiagnostics(diagnostics).map((d) => `${githubAnnotation(d)}\n`).join('');
  return formatDiagnostics(diagnostics, color === undefined ? undefined : { color });
}
