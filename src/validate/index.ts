/**
 * Checking one report file: decode → YAML with positions → JSON Schema of its edition (with the
 * 勾稽关系 as custom keywords) → REPORT_CHECKS → Chinese diagnostics at YAML line:col.
 * Never throws for bad input: every problem becomes a diagnostic.
 */
import { readFile, stat } from 'node:fs/promises';
import { EDITION_IDS, editionForYear, officialGrid, TABLE_IDS, type EditionId } from '../format/official.js';
import type { Report } from '../format/report.js';
import { readFailureReason } from '../diagnostics/errors.js';
import { decodeReport } from '../load/decode.js';
import { loadYaml } from '../load/yaml.js';
import { REPORT_CHECKS, type ReportCheckContext } from './checks.js';
import { characterProblems, type GlyphCoverage } from './characters.js';
import { figureFormProblems, figureTexts } from './figures.js';
import { findingOf, type Finding } from './messages.js';
import type { ValidateFunction } from 'ajv';
import { validatorFor } from './schemas.js';
import type { CheckedReport, DataPath, Diagnostic } from './types.js';
import { makeDiagnostic } from './diagnostic.js';
import { WHOLE_FILE, type Span } from '../diagnostics/diagnostic.js';

export type { CheckedReport, Diagnostic } from './types.js';
export type { GlyphCoverage, TextRole } from './characters.js';

const nowhere = (): Span => WHOLE_FILE;

/** Keys that hold a single figure (`issued`, `amount`, …), from the grids of both editions. */
let cellKeys: Set<string> | undefined;
function figureKeys(): Set<string> {
  cellKeys ??= new Set(
    EDITION_IDS.flatMap((e) => TABLE_IDS.flatMap((t) => officialGrid(e, t).dataCells().map((c) => c.path!.split('.').at(-1)!))).filter((k) => !/^\d+$/.test(k)),
  );
  return cellKeys;
}

function unusable(file: string, span: Span, rule: string, message: string, hint?: string): CheckedReport {
  return { file, usable: false, diagnostics: [makeDiagnostic(file, span, 'error', rule, message, hint)], locate: nowhere };
}

/**
 * The largest report file read. A real report is well under 100 KB; without a limit a huge file
 * would be parsed (yaml holds every node in memory) and built into documents just as huge.
 */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024;

/** A size as a person reads it and exactly: `5.02 MB（5,262,880 字节）`; never rounded onto the limit it exceeds. */
const sizeText = (bytes: number) => {
  const mb = bytes / (1024 * 1024);
  const shown = Number.isInteger(mb) ? String(mb) : (Math.floor(mb * 100) / 100).toFixed(2);
  return `${shown} MB（${bytes.toLocaleString('en-US')} 字节）`;
};

function tooLarge(file: string, bytes: number): CheckedReport {
  return unusable(
    file,
    WHOLE_FILE,
    'FILE-TOO-LARGE',
    `文件过大：${sizeText(bytes)}，超过 ${sizeText(MAX_REPORT_BYTES)}的上限，未读取`,
    '一份年度报告通常不足 100 KB：确认选择的是报告文件，删去误粘贴的大段内容',
  );
}

export async function checkFile(file: string, options: CheckOptions = {}): Promise<CheckedReport> {
  const read = await readReportFile(file);
  return read instanceof Uint8Array ? checkText(read, file, options) : read;
}

/**
 * A report file's bytes, or the finding that it cannot be one: missing, a folder, unreadable, or too
 * large (the size is asked first: a huge file is refused without being read). `file` is the name the
 * finding shows (`path` when not given).
 */
export async function readReportFile(path: string, file = path): Promise<Uint8Array | CheckedReport> {
  try {
    const info = await stat(path);
    if (info.isFile() && info.size > MAX_REPORT_BYTES) return tooLarge(file, info.size);
    return await readFile(path);
  } catch (error) {
    const why = readFailureReason(error) ?? `无法读取（${(error as NodeJS.ErrnoException).code ?? String(error)}）`;
    return unusable(file, WHOLE_FILE, 'FILE', `${why}：${file}`);
  }
}

/** The edition a file is checked against: its `format`, else the one its `year` requires, else 2021. */
export function chooseEdition(data: Record<string, unknown>): EditionId {
  const format = String(data.format ?? '');
  if ((EDITION_IDS as readonly string[]).includes(format)) return format as EditionId;
  if (typeof data.year === 'number') return editionForYear(data.year) ?? '2021';
  return '2021';
}

export interface CheckOptions {
  /** The schema validator of an edition; default: the one generated at build time (tests compare it with the runtime-compiled one). */
  readonly validatorFor?: (edition: EditionId) => ValidateFunction;
  /**
   * The glyph coverage of the PDF fonts the report will be built with: every character of its text
   * must be drawable. Given by the caller (the fonts live in the renderer); without it only the
   * characters no output can publish (invisible, bidi, control) are checked.
   */
  readonly glyphs?: GlyphCoverage;
}

export function checkText(input: string | Uint8Array, file: string, options: CheckOptions = {}): CheckedReport {
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.byteLength;
  if (size > MAX_REPORT_BYTES) return tooLarge(file, size);
  const decoded = decodeReport(input);
  if (!decoded.ok) return unusable(file, decoded.span, 'ENCODING', decoded.message, decoded.hint);
  const yaml = loadYaml(decoded.text, { cellKeys: figureKeys() });
  const diagnostic = (span: Span, severity: Diagnostic['severity'], rule: string, message: string, hint?: string): Diagnostic => makeDiagnostic(file, span, severity, rule, message, hint);
  const yamlDiagnostics = yaml.problems.map((p) => diagnostic(p, 'error', p.rule, p.message, p.hint));
  const locate = (path: DataPath) => yaml.locate(path);
  if (yaml.problems.some((p) => p.fatal)) {
    return { file, usable: false, diagnostics: sorted(yamlDiagnostics), locate };
  }
  const data = yaml.data;
  if (data === null || data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    const what =
      data === null || data === undefined
        ? '文件是空的（或只有注释）'
        : Array.isArray(data)
          ? '文件顶层是一个列表'
          : `文件内容只是一个值「${String(data).slice(0, 30)}」`;
    const message = `${what}，不是一份年度报告`;
    const hint = '报告应以 format: "2021"、year: 2024 等键值对开头；可用 nianbao init 生成模板';
    return { file, usable: false, data, diagnostics: sorted([...yamlDiagnostics, diagnostic(WHOLE_FILE, 'error', 'NOT-A-REPORT', message, hint)]), locate };
  }
  const record = data as Record<string, unknown>;
  const edition = chooseEdition(record);
  const validate = (options.validatorFor ?? validatorFor)(edition);
  const valid = validate(record);
  const findings: Finding[] = [];
  for (const error of valid ? [] : (validate.errors ?? [])) {
    const finding = findingOf(edition, error, record, (path) => yaml.written(path));
    if (finding && !yaml.tagged(finding.path)) findings.push(finding);
  }
  const toDiagnostic = (f: Finding) => {
    return diagnostic(f.atKey ? yaml.locateKey(f.path) : yaml.locate(f.path), f.severity, f.rule, f.message, f.hint);
  };
  const reported = new Set(findings.map((f) => f.path.join('.')));
  // a cell reported already, or in a row reported as a whole (its items are out of place), is not judged again
  // (most reports have no such finding: then no figure's path prefixes are spelt out)
  const alreadyReported = (p: DataPath) => (reported.size > 0 && p.some((_, i) => reported.has(p.slice(0, i + 1).join('.')))) || yaml.tagged(p);
  for (const { path, message, hint } of figureFormProblems(edition, (p) => yaml.written(p), alreadyReported)) {
    findings.push({ path, severity: 'error', rule: 'CELL-FORM', message, ...(hint ? { hint } : {}) });
  }
  const schemaDiagnostics = findings.map(toDiagnostic);
  const schemaPassed = !schemaDiagnostics.some((d) => d.severity === 'error') && !yamlDiagnostics.length;
  const ctx: ReportCheckContext = {
    file,
    data: record,
    ...(schemaPassed ? { report: record as unknown as Report } : {}),
    edition,
    locate,
    source: { text: yaml.text, doc: yaml.doc, lineCounter: yaml.lineCounter },
    diagnostic: (path, severity, rule, message, hint, passage) => diagnostic(passage === undefined ? yaml.locate(path) : yaml.locateText(path, passage), severity, rule, message, hint),
  };
  const checkDiagnostics: Diagnostic[] = characterProblems(yaml.doc, yaml.text, yaml.lineCounter, edition, options.glyphs).map((p) =>
    diagnostic(p, 'error', p.rule, p.message, p.hint),
  );
  for (const check of REPORT_CHECKS) {
    try {
      checkDiagnostics.push(...check(ctx));
    } catch (error) {
      // A check that trips over odd data must not hide the other findings.
      checkDiagnostics.push(diagnostic(WHOLE_FILE, 'error', 'INTERNAL', `nianbao 内部错误（${check.name || '检查'}）：${error instanceof Error ? error.message : String(error)}`));
    }
  }
  const diagnostics = sorted(dedupe([...yamlDiagnostics, ...schemaDiagnostics, ...checkDiagnostics]));
  const hasErrors = diagnostics.some((d) => d.severity === 'error');
  const parsed = yaml.text === decoded.text && yaml.doc.errors.length === 0 ? { parsed: { text: yaml.text, doc: yaml.doc, lineCounter: yaml.lineCounter } } : {};
  // the report carries each figure's text as written: that, not a float's rendering, is published
  const report = hasErrors ? undefined : ({ ...record, figureText: figureTexts(edition, record, (p) => yaml.written(p)) } as unknown as Report);
  return { file, usable: true, data: record, ...(report ? { report } : {}), diagnostics, locate, ...parsed };
}

function dedupe(list: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.line}:${d.col}:${d.rule}:${d.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function sorted(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.line - b.line || a.col - b.col || a.endLine - b.endLine || a.endCol - b.endCol);
}
