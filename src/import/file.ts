/**
 * One published file, from its path: read (with a size limit), imported, its YAML made. Nothing is
 * written. Used by `nianbao import`, `nianbao audit` and the audit worker threads.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { importedYaml } from './contract-yaml.js';
import { importBytes } from './index.js';
import type { ImportedReport, ImportNote } from './interpret.js';
import { ImportError } from './source.js';

/** A published file larger than this is not a township report: refused unread. */
const MAX_SOURCE_BYTES = 50 * 1024 * 1024;

export interface ImportOutcome {
  readonly file: string;
  /** false when the file could not be read at all */
  readonly usable: boolean;
  readonly report?: ImportedReport;
  readonly yaml?: string;
  readonly output?: string;
  readonly notes: readonly ImportNote[];
}

/**
 * The `$schema` reference written into the YAML, by edition. Where the YAML will live (inside a county
 * workspace or not) is the caller's knowledge, not the reader's; an audit that writes nothing uses the
 * bare schema name.
 */
export type SchemaRef = (edition: string) => string;

const bareSchemaRef: SchemaRef = (edition) => `report-${edition}.schema.json`;

/** Reads and interprets one published file; every failure is a Chinese note, never a throw. */
export async function importFile(file: string, schemaRef: SchemaRef = bareSchemaRef): Promise<ImportOutcome> {
  const fail = (message: string): ImportOutcome => ({ file, usable: false, notes: [{ severity: 'error', message }] });
  let bytes: Uint8Array;
  try {
    const info = await stat(file);
    if (info.isDirectory()) return fail(`「${file}」是文件夹`);
    if (info.size > MAX_SOURCE_BYTES) return fail(`文件过大（超过 50 MB），未读取：${file}`);
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? `文件不存在：${file}` : `无法读取「${file}」（${code ?? String(error)}）`);
  }
  try {
    const { report } = await importBytes(file, bytes);
    const yaml = importedYaml(report, { schemaRef: schemaRef(report.edition), source: path.basename(file) });
    return { file, usable: true, report, yaml, notes: report.notes };
  } catch (error) {
    if (error instanceof ImportError) return fail(error.message);
    // a damaged file (a zip that is not a docx, a PDF without pages): named, never a stack trace
    return fail(`无法读取「${file}」：文件已损坏或不是${path.extname(file).slice(1).toUpperCase()}文件（${error instanceof Error ? error.message : String(error)}）`);
  }
}
