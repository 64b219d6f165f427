/**
 * Checks that run after schema validation, in order. The 勾稽关系 live in the JSON Schemas (custom
 * keywords, see keywords.ts); this list holds what a schema cannot say, e.g. narrative checks.
 * Each check returns its diagnostics; it must not throw on odd data (schema errors may be present).
 */
import type { Span } from '../diagnostics/diagnostic.js';
import { makeDiagnostic } from './diagnostic.js';
import type { EditionId } from '../format/official.js';
import type { Report } from '../format/report.js';
import type { DataPath, Diagnostic } from './types.js';
import { checkNarrativePlaceholders } from '../format/placeholders.js';
import { commentDiagnostics, unfilledDiagnostics, type NarrativeSource } from './narrative-text.js';

export interface ReportCheckContext {
  /** The file as the user named it. */
  readonly file: string;
  /** The parsed YAML (a mapping), even when the schema found errors. */
  readonly data: Record<string, unknown>;
  /** The report, present only when the schema passed (no errors). */
  readonly report?: Report;
  /** The edition the file was checked against (its `format`, else the one its `year` requires). */
  readonly edition: EditionId;
  /** Where a data path is written in the YAML (nearest existing ancestor when missing). */
  locate(path: DataPath): Span;
  /**
   * Builds a diagnostic located at a data path, or at `passage` inside the text there (with the rule's
   * hint unless `hint` says more).
   */
  diagnostic(path: DataPath, severity: Diagnostic['severity'], rule: string, message: string, hint?: string, passage?: string): Diagnostic;
  /** The YAML text and its parse, for checks about how something is written (comments, quoting). */
  readonly source?: NarrativeSource;
}

export type ReportCheck = (ctx: ReportCheckContext) => Diagnostic[];

/** 落款日期 should fall in the year after the report year (reports are published by 1月31日). */
const checkDate: ReportCheck = (ctx) => {
  const { date, year } = ctx.data as { date?: unknown; year?: unknown };
  if (typeof date !== 'string' || typeof year !== 'number') return [];
  const m = /^(\d{4})-\d{2}-\d{2}$/.exec(date);
  if (!m) return [];
  const dateYear = Number(m[1]);
  if (dateYear === year + 1) return [];
  return [ctx.diagnostic(['date'], 'warning', 'META-DATE', `落款日期 ${date} 不在报告年度的次年（${year + 1} 年）`, `核对落款日期：${year} 年度报告通常于 ${year + 1} 年 1 月 31 日前公布`)];
};

/** Nothing the clerk wrote is lost to a YAML comment, and no init prompt is left in (narrative-text.ts). */
const checkNarrativeWriting: ReportCheck = (ctx) => {
  const at = (span: Span, rule: string, message: string, hint?: string): Diagnostic => makeDiagnostic(ctx.file, span, 'error', rule, message, hint);
  return [...(ctx.source ? commentDiagnostics(ctx.data, ctx.source, at) : []), ...unfilledDiagnostics(ctx.data, ctx.source, at, ctx.locate)];
};

export const REPORT_CHECKS: ReportCheck[] = [checkDate, checkNarrativePlaceholders, checkNarrativeWriting];
