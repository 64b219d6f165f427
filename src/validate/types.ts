/**
 * The result of checking one report file: the shape every consumer (check, build, workspace, CI
 * output) relies on. The checker lives in src/validate/; this file is the contract between them.
 */
import type { Report } from '../format/report.js';
import type { Document, LineCounter } from 'yaml';

export { SEVERITY_LABEL, type DataPath, type Diagnostic, type Severity, type Span } from '../diagnostics/diagnostic.js';
import type { DataPath, Diagnostic, Span } from '../diagnostics/diagnostic.js';

export interface CheckedReport {
  readonly file: string;
  /** false when the input could not be read as a report at all (exit 2): encoding, syntax, not a mapping. */
  readonly usable: boolean;
  /** The validated report: present only when there are no errors (warnings allowed). */
  readonly report?: Report;
  /** The parsed data even when it has errors (undefined when unusable); for cross-report checks. */
  readonly data?: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /**
   * The parsed YAML, for callers that need more positions (the workspace checks), so the file is not
   * parsed twice. Only when it was parsed from the text exactly as written (no placeholder stood in)
   * and without any YAML error.
   */
  readonly parsed?: { readonly text: string; readonly doc: Document.Parsed; readonly lineCounter: LineCounter };
  /** Where a data path is written in the YAML (the nearest existing ancestor when the path is missing). */
  locate(path: DataPath): Span;
}
