/**
 * Rendering while the workspace check still runs (issue 17). The check takes two passes: each report on its
 * own, then the cross-report checks, which need every report's first pass. A report that passes its own
 * checks is handed over at once (check-thread.ts, `CreditFeed`) and rendered into staged files; the whole
 * check's verdict then publishes them or discards them (a report that passes alone can still fail a
 * cross-report check: another agency's name, 内容雷同 raised to an error, an output-name clash). So nothing
 * is published that the build would otherwise have refused, and the check's core is not the only one busy.
 *
 * At most `workers × 2` reports are in flight at once, so the main thread never holds more of them than
 * its workers can take; those the check finds meanwhile are rendered after it, as before.
 */
import { WHOLE_FILE } from '../../diagnostics/diagnostic.js';
import type { Report } from '../../format/report.js';
import { commitStaged, discardStaged, type StagedFiles } from '../../render/write.js';
import type { PassedReport } from '../checks/check.js';
import { CreditFeed } from '../checks/check-thread.js';
import type { OutputFormat, WorkspaceConfig } from '../config/config.js';
import { effectiveReport, workspaceRendering } from '../config/effective.js';
import { planOutputs } from '../checks/outputs.js';
import { jobDigest, upToDate, type Manifest } from './manifest.js';
import type { BuildJob, BuildJobResult, RenderPool } from './pool.js';
import { inShard, type Shard } from './shard.js';

/** A report's job, without its id: the same for a report rendered early and one rendered after the check. */
export function jobFor(config: WorkspaceConfig, report: Report, abs: string, targets: Partial<Record<OutputFormat, string>>): Omit<BuildJob, 'id'> {
  return { report: effectiveReport(config, report, abs), formats: config.formats, targets, outputRoot: config.output, ...workspaceRendering(config) };
}

/** An early render, to be published or discarded on the whole check's verdict. */
interface Early {
  readonly result: Promise<BuildJobResult>;
  /** published or discarded already */
  closed: boolean;
}

export interface EarlyOptions {
  readonly config: WorkspaceConfig;
  readonly previous: Manifest;
  readonly force: boolean;
  readonly shard: Shard | undefined;
  /** the digest part every report shares (manifest.ts) */
  readonly shared: string;
  /** at most this many workers while the check runs (it takes a core of its own) */
  readonly workers: number;
  /** reports one worker renders before a second one is worth its start */
  readonly reportsPerWorker: number;
  /** the pool, started (or grown) to `workers` workers */
  readonly pool: (workers: number) => RenderPool;
  readonly nextId: () => number;
}

export class EarlyRenders {
  readonly feed: CreditFeed;
  /** the digest of every report handed over, rendered early or already up to date (by rel) */
  private readonly digests = new Map<string, string>();
  private readonly renders = new Map<string, Early>();

  constructor(private readonly options: EarlyOptions) {
    this.feed = new CreditFeed((report) => this.take(report), (rel) => inShard(rel, options.shard));
    this.feed.grant(options.workers * 2);
  }

  /** The shard this build renders: the check's thread offers only its reports. */
  get shard(): Shard | undefined {
    return this.options.shard;
  }

  /** How many reports were rendered while the check ran (or are being rendered). */
  get count(): number {
    return this.renders.size;
  }

  private take(passed: PassedReport): void {
    const { config } = this.options;
    // a plan that fails on its own (a path over the system's limit, index.html's name) is not staged: only the
    // clash between two reports needs the whole workspace, and staged files of a clash are discarded
    const [plan] = planOutputs(config, [{ ...passed, file: passed.rel }], () => WHOLE_FILE).values();
    if (plan!.clash) {
      this.feed.grant(1);
      return;
    }
    const job = jobFor(config, passed.report, passed.abs, plan!.outputs);
    const digest = jobDigest(this.options.shared, job, config);
    this.digests.set(passed.rel, digest);
    if (!this.options.force && upToDate(config, this.options.previous.get(passed.rel), digest)) {
      this.feed.grant(1);
      return;
    }
    const pool = this.options.pool(Math.min(this.options.workers, Math.ceil((this.renders.size + 1) / this.options.reportsPerWorker)));
    const result = pool.submit({ id: this.options.nextId(), ...job, stage: true }).then((done) => {
      this.feed.grant(1);
      return done;
    });
    this.renders.set(passed.rel, { result, closed: false });
  }

  /** The digest computed when the report was handed over (the same data as the check's summary of it). */
  digest(rel: string): string | undefined {
    return this.digests.get(rel);
  }

  has(rel: string): boolean {
    return this.renders.has(rel);
  }

  /**
   * The report passed the whole check: its staged files are renamed into place once rendered. A failure to
   * write is the report's render failure, as for a report rendered after the check.
   */
  async publish(rel: string): Promise<BuildJobResult> {
    const early = this.renders.get(rel)!;
    const result = await early.result;
    early.closed = true;
    if (!result.ok || !result.staged) return result;
    try {
      await commitStaged(result.staged);
      return result;
    } catch (error) {
      return { id: result.id, ok: false, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Every early render not published: its staged files removed, once those still rendering are done, and
   * all in one discard (write.ts `discardStaged`: reports that share a new folder leave none behind).
   */
  async discardRest(): Promise<void> {
    const unpublished: StagedFiles[] = [];
    for (const early of this.renders.values()) {
      const result = await early.result;
      if (early.closed) continue;
      early.closed = true;
      if (result.ok && result.staged) unpublished.push(result.staged);
    }
    await discardStaged(unpublished);
  }
}
