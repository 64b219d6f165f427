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
import type { CacheMode } from '../checks/own-cache.js';
import type { OutputFormat, WorkspaceConfig } from '../config/config.js';
import { shortName } from '../config/effective.js';
import { toPosix } from '../config/discover.js';
import { INDEX_FILE, planOutputs } from '../checks/outputs.js';
import { renderIndex, type IndexRow, type RowStatus } from './index-page.js';
import { boundJobs, defaultJobs, RenderPool, type BuildJob, type BuildJobResult } from './pool.js';
import { EarlyRenders, jobFor } from './early.js';
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
  /** Reports handed to a render worker while the workspace check still ran (published only if it passed them). */
  readonly renderedWhileChecking: number;
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
 * so setting it as the first worker starts takes effect in every heap, the check thread's too.
 */
function tightenHeapGrowth(): void {
  v8.setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/**
 * The workspace check, on a thread of its own unless a checker of the caller's must run here; with `early`,
 * the reports that pass their own checks are handed to it while the check goes on.
 */
async function checkSummaries(config: WorkspaceConfig, checker: Checker | undefined, cache: CacheMode, early?: EarlyRenders): Promise<readonly CheckedSummary[]> {
  if (checker) return (await checkWorkspace(config, { checker, ...(early ? { passed: early.feed } : {}) })).reports.map(summarize);
  return checkWorkspaceInThread(config, early ? { feed: early.feed, ...(early.shard ? { shard: early.shard } : {}) } : undefined, cache);
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
  let early: EarlyRenders | undefined;
  try {
    recoverOutput(config.output, true);
    // --force renders everything, but still reads the manifest: the files it lists for reports that are gone
    // (or are another shard's and out of date) are removed all the same.
    const previous = readManifest(config);
    // --jobs is honoured as given (never more workers than reports); by default one worker per 25 reports,
    // at most one per core
    const requested = options.jobs !== undefined ? boundJobs(options.jobs) : defaultJobs();
    // The fonts are read once, here, and shared with the workers; the pool starts with the first report to
    // render (none when nothing changed: each worker costs about a second of CPU to start).
    const poolOf = (workers: number) => {
      if (pool) pool.grow(workers);
      else {
        const fontFiles = config.formats.includes('pdf') ? readSharedFontFiles(FONT_ROLES.map((role) => config.fonts[role]?.file ?? bundledFontFile(role))) : undefined;
        // from the first worker on (the check may still run: its heap is held to the same rule meanwhile)
        tightenHeapGrowth();
        pool = new RenderPool(workers, { ...(fontFiles ? { fontFiles } : {}), formats: config.formats, pdfFonts: config.fonts });
      }
      return pool;
    };
    let ids = 0;
    const nextId = () => ids++;
    const shared = sharedInputsDigest(config);
    // While the check runs it has a core: one worker fewer than requested (at least one). Workers that sat
    // ready beside the check's heap used to be the build's memory peak; these render (README, 性能).
    early = new EarlyRenders({
      config,
      previous,
      force: options.force === true,
      shard: options.shard,
      shared,
      workers: Math.max(1, requested - 1),
      reportsPerWorker: REPORTS_PER_WORKER,
      pool: poolOf,
      nextId,
    });
    return await checkAndBuild(config, options, previous, early, { poolOf, nextId, shared, threads: (reports) => (options.jobs !== undefined ? Math.min(requested, reports) : workersFor(requested, reports)) });
  } finally {
    // staged files of reports not published (an error stopped the build): removed, never left half-done
    await early?.discardRest();
    await (pool as RenderPool | undefined)?.close();
    lock.release();
  }
}

/** What the build after the check shares with the early renders. */
interface Pooling {
  readonly poolOf: (workers: number) => RenderPool;
  readonly nextId: () => number;
  /** the digest part every report shares (manifest.ts) */
  readonly shared: string;
  /** workers for this many reports to render */
  readonly threads: (reports: number) => number;
}

async function checkAndBuild(config: WorkspaceConfig, options: BatchOptions, previous: Manifest, early: EarlyRenders, pooling: Pooling): Promise<BatchResult> {
  // --force checks every report anew as well (and leaves the check's memory of this run)
  const summaries = await checkSummaries(config, options.checker, options.force ? 'refresh' : 'use', early);
  const check: BatchCheck = { config, reports: summaries };
  // the same plan as the check's (which reported any WS-OUTPUT in the report's diagnostics): the targets
  const plan = planOutputs(config, check.reports, (report) => report.namePosition);

  const { shared } = pooling;
  const jobs: BuildJob[] = [];
  const jobOwner = new Map<number, CheckedSummary>();
  const digests = new Map<CheckedSummary, string>();
  const skipped = new Set<CheckedSummary>();
  /** rendered while the check ran, and passed by it: published below */
  const published: CheckedSummary[] = [];
  // Reports of other shards get a digest too: their files, left in this output folder by an earlier build
  // (a CI cache restored after the shard count changed, or a report renamed), stay
  // only while they are exactly what their own shard writes.
  const foreign = new Set<CheckedSummary>();
  check.reports.forEach((report) => {
    if (!report.ok || !report.report) return;
    const earlyDigest = early.digest(report.rel);
    const job = earlyDigest === undefined ? jobFor(config, report.report, report.abs, plan.get(report)!.outputs) : undefined;
    const digest = earlyDigest ?? jobDigest(shared, job!, config);
    digests.set(report, digest);
    if (!inShard(report.rel, options.shard)) {
      foreign.add(report);
      return;
    }
    if (early.has(report.rel)) {
      published.push(report);
      return;
    }
    if (!options.force && upToDate(config, previous.get(report.rel), digest)) {
      skipped.add(report);
      return;
    }
    const id = pooling.nextId();
    jobs.push({ id, ...(job ?? jobFor(config, report.report, report.abs, plan.get(report)!.outputs)) });
    jobOwner.set(id, report);
  });

  // A bad font file fails every report the same way: said once, and the build stops (exit 2).
  const total = jobs.length + published.length;
  const pool = total > 0 ? pooling.poolOf(pooling.threads(total)) : undefined;
  const setupError = pool ? await pool.setupError() : undefined;
  if (setupError !== undefined) throw new UserError(`无法生成：${setupError}（未生成任何报告）`, 2);

  const progress = options.progress;
  progress?.start(total);
  const byOwner = new Map<CheckedSummary, BuildJobResult>();
  const done = (report: CheckedSummary, result: BuildJobResult) => {
    byOwner.set(report, result);
    progress?.done(report.rel, result.ok);
  };
  await Promise.all([
    ...published.map(async (report) => done(report, await early.publish(report.rel))),
    pool ? pool.run(jobs, (result) => done(jobOwner.get(result.id)!, result)) : Promise.resolve([]),
  ]);
  progress?.stop();
  // rendered early and then failed by the whole check: removed
  await early.discardRest();

  const reports: BatchReport[] = check.reports.map((report) => {
    const { outputs } = plan.get(report)!;
    const diagnostics = report.diagnostics;
    const result = byOwner.get(report);
    const failed = !report.ok;
    const status: RowStatus = failed ? 'failed' : result && !result.ok ? 'render-failed' : diagnostics.length > 0 ? 'warnings' : 'built';
    return {
      entry: report,
      selected: inShard(report.rel, options.shard),
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
  return { check, reports, indexFile, removed, ok, renderedWhileChecking: early.count };
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
  const summaries = await checkSummaries(config, options.checker, 'use');
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
  return { check, reports, indexFile, removed: [], ok: reports.every((r) => r.status === 'built' || r.status === 'warnings'), renderedWhileChecking: 0 };
}
