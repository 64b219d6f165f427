/**
 * The inputs and the warm stages the bench measures, shared by `npm run bench` (run.ts) and the warm
 * stages alone (warm.ts): the committed examples that pass check and a generated report of each edition.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkText } from '../../src/validate/index.js';
import { buildDocument } from '../../src/model/build-document.js';
import { renderHtml } from '../../src/render/html/index.js';
import { renderDocx } from '../../src/render/docx/index.js';
import { renderPdf } from '../../src/render/pdf/index.js';
import type { Report } from '../../src/format/report.js';
import { generateReport, reportYaml, townshipNames } from './generate.js';

const root = path.resolve(import.meta.dirname, '..', '..');

export interface Input {
  name: string;
  bytes: Uint8Array;
}

/** The committed examples that pass check, and generated reports of both editions. */
export function inputs(): Input[] {
  const out: Input[] = [];
  const dir = path.join(root, 'examples', 'reports');
  if (existsSync(dir)) {
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) out.push({ name: `examples/reports/${f}`, bytes: readFileSync(path.join(dir, f)) });
  }
  for (const [year, seed] of [[2020, 11], [2024, 12]] as const) {
    const { report } = generateReport({ agency: '红椿镇人民政府', year, seed, scale: 30 });
    out.push({ name: `generated/${year}.yaml`, bytes: Buffer.from(reportYaml(report)) });
  }
  return out;
}

export function validated(input: Input): Report {
  const result = checkText(input.bytes, input.name);
  if (!result.report) {
    const first = result.diagnostics.find((d) => d.severity === 'error');
    throw new Error(`${input.name} does not pass check: ${first?.rule} ${first?.line}:${first?.col} ${first?.message}`);
  }
  return result.report;
}

export const STAGES = ['parse+validate', 'HTML', 'docx', 'PDF', 'all three'] as const;
export type Stage = (typeof STAGES)[number];

export function stageWork(input: Input): Record<Stage, () => Promise<unknown>> {
  const report = validated(input);
  const doc = buildDocument(report);
  return {
    'parse+validate': async () => checkText(input.bytes, input.name),
    HTML: async () => renderHtml(buildDocument(report)),
    docx: async () => renderDocx(buildDocument(report)),
    PDF: async () => renderPdf(doc),
    // One format after another, as `nianbao build` and the batch workers render them (src/build.ts). Started
    // together, the three renders' garbage was alive at once, and the collections it brought made this stage
    // measure some 10 ms more than the product spends.
    'all three': () => allThree(input),
  };
}

/** Check, compose and the three formats one after another, as `nianbao build` and the batch workers do. */
async function allThree(input: Input): Promise<unknown> {
  const checked = checkText(input.bytes, input.name);
  const d = buildDocument(checked.report!);
  return [renderHtml(d), await renderDocx(d), await renderPdf(d)];
}

/**
 * `count` different generated reports (other townships, years, figures and text), for the stage that renders
 * each report once: the warm stages repeat the same few inputs, which flatters every per-process memo (cells,
 * broken lines, a table cell's lines); a workspace build meets a new report each time.
 */
export function distinctInputs(count: number, seedBase = 7000): Input[] {
  const years = [2020, 2021, 2022, 2023, 2024];
  return townshipNames(Math.ceil(count / years.length), seedBase)
    .flatMap((town, t) => years.map((year) => ({ town, t, year })))
    .slice(0, count)
    .map(({ town, t, year }) => {
      const { report } = generateReport({ agency: town, year, seed: seedBase + t * 100 + year });
      return { name: `generated/${year}/${town}.yaml`, bytes: Buffer.from(reportYaml(report)) };
    });
}

export interface DistinctResult {
  /** reports rendered before measuring (each once) */
  readonly warmup: number;
  /** CPU and wall time of each measured report: check, compose, HTML, docx, PDF, each once */
  readonly cpuMs: readonly number[];
  readonly wallMs: readonly number[];
}

/**
 * Each report checked and rendered in all three formats once, as a batch worker does: `warmup` reports first
 * (not measured), then every further one measured on its own (CPU of this thread and wall time).
 */
export async function distinctRuns(list: readonly Input[], warmup: number): Promise<DistinctResult> {
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  for (const [i, input] of list.entries()) {
    const start = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await allThree(input);
    const used = process.cpuUsage(cpu);
    if (i < warmup) continue;
    wallMs.push(Number(process.hrtime.bigint() - start) / 1e6);
    cpuMs.push((used.user + used.system) / 1000);
  }
  return { warmup, cpuMs, wallMs };
}
