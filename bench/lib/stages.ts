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
import type { Report } from '../../src/model/report.js';
import { generateReport, reportYaml } from './generate.js';

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
    'all three': async () => {
      const checked = checkText(input.bytes, input.name);
      const d = buildDocument(checked.report!);
      return [renderHtml(d), await renderDocx(d), await renderPdf(d)];
    },
  };
}
