/**
 * The narrative checks that need no other report (narrative against tables, the section checks,
 * the writing checks): the workspace check runs them for every report, and `nianbao check` of
 * single files outside a workspace runs them too, so a clerk checking one file sees them.
 */
import path from 'node:path';
import type { CheckedReport, Diagnostic } from '../../../validate/types.js';
import { entryFromSource, type ReportEntry } from '../entry.js';
import { narrativeDiagnostics } from './narrative.js';
import { YamlSource } from '../../config/source.js';
import { textStyleDiagnostics } from './text-style.js';

export function reportTextDiagnostics(entry: ReportEntry): Diagnostic[] {
  return [...narrativeDiagnostics(entry), ...textStyleDiagnostics(entry)];
}

/** A single file's check with the report-scope narrative checks added (sorted by position). */
export function withReportTextChecks(checked: CheckedReport): CheckedReport {
  if (!checked.usable || !checked.parsed || checked.data === undefined) return checked;
  const entry = entryFromSource(path.resolve(checked.file), new YamlSource(checked.parsed.text, checked.file, checked.parsed), undefined, checked.data);
  const extra = reportTextDiagnostics(entry);
  if (extra.length === 0) return checked;
  const diagnostics = [...checked.diagnostics, ...extra].sort((a, b) => a.line - b.line || a.col - b.col);
  return { ...checked, diagnostics };
}
