/**
 * The audit of one published file: imported in memory and checked as `check` checks a clerk's file;
 * its problems as rows of the region's table (`nianbao audit`). Runs in the main thread or in the
 * audit worker threads (audit-worker.ts).
 */
import { checkText } from '../validate/index.js';
import { importFile } from './file.js';
import { describePlace } from './source.js';

export interface AuditRow {
  readonly file: string;
  readonly agency: string;
  readonly year: number | null;
  readonly edition: string;
  readonly severity: 'error' | 'warning';
  /** the check rule (T3-SUM, CELL-BLANK …), or IMPORT for what could not be read */
  readonly rule: string;
  readonly message: string;
  /** where in the published file, for import problems */
  readonly place: string;
}

export interface AuditReport {
  readonly file: string;
  readonly agency: string;
  readonly year: number | null;
  readonly edition: string;
  readonly imported: boolean;
  readonly errors: number;
  readonly warnings: number;
}

export interface AuditResult {
  readonly report: AuditReport;
  readonly rows: readonly AuditRow[];
}

export async function auditFile(file: string): Promise<AuditResult> {
  const outcome = await importFile(file);
  const r = outcome.report;
  const base = { file, agency: r?.agency ?? '', year: r?.year ?? null, edition: r?.edition ?? '' };
  const rows: AuditRow[] = outcome.notes.map((n) => ({ ...base, severity: n.severity, rule: 'IMPORT', message: n.message, place: n.place ? describePlace(n.place) : '' }));
  if (outcome.yaml) {
    // the imported YAML is checked in memory; its line numbers mean nothing to the reader of the published file
    const checked = checkText(outcome.yaml, `${file}.yaml`);
    for (const d of checked.diagnostics) rows.push({ ...base, severity: d.severity, rule: d.rule, message: d.message, place: '' });
  }
  return {
    report: { ...base, imported: outcome.usable, errors: rows.filter((m) => m.severity === 'error').length, warnings: rows.filter((m) => m.severity === 'warning').length },
    rows,
  };
}
