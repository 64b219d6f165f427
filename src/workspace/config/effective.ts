/**
 * The merge of nianbao.yaml into a report: what a report "really" says once county defaults apply.
 *
 * Rules (documented in the README):
 * 1. `agency`: every key of nianbao.yaml's `agency` fills the report's `agency` only where the report
 *    has no value for it (key absent, null or empty text). The report always wins; `name` is never
 *    defaulted. Default texts may use {name} (the report's agency.name), {short} (the name without
 *    人民政府/政府), {year} and {file} (the report file name without extension).
 * 2. Everything else in the report (figures, narrative, date) is never touched.
 * 3. Output files: <output>/<file_name>.<format> for each format of `formats`; templates and fonts
 *    come from nianbao.yaml only (`workspaceRendering`, used by the batch build and by
 *    `nianbao build <file>` for a report inside the workspace alike).
 */
import path from 'node:path';
import type { Agency, Report } from '../../format/report.js';
import type { FontOverrides } from '../../render/docx/index.js';
import type { FontRole } from '../../render/layout.js';
import { safeSegment } from '../../render/file-names.js';
import { AGENCY_DEFAULT_KEYS, type FontSetting, type OutputFormat, type WorkspaceConfig } from './config.js';

/** 兴国镇人民政府 → 兴国镇 (used for file names and to spot another agency's name in a text). */
export function shortName(name: string): string {
  const short = name.replace(/(人民政府|政府)$/, '');
  return short.length >= 2 ? short : name;
}

export interface PlaceholderValues {
  readonly name: string;
  readonly year: number | string;
  readonly file: string;
}

export function fillPlaceholders(pattern: string, values: PlaceholderValues, sanitize = false): string {
  const clean = (v: string) => (sanitize ? v.replace(/[\\/]/g, '_') : v);
  return pattern
    .replaceAll('{name}', clean(values.name))
    .replaceAll('{short}', clean(shortName(values.name)))
    .replaceAll('{year}', clean(String(values.year)))
    .replaceAll('{file}', clean(values.file));
}

export type ValueSource = 'report' | 'nianbao.yaml';

export interface EffectiveAgency {
  readonly agency: Agency;
  /** Where each agency key's value came from. */
  readonly sources: Readonly<Record<string, ValueSource>>;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Rule 1: county defaults under the report's own agency keys. */
export function mergeAgency(config: Pick<WorkspaceConfig, 'agency'>, reportAgency: Agency, year: number | string, file: string): EffectiveAgency {
  const agency: Record<string, unknown> = { ...reportAgency };
  const sources: Record<string, ValueSource> = {};
  for (const key of Object.keys(reportAgency)) if (!isBlank(reportAgency[key])) sources[key] = 'report';
  for (const key of AGENCY_DEFAULT_KEYS) {
    const value = config.agency[key];
    if (value === undefined || !isBlank(reportAgency[key])) continue;
    agency[key] = fillPlaceholders(value, { name: String(reportAgency.name ?? ''), year, file });
    sources[key] = 'nianbao.yaml';
  }
  return { agency: agency as Agency, sources };
}

/** The report as it is built: defaults merged, nothing else changed. */
export function effectiveReport(config: WorkspaceConfig, report: Report, file: string): Report {
  const { agency } = mergeAgency(config, report.agency, report.year, reportStem(file));
  return { ...report, agency } as Report;
}

/** Rule 3: what nianbao.yaml sets for rendering every report of the workspace. */
export interface WorkspaceRendering {
  /** The county template folder (if any), searched before the bundled templates. */
  readonly templateDirs: readonly string[];
  /** PDF font files per role. */
  readonly pdfFonts: Partial<Record<FontRole, FontSetting>>;
  /** Face names the docx names per role. */
  readonly docxFonts: FontOverrides;
}

export function workspaceRendering(config: Pick<WorkspaceConfig, 'templates' | 'fonts' | 'wordFonts'>): WorkspaceRendering {
  return { templateDirs: config.templates ? [config.templates] : [], pdfFonts: withBoldBody(config.fonts), docxFonts: withBoldBody(config.wordFonts) };
}

/**
 * Level-3 headings (bold 仿宋) take the county's body face when it names one and no `heading3`: its own
 * 仿宋 without bold (a county's single 仿宋 file has no bold; the docx and HTML embolden it) rather than
 * the bundled bold serif beside its 仿宋 body.
 */
function withBoldBody<T>(fonts: Partial<Record<FontRole, T>>): Partial<Record<FontRole, T>> {
  return fonts.body !== undefined && fonts.heading3 === undefined ? { ...fonts, heading3: fonts.body } : fonts;
}

export function reportStem(file: string): string {
  return path.basename(file).replace(/\.ya?ml$/i, '');
}

/**
 * Rule 3: the output path of a report without extension, absolute. A placeholder's value never adds a
 * folder (its separators become _), and every segment is made safe on every system (file-names.ts:
 * no `..`, no CON or aux, no `:`, at most 235 UTF-8 bytes), so the path stays inside the output folder.
 */
export function outputBase(config: Pick<WorkspaceConfig, 'output' | 'fileName'>, name: string, year: number | string, file: string): string {
  const filled = fillPlaceholders(config.fileName, { name, year, file: reportStem(file) }, true);
  return path.join(config.output, ...filled.split(/[\\/]/).map((segment) => safeSegment(segment)));
}

export function outputFiles(config: Pick<WorkspaceConfig, 'output' | 'fileName' | 'formats'>, name: string, year: number | string, file: string): Record<OutputFormat, string> {
  const base = outputBase(config, name, year, file);
  return Object.fromEntries(config.formats.map((f) => [f, `${base}.${f}`])) as Record<OutputFormat, string>;
}
