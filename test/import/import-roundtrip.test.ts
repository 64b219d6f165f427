/**
 * Round trip: every example report (the five seeds' corrected copies) rendered by nianbao as HTML,
 * docx and PDF imports back to the same figures (exactly) and narrative (up to whitespace), and the
 * YAML written passes `check` with the same data.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderFormat, type OutputFormat } from '../../src/build.js';
import { officialGrid, TABLE_IDS } from '../../src/format/official.js';
import { importBytes, importedYaml } from '../../src/import/index.js';
import { buildDocument } from '../../src/model/build-document.js';
import type { Report } from '../../src/format/report.js';
import { checkFile, checkText } from '../../src/validate/index.js';
import { distinctReport } from '../helpers/sample.js';

const dir = path.join(import.meta.dirname, '..', '..', 'examples', 'reports');
const examples = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const squash = (text: unknown) => JSON.stringify(text ?? null).replace(/\s+|\\n/g, '');
const at = (data: unknown, dotted: string) => dotted.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], data);

export async function roundTrip(file: string, format: OutputFormat) {
  const checked = await checkFile(path.join(dir, file));
  const report = checked.report as Report;
  const doc = buildDocument(report, {});
  const bytes = await renderFormat(doc, format);
  const imported = await importBytes(`x.${format}`, bytes);
  return { report, imported: imported.report, data: checked.data as Record<string, unknown> };
}

describe.each(['html', 'docx', 'pdf'] as OutputFormat[])('import of our own %s', (format) => {
  it.each(examples)('%s: same figures, narrative and metadata; the YAML passes check', async (file) => {
    const { report, imported, data } = await roundTrip(file, format);
    expect(imported.notes).toEqual([]);
    expect(imported.edition).toBe(report.format);
    expect(imported.year).toBe(report.year);
    expect(imported.agency).toBe(report.agency.name);
    expect(imported.date).toBe(report.date);
    let cells = 0;
    for (const table of TABLE_IDS) {
      for (const cell of officialGrid(report.format, table).dataCells()) {
        expect(imported.figures.get(cell.path!), cell.path).toBe(at(data, cell.path!));
        cells++;
      }
    }
    expect(imported.figures.size).toBe(cells);
    const n = report.narrative ?? {};
    for (const key of ['overview', 'problems', 'other'] as const) expect(squash(imported.narrative[key]), key).toBe(squash(n[key]));
    if (n.preface) expect(squash(imported.narrative.preface)).toBe(squash(n.preface));
    else expect(imported.narrative.preface).toContain(report.agency.name);

    const yaml = importedYaml(imported, { schemaRef: 'report.schema.json', source: file });
    const back = checkText(yaml, 'imported.yaml');
    expect(back.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const parsed = parse(yaml) as Record<string, unknown>;
    for (const key of ['active_disclosure', 'applications', 'review_litigation']) expect(parsed[key], key).toEqual(data[key]);
  });
});

describe.each(['html', 'docx', 'pdf'] as OutputFormat[])('import of our own %s, every figure different', (format) => {
  it.each(['2019', '2021'] as const)('edition %s: each cell lands on its own path (a swap cannot pass)', async (edition) => {
    const report = distinctReport(edition);
    report.narrative = {
      overview: edition === '2021' ? { active: '主动公开第一段。\n主动公开第二段。', oversight: '监督保障。' } : '总体情况一段。\n（一）主动公开\n另一段。',
      problems: '问题一。\n改进一。',
      other: '本年度未收取信息处理费。',
    };
    const bytes = await renderFormat(buildDocument(report, {}), format);
    const { report: imported } = await importBytes(`x.${format}`, bytes);
    expect(imported.notes).toEqual([]);
    expect([imported.edition, imported.year, imported.agency, imported.date]).toEqual([edition, report.year, report.agency.name, report.date]);
    for (const table of TABLE_IDS) {
      for (const cell of officialGrid(edition, table).dataCells()) expect(imported.figures.get(cell.path!), cell.path).toBe(at(report, cell.path!));
    }
    for (const key of ['overview', 'problems', 'other'] as const) expect(squash(imported.narrative[key]), key).toBe(squash(report.narrative[key]));
  });
});
