/**
 * How diagnostics are printed: `path:line:col 严重程度 规则 message` on one line, what to do about it on
 * the next (`  = 提示：…`, as Typst prints its hints), coloured only on a terminal; or one JSON document
 * for machines (`--format json`), with the span's end and the hint as fields.
 */
import pc from 'picocolors';
import { SEVERITY_LABEL, type Diagnostic } from './diagnostic.js';
import { terminalSafe } from './errors.js';

export { SEVERITY_LABEL };

export interface FormatOptions {
  /** Colour the output; default: only when stdout is a terminal and NO_COLOR is unset. */
  readonly color?: boolean;
}

function useColor(options?: FormatOptions): boolean {
  return options?.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
}

/** How the hint line of a diagnostic starts (after its indent). */
export const HINT_MARK = '= 提示：';

/**
 * ```
 * reports/x.yaml:41:22 错误 T3-SUM 三、（七）总计「自然人」列为 20，但（一）至（六）之和为 26
 *   = 提示：核对（一）至（六）各项与总计，改正写错的一格
 * ```
 */
export function formatDiagnostic(d: Diagnostic, options?: FormatOptions): string {
  // each part on its line, nothing from the YAML reaching the terminal as a control (as --format github escapes)
  const where = terminalSafe(`${d.file}:${d.line}:${d.col}`);
  const message = terminalSafe(d.message);
  const hint = d.hint ? `\n  ${HINT_MARK}${terminalSafe(d.hint)}` : '';
  const severity = SEVERITY_LABEL[d.severity];
  if (!useColor(options)) return `${where} ${severity} ${d.rule} ${message}${hint}`;
  const paint = d.severity === 'error' ? pc.red : pc.yellow;
  return `${pc.bold(where)} ${paint(severity)} ${pc.dim(d.rule)} ${message}${pc.cyan(hint)}`;
}

/** Sorted by file, line, column; each followed by a newline (empty string for none). */
export function formatDiagnostics(diagnostics: readonly Diagnostic[], options?: FormatOptions): string {
  return sortDiagnostics(diagnostics)
    .map((d) => `${formatDiagnostic(d, options)}\n`)
    .join('');
}

export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col || a.endLine - b.endLine || a.endCol - b.endCol));
}

/** A one-line Chinese summary, e.g. `3 个文件：2 个错误，1 个警告`. */
export function formatSummary(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  if (errors === 0 && warnings === 0) return `${files} 个文件，未发现问题`;
  return `${files} 个文件：${errors} 个错误，${warnings} 个警告`;
}

export interface JsonDiagnostic extends Diagnostic {
  readonly severityLabel: string;
}

/** The machine form of a check run (`nianbao check --format json`). Stable keys; UTF-8 text. */
export function diagnosticsToJson(results: readonly { readonly file: string; readonly usable: boolean; readonly diagnostics: readonly Diagnostic[] }[]): string {
  const files = results.map((r) => ({
    file: r.file,
    usable: r.usable,
    errors: r.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: r.diagnostics.filter((d) => d.severity === 'warning').length,
    diagnostics: sortDiagnostics(r.diagnostics).map((d) => ({ ...d, severityLabel: SEVERITY_LABEL[d.severity] })),
  }));
  const errors = files.reduce((n, f) => n + f.errors, 0);
  const warnings = files.reduce((n, f) => n + f.warnings, 0);
  return `${JSON.stringify({ ok: errors === 0 && files.every((f) => f.usable), errors, warnings, files }, null, 2)}\n`;
}
