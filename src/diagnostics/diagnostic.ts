/**
 * What a check says of a report: the contract between the checkers (src/validate/, the workspace checks)
 * and everything that prints or marks their findings (the terminal, CI annotations, JSON, the live
 * preview, drafts). It lives in the lowest layer because all of them use it.
 */

export type Severity = 'error' | 'warning';

/** A path into the report data, e.g. ['applications', 'results', 'total', 0]: what a finding is about. */
export type DataPath = readonly (string | number)[];

/** How a severity is printed (terminal lines, drafts, index pages). */
export const SEVERITY_LABEL: Record<Severity, string> = { error: '错误', warning: '警告' };

/**
 * A stretch of the YAML text: 1-based line and column of its first character, and of the position just
 * after its last (exclusive, as editors count a selection); an empty span ends where it starts. Columns
 * count UTF-16 code units, as the `yaml` package and editors do.
 */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export interface Diagnostic extends Span {
  /** The file as the user named it (relative paths stay relative). */
  readonly file: string;
  readonly severity: Severity;
  /** Stable rule id, e.g. T3-SUM, T3-ROW, YAML-SYNTAX, FULLWIDTH-COLON (see README). */
  readonly rule: string;
  /** What is wrong, in Chinese, naming the official row and column and both sides of a broken sum. */
  readonly message: string;
  /**
   * How to fix it, apart from what is wrong (printed under the message, as Typst's `hint:`). Every
   * finding has one: the rule's own (format/checks.yaml, format/rules.yaml) unless the check knows better.
   */
  readonly hint: string;
}

/** The span of a whole file (1:1, empty): for findings about the file as such (its encoding, its size). */
export const WHOLE_FILE: Span = { line: 1, col: 1, endLine: 1, endCol: 1 };

/** A span of `length` characters on one line, from `line:col`. */
export function spanOn(line: number, col: number, length = 1): Span {
  return { line, col, endLine: line, endCol: col + Math.max(0, length) };
}
