/**
 * `nianbao build --draft` in a workspace: after the batch build (final files for every report that
 * passes), a draft of each report of the run that failed its check but can be read, named by the
 * workspace's `file_name` with （草稿） added (`out/2024/红椿镇（草稿）.pdf`). The draft lists the
 * problems the workspace check found, cross-year ones included. Without `--draft` the batch build never
 * calls this. Drafts are few and written here, on the main thread, after the workers are done.
 */
import { DRAFT_TEXT } from '../../model/draft-marks.js';
import { writeFileAtomic } from '../../render/write.js';
import type { BatchReport } from './batch.js';
import type { WorkspaceConfig } from '../config/config.js';
import { outputBase, reportStem } from '../config/effective.js';

export interface DraftOutcome {
  readonly report: BatchReport;
  readonly outputs: readonly string[];
  /** why no draft could be made (a template or font error) */
  readonly error?: string;
}

/** The reports a draft is made of: in this run, failed their check, readable, no output-name clash. */
export function draftCandidates(reports: readonly BatchReport[]): BatchReport[] {
  return reports.filter((r) => r.selected && r.status === 'failed' && r.entry.usable && !r.diagnostics.some((d) => d.rule === 'WS-OUTPUT'));
}

export async function writeWorkspaceDrafts(config: WorkspaceConfig, reports: readonly BatchReport[]): Promise<DraftOutcome[]> {
  const { composeReport, renderFormat, renderOptionsFor } = await import('../../build.js');
  const outcomes: DraftOutcome[] = [];
  for (const report of draftCandidates(reports)) {
    const { entry } = report;
    const base = outputBase(config, entry.name ?? reportStem(entry.abs), entry.year ?? '', entry.abs);
    try {
      const composed = await composeReport(entry.abs, { draft: true, workspace: config, problems: report.diagnostics });
      if (!composed.doc) continue;
      const rendered: { target: string; bytes: Uint8Array }[] = [];
      for (const format of config.formats) {
        rendered.push({ target: `${base}${DRAFT_TEXT.fileSuffix}.${format}`, bytes: await renderFormat(composed.doc, format, renderOptionsFor({ workspace: config })) });
      }
      for (const { target, bytes } of rendered) await writeFileAtomic(target, bytes);
      outcomes.push({ report, outputs: rendered.map((r) => r.target) });
    } catch (error) {
      outcomes.push({ report, outputs: [], error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
