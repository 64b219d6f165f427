/**
 * `nianbao build` in a workspace: check every report (with the cross-report checks), build those
 * that pass on worker threads, leave the outputs of those that fail untouched, and write index.html.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { bundledFontFile, FONT_ROLES, readSharedFontFiles } from '../../render/pdf/font-files.js';
import { UserError } from '../../diagnostics/errors.js';
import { acquireOutputLock, recoverOutput, writeFileAtomic } from '../../render/write.js';
import type { Diagnostic } from '../../validate/types.js';
import { checkWorkspace, summarize, type CheckedSummary, type Checker } from '../checks/check.js';
import { checkWorkspaceInThread } from '../checks/check-thread.js';
import type { OutputFormat, WorkspaceConfig } from '../config/config.js';
import { effectiveReport, outputFiles, shortName, workspaceRendering } from '../config/effective.js';
import { toPosix } from '../config/discover.js';
import { INDEX_FILE, planOutputs } from '../checks/outputs.js';
import { renderIndex, type IndexRow, type RowStatus } from './index-page.js';
import { defaultJobs, RenderPool, type BuildJob, type BuildJobResult } from './pool.js';
import type { Progress } from './progress.js';
import { entryFiles, jobDigest, readManifest, removeStale, sharedInputsDigest, upToDate, writeManifest, type Manifest, type ManifestEntry } from './manifest.js';
import { inShard, type Shard } from './shard.js';

export interface BatchOptions {
  readonly shard?: Shard;
  /** Worker threads, at most (default: one per 25 reports to render, at most one per core). */
  readonly jobs?: number;
  readonly progress?: Progress;
  readonly checker?: Checker;
  /** Render every report, even those whose files are up to date (manifest.ts). */
  readonly force?: boolean;
}

export interface BatchReport {
  readonly entry: CheckedSummary;
  /** In this run's shard (only those are built). */
  readonly selected: boolean;
  readonly status: RowStatus;
  readonly outputs: Partial<Record<OutputFormat, string>>;
  readonly diagnostics: readonly Diagnostic[];
  readonly renderError?: string;
  /** Its files were already as this build would write them: not rendered again. */
  readonly upToDate: boolean;
}

/** The workspace check as the batch build keeps it. */
export interface BatchCheck {
  readonly config: WorkspaceConfig;
  readonly reports: readonly CheckedSummary[];
}

export interface BatchResult {
  readonly check: BatchCheck;
  readonly reports: readonly BatchReport[];
  readonly indexFile: string;
  /** Files of reports no longer in the workspace, removed (relative to the output folder). */
  readonly removed: readonly string[];
  /** Every report of the shard passed its check and was built. */
  readonly ok: boolean;
}

export { INDEX_FILE };

/** V8's heap growing factor in percent for the batch build (V8 chooses up to 300 by itself). */
const HEAP_GROWING_PERCENT = 100;

/**
 * Lets V8 grow a heap by at most 100% after each full collection, in every thread of the process. A
 * renderer's live set is about 50 MB, but V8 let each worker's heap grow to some 250 MB of garbage before
 * collecting it. Measured on the 1,000-report workspace (README, 性能): by default 50–51 s and 600 MB, at
 * 100% 55 s and 425–445 MB, at 40% 60–62 s and 360–440 MB; capping the workers' heaps with
 * `resourceLimits` instead cost more time for the same memory. The flag is read at every collection,
 * so setting it once the check is done takes effect in the workers' heaps, which exist already.
 */
function tightenHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** The workspace check, on a thread of its own (check-thread.ts) unless a checker of the caller's must run here. */
async function checkSummaries(config: WorkspaceConfig, checker: Checker | undefined): Promise<readonly CheckedSummary[]> {
  return checker ? (await checkWorkspace(config, { checker })).reports.map(summarize) : checkWorkspaceInThread(config);
}

/** Reports one worker renders before a second one pays for its start (about a second of CPU each). */
const REPORTS_PER_WORKER = 25;

/** Workers for `reports` reports to render: one per 25, at most the requested number (at least one). */
export function workersFor(requested: number, reports: number): number {
  return Math.max(1, Math.min(requested, Math.ceil(reports / REPORTS_PER_WORKER)));
}

export async function buildWorkspace(config: WorkspaceConfig, options: BatchOptions = {}): Promise<BatchResult> {
  // One build at a time writes into an output folder; what a killed build left is finished or removed first.
  const lock = await acquireOutputLock(config.output);
  let pool: RenderPool | undefined;
  try {
    recoverOutput(config.output, true);
    // --force renders everything, but still reads the manifest: the files it lists for reports that are gone
    // (or are another shard's and out of date) are removed all the same.
    const previous = readManifest(config);
    // --jobs is honoured as given (never more workers than reports); by default one worker per 25 reports,
    // at most one per core
    const threads = (reports: number) => (options.jobs !== undefined ? Math.max(1, Math.min(options.jobs, reports)) : workersFor(defaultJobs(), reports));
    // The fonts are read once, here, and shared with the workers.
    const start = (workers: number) => {
      const fontFiles = config.formats.includes('pdf') ? readSharedFontFiles(FONT_ROLES.map((role) => config.fonts[role]?.file ?? bundledFontFile(role))) : undefined;
      return new RenderPool(workers, { ...(fontFiles ? { fontFiles } : {}), formats: config.formats, pdfFonts: config.fonts });
    };
    // The workers start once the check has ended and returned its heap, and no more of them than reports to
    // render (none when nothing changed: each costs about a second of CPU to start). Started before the check,
    // so that their loading ran on the other core, they and the check's heap (some 200 MB for 1,000 reports)
    // were the build's peak: 550–581 MB, against 489–512 MB now, for about a second of wall time (README, 性能).
    return await checkAndBuild(config, options, previous, (count) => (pool ??= start(threads(count))));
  } finally {
    await pool?.close();
    lock.release();
  }
}

async function checkAndBuild(config: WorkspaceConfig, options: BatchOptions, previous: Manifest, poolFor: (jobs: number) => RenderPool): Promise<BatchResult> {
  const summaries = await checkSummaries(config, options.checker);
  const check: BatchCheck = { config, reports: summaries };
  // A first (or forced) build renders every report that passed: its workers load while the outputs are planned.
  if (previous.size === 0 || options.force) {
    const passed = check.reports.filter((report, position) => report.ok && inShard(position, options.shard)).length;
    if (passed > 0) poolFor(passed);
  }
  // the same plan as the check's (which reported any WS-OUTPUT in the report's diagnostics): the targets
  const plan = planOutputs(config, check.reports, (report) => report.namePosition);

  const shared = sharedInputsDigest(config);
  const jobs: BuildJob[] = [];
  const jobOwner = new Map<number, CheckedSummary>();
  const digests = new Map<CheckedSummary, string>();
  const skipped = new Set<CheckedSummary>();
  // Reports of other shards get a digest too: their files, left in this output folder by an earlier build
  // (a CI cache restored after reports were added or removed, which moves reports between shards), stay
  // only while they are exactly what their own shard writes.
  const foreign = new Set<CheckedSummary>();
  check.reports.forEach((report, position) => {
    if (!report.ok || !report.report) return;
    const job = {
      report: effectiveReport(config, report.report, report.abs),
      formats: config.formats,
      targets: plan.get(report)!.outputs,
      outputRoot: config.output,
      ...workspaceRendering(config),
    };
    const digest = jobDigest(shared, job, config);
    digests.set(report, digest);
    if (!inShard(position, options.shard)) {
      foreign.add(report);
      return;
    }
    if (!options.force && upToDate(config, previous.get(report.rel), digest)) {
      skipped.add(report);
      return;
    }
    const id = jobs.length;
    jobs.push({ id, ...job });
    jobOwner.set(id, report);
  });

  // A bad font file fails every report the same way: said once, and the build stops (exit 2).
  const pool = jobs.length > 0 ? poolFor(jobs.length) : undefined;
  const setupError = pool ? await pool.setupError() : undefined;
  if (setupError !== undefined) throw new UserError(`无法生成：${setupError}（未生成任何报告）`, 2);

  const progress = options.progress;
  progress?.start(jobs.length);
  tightenHeapGrowth();
  const results = pool ? await pool.run(jobs, (result) => progress?.done(jobOwner.get(result.id)!.rel, result.ok)) : [];
  progress?.stop();
  const byOwner = new Map<CheckedSummary, BuildJobResult>(results.map((r) => [jobOwner.get(r.id)!, r]));

  const reports: BatchReport[] = check.reports.map((report, position) => {
    const { outputs } = plan.get(report)!;
    const diagnostics = report.diagnostics;
    const result = byOwner.get(report);
    const failed = !report.ok;
    const status: RowStatus = failed ? 'failed' : result && !result.ok ? 'render-failed' : diagnostics.length > 0 ? 'warnings' : 'built';
    return {
      entry: report,
      selected: inShard(position, options.shard),
      status,
      outputs,
      diagnostics,
      ...(result && !result.ok ? { renderError: `生成失败：${result.error}` } : {}),
      upToDate: skipped.has(report),
    };
  });

  // What the output folder holds now: the files of reports rendered or up to date; a report that failed
  // keeps the entry of its untouched old files, and so does a report of another shard whose files are
  // what that shard writes (byte for byte: the same digest), so that shard outputs merged into one site
  // never disagree. A report of another shard whose files are out of date loses them: its own shard
  // renders it, and a stale copy must not be published beside (or over) the new one.
  const manifest = new Map<string, ManifestEntry>();
  for (const report of check.reports) {
    const result = byOwner.get(report);
    const digest = digests.get(report);
    const old = previous.get(report.rel);
    if (foreign.has(report)) {
      if (old?.digest === digest) manifest.set(report.rel, old!);
    } else if (digest !== undefined && (skipped.has(report) || result?.ok)) manifest.set(report.rel, { digest, files: entryFiles(config, { targets: plan.get(report)!.outputs }) });
    else if (old) manifest.set(report.rel, old);
  }
  const removed = await removeStale(config, previous, manifest);
  await writeManifest(config, manifest);

  const indexFile = await writeIndex(config, reports);
  const ok = reports.filter((r) => r.selected).every((r) => r.status === 'built' || r.status === 'warnings');
  return { check, reports, indexFile, removed, ok };
}

/** index.html of the whole workspace, in its output folder. */
async function writeIndex(config: WorkspaceConfig, reports: readonly BatchReport[]): Promise<string> {
  const rows: IndexRow[] = reports.map((r) => ({
    rel: r.entry.rel,
    ...(r.entry.name ? { name: r.entry.name } : {}),
    ...(r.entry.year !== undefined ? { year: r.entry.year } : {}),
    ...(r.entry.edition ? { edition: r.entry.edition } : {}),
    status: r.status,
    outputs: r.outputs,
    diagnostics: r.diagnostics,
    ...(r.renderError ? { renderError: r.renderError } : {}),
  }));
  const indexFile = path.join(config.output, INDEX_FILE);
  const parent = config.agency.parent;
  // 云溪县人民政府 → 云溪县政府信息公开工作年度报告一览
  const title = `${parent && !parent.includes('{') ? shortName(parent) : ''}政府信息公开工作年度报告一览`;
  await writeFileAtomic(indexFile, renderIndex(rows, { outputDir: config.output, title, formats: config.formats }), { root: config.output });
  return indexFile;
}

/**
 * `nianbao build --index-only`: index.html for output files built elsewhere (the CI shards, whose
 * folders were merged into the output folder). Every report is checked again, nothing is rendered;
 * a report that passes but lacks one of its files is listed as not built, naming the missing files.
 */
export async function indexWorkspace(config: WorkspaceConfig, options: Pick<BatchOptions, 'checker'> = {}): Promise<BatchResult> {
  const summaries = await checkSummaries(config, options.checker);
  const check: BatchCheck = { config, reports: summaries };
  // the same plan as the check's (which reported any WS-OUTPUT in the report's diagnostics): the targets
  const plan = planOutputs(config, check.reports, (report) => report.namePosition);
  const reports: BatchReport[] = check.reports.map((report) => {
    const { outputs } = plan.get(report)!;
    const diagnostics = report.diagnostics;
    const failed = !report.ok;
    const missing = failed ? [] : Object.values(outputs).filter((file) => !existsSync(file!));
    const status: RowStatus = failed ? 'failed' : missing.length > 0 ? 'render-failed' : diagnostics.length > 0 ? 'warnings' : 'built';
    const relative = (file: string) => toPosix(path.relative(config.root, file));
    return {
      entry: report,
      selected: true,
      status,
      outputs,
      diagnostics,
      upToDate: false,
      ...(missing.length > 0 ? { renderError: `缺少输出文件：${missing.map((f) => relative(f!)).join('、')}（生成它的分片未成功，或其文件未合并到输出文件夹）` } : {}),
    };
  });
  const indexFile = await writeIndex(config, reports);
  return { check, reports, indexFile, removed: [], ok: reports.every((r) => r.status === 'built' || r.status === 'warnings') };
}
