/**
 * Fixtures for the workspace tests: report entries built from YAML text (so line:col can be checked
 * against the very text), and temporary workspaces.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Document, visit } from 'yaml';
import { entryFromSource, type ReportEntry } from '../src/workspace/checks/entry.js';
import { YamlSource } from '../src/workspace/config/source.js';
import type { EditionId } from '../src/format/official.js';
import type { Report } from '../src/format/report.js';
import { distinctReport } from './helpers/sample.js';

/** YAML as clerks write it: table rows as flow sequences `[1, 0, 0, 0, 0, 0, 1]`. */
export function yamlText(data: unknown): string {
  const doc = new Document(data);
  visit(doc, {
    Seq(_, node) {
      node.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0 });
}

export function entryOf(data: unknown, file = 'reports/x.yaml', rel?: string): ReportEntry {
  const text = typeof data === 'string' ? data : yamlText(data);
  const source = new YamlSource(text, file);
  return { ...entryFromSource(path.resolve(file), source), rel: rel ?? file };
}

/** A report of the edition the year requires (figures from distinctReport, every one different). */
export function reportFor(year: number, name = '兴国镇人民政府'): Report & Record<string, unknown> {
  const edition: EditionId = year <= 2020 ? '2019' : '2021';
  const report = distinctReport(edition, year) as Report & Record<string, unknown>;
  report.agency = { ...report.agency, name };
  return report;
}

/** The 1-based line of the first line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in text`);
  return i + 1;
}

export function tempDir(prefix = 'nianbao-ws-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}
