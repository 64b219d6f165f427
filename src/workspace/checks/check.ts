/**
 * `nianbao check` in a workspace: every report checked on its own (src/validate), then the
 * cross-report checks — last year's report (X-T3, X-T2-21, X-T2-19), narrative against tables,
 * other agencies' names and 内容雷同.
 */
import { WHOLE_FILE, type Span } from '../../diagnostics/diagnostic.js';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { pdfGlyphCoverage } from '../../render/pdf/coverage.js';
import { checkFile, checkText, readReportFile } from '../../validate/index.js';
import { decodeReport } from '../../load/decode.js';
import type { CheckedReport, Diagnostic } from '../../validate/types.js';
import type { EditionId } from '../../format/official.js';
import type { Report } from '../../format/report.js';
import type { WorkspaceConfig } from '../config/config.js';
import { isWithin } from '../config/config.js';
import { crossYearDiagnostics } from './cross-year.js';
import { discoverReports, toPosix } from '../config/discover.js';
import { at, entryFromSource, type ReportEntry } from './entry.js';
import { makeDiagnostic } from '../../validate/diagnostic.js';
import { buildDocument, TemplateError } from '../../model/build-document.js';
import { effectiveReport } from '../config/effective.js';
import { reportTextDiagnostics } from './report/report-checks.js';
import { applyTuning, sectionRuleDiagnostics, unusedWaivers, type Waiver } from './tuning.js';
import { SectionIndex, workspaceSimilarity } from './similarity.js';
import { AgencyNames } from './foreign-names.js';
import { planOutputs } from './outputs.js';
import { YamlSource } from '../config/source.js';
import { OwnCheckCache, type CacheMode, type OwnResult } from './own-cache.js';

export interface CheckedEntry {
  readonly entry: ReportEntry;
  readonly checked: CheckedReport;
  /** Path relative to the workspace root, with / separators (stable across machines). */
  readonly rel: string;
  /** The report's own diagnostics plus the workspace checks, sorted by line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** No errors (warnings allowed): the report may be built. */
  readonly ok: boolean;
  /** Last year's report, when found. */
  readonly previous?: ReportEntry;
  /** where agency.name is written (found while the report was parsed, for a message about its output files) */
  readonly namePosition: Span;
}

export interface WorkspaceCheck {
  readonly config: WorkspaceConfig;
  readonly reports: readonly CheckedEntry[];
  readonly ok: boolean;
  /** Reports whose own checks an earlier run had done on the same inputs (own-cache.ts). */
  readonly fromCache: number;
}

export type Checker = (file: string) => Promise<CheckedReport>;

/** A report that passed its own checks (the county's severities and waivers applied), as plain data. */
export interface PassedReport {
  /** its POSIX path relative to the workspace root (what shards deal by) */
  readonly rel: string;
  readonly abs: string;
  readonly name?: string;
  readonly year?: number;
  readonly report: Report;
}

/**
 * Takes reports as soon as they pass their own checks, while the cross-report checks still wait for the
 * rest of the workspace: the batch build renders them meanwhile (and publishes them only on the whole
 * check's verdict). Asked first, so that a report nobody wants now is not copied to another thread.
 */
export interface PassedFeed {
  wants(rel: string): boolean;
  offer(report: PassedReport): void;
}

/**
 * What a batch build needs of a checked report, as plain data: the check can then run on a thread of
 * its own, whose memory (every report parsed at once) is returned when it ends, before rendering.
 */
export interface CheckedSummary {
  /** Path relative to the workspace root, / separated. */
  readonly rel: string;
  /** The path diagnostics show. */
  readonly file: string;
  readonly abs: string;
  readonly name?: string;
  readonly year?: number;
  readonly edition?: EditionId;
  /** false when the file could not be read as a report at all */
  readonly usable: boolean;
  /** no errors: the report may be built */
  readonly ok: boolean;
  /** the checked report (when it has no errors of its own) */
  readonly report?: Report;
  readonly diagnostics: readonly Diagnostic[];
  /** where agency.name is written, for a message about the report's output files */
  readonly namePosition: Span;
}

export function summarize(report: CheckedEntry): CheckedSummary {
  const { entry } = report;
  return {
    rel: report.rel,
    file: entry.file,
    abs: entry.abs,
    ...(entry.name !== undefined ? { name: entry.name } : {}),
    ...(entry.year !== undefined ? { year: entry.year } : {}),
    ...(entry.edition ? { edition: entry.edition } : {}),
    usable: report.checked.usable,
    ok: report.ok,
    ...(report.checked.report ? { report: report.checked.report } : {}),
    diagnostics: report.diagnostics,
    namePosition: report.namePosition,
  };
}

/** The path diagnostics use: relative to the current directory, as a person would type it. */
export function displayPath(absolute: string): string {
  return path.relative(process.cwd(), absolute) || absolute;
}

/** Reports read and checked at once: enough to keep the disk busy, few enough not to hold them all parsed. */
const READ_AHEAD = 8;

export interface CheckWorkspaceOptions {
  /** Only these reports (absolute paths) are checked, while still compared with all. */
  readonly only?: readonly string[];
  /** Checks one report file instead of src/validate (tests); no cache then. */
  readonly checker?: Checker;
  readonly passed?: PassedFeed;
  /** The memory of each report's own checks (own-cache.ts): read and written, or only written. */
  readonly cache?: CacheMode;
}

/** A report after the first pass: its own checks done, its parsed YAML let go. */
interface OwnChecked {
  readonly checked: CheckedReport;
  readonly entry: ReportEntry & { readonly rel: string };
  readonly local: readonly Diagnostic[];
  readonly namePosition: Span;
}

/**
 * Checks every report of the workspace (or only `only`, absolute paths, while still comparing with all).
 *
 * Two passes, so that memory does not grow with every report parsed at once (a province's workspace
 * holds thousands): first each report on its own, its parsed YAML dropped as soon as its own checks
 * have their positions; then the cross-report checks, which need only what every report keeps (its
 * data, the names, the index of its sections) and parse a report's text again only to place a finding.
 * With `cache`, a report's first pass comes from an earlier run's when nothing it depends on changed.
 */
export async function checkWorkspace(config: WorkspaceConfig, options: CheckWorkspaceOptions = {}): Promise<WorkspaceCheck> {
  // every character checked against the workspace's PDF fonts (the bundled ones where it names none)
  const glyphs = options.checker ? undefined : pdfGlyphCoverage(config.fonts);
  const checker = options.checker ?? ((file: string) => checkFile(file, { glyphs }));
  const cache = options.cache && !options.checker ? new OwnCheckCache(config, options.cache) : undefined;
  const files = discoverReports(config);
  const wanted = options.only ? new Set(options.only.map((f) => path.resolve(f))) : undefined;
  const own: OwnChecked[] = new Array(files.length);
  await eachAtMost(files, READ_AHEAD, async (abs, i) => {
    const display = displayPath(abs);
    const rel = toPosix(path.relative(config.root, abs));
    const complete = !wanted || wanted.has(abs);
    // with a cache the bytes are read here, for the key; a file that cannot be read is the finding that says so
    const read = cache ? await readReportFile(abs, display) : undefined;
    const bytes = read instanceof Uint8Array ? read : undefined;
    const unreadable = read instanceof Uint8Array ? undefined : read;
    const key = bytes && cache!.key(display, rel, bytes);
    const stored = key ? cache!.get(key) : undefined;
    const fresh = stored ? undefined : checkOwn(bytes ? checkText(bytes, display, { glyphs }) : (unreadable ?? (await checker(display))), abs, rel, config, complete);
    if (key && fresh?.cacheable && complete) {
      const { checked, local, namePosition } = fresh;
      cache!.put(key, { ...(checked.report ? { report: checked.report } : {}), data: checked.data, diagnostics: checked.diagnostics, local, namePosition });
    }
    const result = fresh ?? fromCache(stored!, bytes!, abs, display, rel, config, complete);
    const { checked, entry, local } = result;
    if (options.passed && checked.report && options.passed.wants(entry.rel)) {
      // the report's own verdict: the whole check's can only add findings (waivers and severities apply per finding)
      const verdict = applyTuning([...checked.diagnostics, ...local], config.tuning, entry.rel, new Set());
      if (!verdict.some((d) => d.severity === 'error')) {
        options.passed.offer({ rel: entry.rel, abs, ...(entry.name !== undefined ? { name: entry.name } : {}), ...(entry.year !== undefined ? { year: entry.year } : {}), report: checked.report });
      }
    }
    own[i] = result;
  });
  // results no report has any more (edited or gone) are removed, after a check of the whole workspace
  if (cache && !wanted) cache.prune();
  const entries = own.map((o) => o.entry);
  // where every report's files would go, across the whole workspace: a clash (WS-OUTPUT) is the report's
  // error here, not only when the batch build meets it
  const namePositions = new Map(own.map((o) => [o.entry, o.namePosition]));
  const plan = planOutputs(config, entries, (entry) => namePositions.get(entry)!);

  // Grouped once, not searched per report: a county workspace holds a thousand reports.
  const byAgencyYear = groupBy(entries, agencyYear);
  // one automaton of every agency's name, one index of every report's sections (内容雷同 with every
  // other agency's report of any year): made once, each report then scanned and looked up once
  let names: AgencyNames | undefined;
  let sectionIndex: SectionIndex | undefined;
  const reports: CheckedEntry[] = [];
  const usedWaivers = new Set<Waiver>();
  for (const [i, entry] of entries.entries()) {
    if (wanted && !wanted.has(entry.abs)) continue;
    const { checked, local, namePosition } = own[i];
    const extra: Diagnostic[] = [];
    let previous: ReportEntry | undefined;
    if (checked.usable && entry.data) {
      const found = findPrevious(entry, entries, config, byAgencyYear);
      extra.push(...found.diagnostics);
      previous = found.previous;
      if (previous) extra.push(...crossYearDiagnostics(entry, previous));
      extra.push(...local);
      extra.push(...(names ??= new AgencyNames(entries)).diagnostics(entry));
      extra.push(...workspaceSimilarity(entry, previous, config.similarity, (sectionIndex ??= new SectionIndex(entries))));
      extra.push(...duplicateDiagnostics(entry, byAgencyYear));
    }
    const rel = entry.rel;
    const clash = plan.get(entry)?.clash;
    const diagnostics = [...sortByPosition(applyTuning([...checked.diagnostics, ...extra], config.tuning, rel, usedWaivers)), ...(clash ? [clash] : [])];
    const ok = checked.usable && !diagnostics.some((d) => d.severity === 'error');
    reports.push({ entry, checked, rel, diagnostics, ok, namePosition, ...(previous ? { previous } : {}) });
    // a finding placed above parsed the text again: let it go before the next report
    entry.source.compact();
  }
  const stale = unusedWaivers(config.tuning, new Set(reports.map((r) => r.rel)), usedWaivers, displayPath(config.configFile));
  if (stale.length > 0 && reports.length > 0) reports[0] = { ...reports[0], diagnostics: [...reports[0].diagnostics, ...stale] };
  templateDiagnostics(config, reports);
  return { config, reports, ok: reports.every((r) => r.ok), fromCache: cache?.hits ?? 0 };
}

/** `work` on every item, at most `limit` at a time. */
async function eachAtMost<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** The first pass of one report: its own checks, and the workspace's checks of its text and sections. */
function checkOwn(checked: CheckedReport, abs: string, rel: string, config: WorkspaceConfig, complete: boolean): OwnChecked & { readonly cacheable: boolean } {
  const parsed = checked.parsed;
  const source = parsed ? new YamlSource(parsed.text, checked.file, parsed) : sourceOf(abs, checked.file);
  const entry = { ...entryFromSource(abs, source, config, parsed ? checked.data : undefined), rel };
  const local = complete && checked.usable && entry.data ? [...reportTextDiagnostics(entry), ...sectionRuleDiagnostics(entry, config.tuning.sections)] : [];
  // placed now, while the text is parsed: asked of every report later (output plans, the build's summaries)
  const namePosition = source.locate(['agency', 'name']);
  source.compact();
  // only a report parsed exactly as written is kept: its text then gives every position again
  return { checked: withoutParse(checked, entry), entry, local, namePosition, cacheable: parsed !== undefined };
}

/** The first pass of one report as an earlier run left it (own-cache.ts); its text is parsed again only to place a finding. */
function fromCache(stored: OwnResult, bytes: Uint8Array, abs: string, display: string, rel: string, config: WorkspaceConfig, complete: boolean): OwnChecked {
  const decoded = decodeReport(bytes);
  const source = new YamlSource(decoded.ok ? decoded.text : '', display);
  const entry = { ...entryFromSource(abs, source, config, stored.data), rel };
  const checked: CheckedReport = {
    file: display,
    usable: true,
    data: stored.data,
    ...(stored.report ? { report: stored.report } : {}),
    diagnostics: stored.diagnostics,
    locate: (path) => source.locate(path),
  };
  return { checked, entry, local: complete ? stored.local : [], namePosition: stored.namePosition };
}

/**
 * A county template with an error fails every report it renders: `check` finds it (it renders each
 * passing report's document, without writing anything) rather than `build`, and says it once, at
 * the first report it stops, with how many it stops; the others are marked as not buildable.
 * Only with a county template: the bundled ones are tested.
 */
function templateDiagnostics(config: WorkspaceConfig, reports: CheckedEntry[]): void {
  if (!config.templates) return;
  const seen = new Map<string, { report: CheckedEntry; count: number }>();
  for (const [i, report] of reports.entries()) {
    if (!report.ok || !report.checked.report) continue;
    try {
      buildDocument(effectiveReport(config, report.checked.report, report.entry.abs), { templateDirs: [config.templates] });
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      const first = seen.get(error.message);
      if (first) first.count++;
      else seen.set(error.message, { report, count: 1 });
      reports[i] = { ...report, ok: false };
    }
  }
  for (const [message, { report, count }] of seen) {
    const i = reports.findIndex((r) => r.entry === report.entry);
    const more = count > 1 ? `；同一错误使 ${count} 份报告都无法生成，只在此报告一次` : '';
    const d = makeDiagnostic(report.entry.file, WHOLE_FILE, 'error', 'TEMPLATE', `县级模板错误，按此模板无法生成报告：${message}${more}`);
    reports[i] = { ...reports[i], diagnostics: [...reports[i].diagnostics, d] };
  }
}

/** A checked report without the loader's parsed file (positions are asked of the entry's source). */
function withoutParse(checked: CheckedReport, entry: ReportEntry): CheckedReport {
  const { parsed: _parsed, locate: _locate, ...rest } = checked;
  return { ...rest, locate: (path) => entry.source.locate(path) };
}

function sourceOf(abs: string, display: string): YamlSource {
  try {
    return YamlSource.read(abs, display);
  } catch {
    return new YamlSource('', display);
  }
}

function sortByPosition(list: Diagnostic[]): Diagnostic[] {
  return list.sort((a, b) => a.line - b.line || a.col - b.col || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0));
}

/**
 * Last year's report: named by `previous:` (a path relative to the report file), or else the
 * workspace report of the same agency.name and year − 1.
 */
export function findPrevious(
  entry: ReportEntry,
  entries: readonly ReportEntry[],
  config: Pick<WorkspaceConfig, 'root'>,
  byAgencyYear: ReadonlyMap<string | undefined, readonly ReportEntry[]> = groupBy(entries, agencyYear),
): { previous?: ReportEntry; diagnostics: Diagnostic[] } {
  const named = entry.data?.previous;
  if (named !== undefined) {
    if (typeof named !== 'string' || named.trim() === '') return { diagnostics: [at(entry, ['previous'], 'error', 'WS-PREVIOUS', '「previous」为空或不是文字，应为上年报告文件的路径')] };
    const target = path.resolve(path.dirname(entry.abs), named);
    if (!isWithin(config.root, target)) return { diagnostics: [at(entry, ['previous'], 'error', 'WS-PREVIOUS', `「previous」指向的「${named}」在工作区之外`)] };
    const found = entries.find((e) => e.abs === target);
    if (!found) {
      const why = existsSync(target) ? '不在工作区的报告文件夹中' : '不存在';
      return { diagnostics: [at(entry, ['previous'], 'error', 'WS-PREVIOUS', `「previous」指向的上年报告「${named}」${why}`)] };
    }
    const diagnostics: Diagnostic[] = [];
    if (entry.year !== undefined && found.year !== undefined && found.year !== entry.year - 1) {
      diagnostics.push(at(entry, ['previous'], 'warning', 'WS-PREVIOUS', `「previous」指向的是 ${found.year} 年的报告，不是上一年（${entry.year - 1} 年）的`));
    }
    return { previous: found, diagnostics };
  }
  if (entry.name === undefined || entry.year === undefined) return { diagnostics: [] };
  const candidates = byAgencyYear.get(agencyYear({ name: entry.name, year: entry.year - 1 })) ?? [];
  return candidates.length === 1 ? { previous: candidates[0], diagnostics: [] } : { diagnostics: [] };
}

/** Two reports of the same agency and year would overwrite each other's outputs. */
function duplicateDiagnostics(entry: ReportEntry, byAgencyYear: ReadonlyMap<string | undefined, readonly ReportEntry[]>): Diagnostic[] {
  if (entry.name === undefined || entry.year === undefined) return [];
  const twins = (byAgencyYear.get(agencyYear(entry)) ?? []).filter((e) => e !== entry);
  if (twins.length === 0) return [];
  return [at(entry, ['agency', 'name'], 'error', 'WS-DUPLICATE', `工作区中还有 ${twins.map((t) => t.rel ?? t.file).join('、')} 也是 ${entry.name} ${entry.year} 年的报告；每个机关每年只能有一份`)];
}

/** The key of an agency's report of a year (undefined when either is unknown). */
function agencyYear(entry: { readonly name?: string; readonly year?: number }): string | undefined {
  return entry.name === undefined || entry.year === undefined ? undefined : `${entry.name}\0${entry.year}`;
}

/** Entries by key, in workspace order; entries without a key are left out. */
function groupBy(entries: readonly ReportEntry[], keyOf: (entry: ReportEntry) => string | undefined): Map<string | undefined, ReportEntry[]> {
  const groups = new Map<string | undefined, ReportEntry[]>();
  for (const entry of entries) {
    const key = keyOf(entry);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  return groups;
}
