/**
 * Every finding of a report check is made here, so that each has its span and its hint: the hint the
 * check gives (it knows the fix for this very cell) or else its rule's own (format/checks.yaml,
 * format/rules.yaml), which `nianbao rules` lists too.
 */
import type { Diagnostic, Severity, Span } from '../diagnostics/diagnostic.js';
import { checkInfo } from '../format/checks.js';

/** The rule's own hint: what to do about any finding of it. */
export function ruleHint(rule: string): string {
  return checkInfo(rule)?.hint ?? '';
}

export function makeDiagnostic(file: string, span: Span, severity: Severity, rule: string, message: string, hint?: string): Diagnostic {
  return { file, line: span.line, col: span.col, endLine: span.endLine, endCol: span.endCol, severity, rule, message, hint: hint ?? ruleHint(rule) };
}
