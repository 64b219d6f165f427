/**
 * One report of a workspace as the cross-report checks see it: the parsed data (even when the
 * report has errors, so a broken township still gets compared), where it came from, and a source
 * with positions for line:col.
 */
import { makeDiagnostic } from '../../validate/diagnostic.js';
import { officialRowLength, type EditionId } from '../../format/official.js';
import type { DataPath, Diagnostic, Severity } from '../../validate/types.js';
import type { YamlSource } from '../config/source.js';
import { valueAt, type Agency } from '../../format/report.js';
import type { WorkspaceConfig } from '../config/config.js';
import { mergeAgency, reportStem } from '../config/effective.js';

export interface ReportEntry {
  /** Absolute path. */
  readonly abs: string;
  /** The path diagnostics show (relative to the current directory). */
  readonly file: string;
  /** Path relative to the workspace root, / separated (what messages and index.html show). */
  readonly rel?: string;
  readonly source: YamlSource;
  /** The parsed mapping, or undefined when the file is not a YAML mapping. */
  readonly data: Record<string, unknown> | undefined;
  readonly name?: string;
  readonly year?: number;
  readonly edition?: EditionId;
  /** agency.parent after nianbao.yaml defaults (never flagged as a foreign name). */
  readonly parent?: string;
}

/** `data`: the file's data when already read (the report loader's), instead of reading it from `source` again. */
export function entryFromSource(abs: string, source: YamlSource, config?: Pick<WorkspaceConfig, 'agency'>, data?: unknown): ReportEntry {
  const raw = data === undefined ? source.data() : data;
  const record = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
  const agency = record?.agency as Record<string, unknown> | undefined;
  const name = typeof agency?.name === 'string' && agency.name.trim() !== '' ? agency.name.trim() : undefined;
  const year = typeof record?.year === 'number' && Number.isInteger(record.year) ? record.year : undefined;
  const format = record?.format;
  const edition = format === '2019' || format === '2021' ? format : format === 2019 || format === 2021 ? (String(format) as EditionId) : undefined;
  const merged = config && agency ? mergeAgency(config, agency as Agency, year ?? '', reportStem(abs)).agency.parent : agency?.parent;
  const ownParent = typeof merged === 'string' && merged.trim() !== '' ? merged : undefined;
  return { abs, file: source.file, source, data: record, ...(name ? { name } : {}), ...(year !== undefined ? { year } : {}), ...(edition ? { edition } : {}), ...(ownParent ? { parent: ownParent } : {}) };
}

export function at(entry: ReportEntry, path: DataPath, severity: Severity, rule: string, message: string, hint?: string): Diagnostic {
  return makeDiagnostic(entry.file, entry.source.locate(path), severity, rule, message, hint);
}

/**
 * A finding at a passage of the text at a path: a string, or a longer string to find it by (a name
 * followed by the words that tell which of its occurrences) with the `length` marked.
 */
export function atText(entry: ReportEntry, path: DataPath, passage: string | { readonly find: string; readonly length: number }, severity: Severity, rule: string, message: string, hint?: string): Diagnostic {
  const span = typeof passage === 'string' ? entry.source.locateText(path, passage) : entry.source.locateText(path, passage.find, passage.length);
  return makeDiagnostic(entry.file, span, severity, rule, message, hint);
}

/**
 * Whether the row of figures at `row` (e.g. ['applications', 'received']) is written with as many figures as
 * the official row has. A row with one too many or too few is reported as such (ROW-LENGTH); which of its
 * figures is which column cannot be told, so the checks comparing figures leave it alone instead of adding
 * findings about shifted columns. True for a path that is no official row or not written as a list.
 */
export function rowWrittenWhole(data: unknown, row: DataPath, edition: EditionId): boolean {
  const length = officialRowLength(edition, row.join('.'));
  if (length === undefined) return true;
  const written = valueAt(data, row);
  return !Array.isArray(written) || written.length === length;
}

/** A figure at a data path when it is a finite number (schema errors are reported elsewhere). */
export function num(data: unknown, path: DataPath): number | undefined {
  const value = valueAt(data, path);
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export { narrativeLabel, narrativeTexts, type NarrativeText } from '../../validate/narrative-text.js';
