/**
 * Diagnostics for people and for CI: plain lines (coloured only on a terminal, format.ts),
 * GitHub Actions workflow commands (`--format github`: the annotations appear on the pull request's
 * changed lines), or stable JSON (`--format json`).
 */
import path from 'node:path';
import { UserError, terminalSafe } from './errors.js';
import { formatDiagnostics, SEVERITY_LABEL, sortDiagnostics } from './format.js';
import type { Diagnostic } from '../validate/types.js';

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

/** `::error file=reports/2021/x.yaml,line=41,col=22,title=T3-SUM::三、（七）总计…` */
export function githubAnnotation(d: Diagnostic, repoRoot = process.env.GITHUB_WORKSPACE): string {
  // GitHub places annotations by path from the repository root; the workspace may be a subfolder.
  const fromRoot = repoRoot ? path.relative(repoRoot, path.resolve(d.file)) : d.file;
  const file = (fromRoot.startsWith('..') ? d.file : fromRoot).split('\\').join('/');
  return `::${d.severity} file=${escapeProperty(file)},line=${d.line},col=${d.col},title=${escapeProperty(`${SEVERITY_LABEL[d.severity]} ${d.rule}`)}::${escapeData(d.message)}`;
}

export function formatForStyle(diagnostics: readonly Diagnostic[], style: Exclude<OutputStyle, 'json'>, color?: boolean): string {
  if (style === 'github') return sortDiagnostics(diagnostics).map((d) => `${githubAnnotation(d)}\n`).join('');
  return formatDiagnostics(diagnostics, color === undefined ? undefined : { color });
}
