/**
 * `nianbao import`'s engine: a published file (HTML, docx, PDF) → the one source model → the report
 * of the contract → its YAML. Each reader is loaded only when its kind of file is read.
 */
import path from 'node:path';
import { interpret, type ImportedReport } from './interpret.js';
import { ImportError, type SourceDocument } from './source.js';

export { ImportError };

export const IMPORT_EXTENSIONS = ['.html', '.htm', '.docx', '.pdf'] as const;


/** Reads a published file's bytes by its extension. */
export async function readSource(file: string, bytes: Uint8Array): Promise<SourceDocument> {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '.html':
    case '.htm':
      return (await import('./html.js')).readHtml(bytes);
    case '.docx':
      return (await import('./docx.js')).readDocx(bytes);
    case '.pdf':
      return (await import('./pdf.js')).readPdf(bytes);
    default:
      throw new ImportError(`无法导入「${file}」：只支持 .html、.htm、.docx 和 .pdf 文件`);
  }
}

export async function importBytes(file: string, bytes: Uint8Array): Promise<{ source: SourceDocument; report: ImportedReport }> {
  const source = await readSource(file, bytes);
  return { source, report: interpret(source) };
}

export type { ImportedReport, ImportNote, Figure } from './interpret.js';
export { UNREADABLE } from './interpret.js';
export { importedYaml } from './contract-yaml.js';
export { describePlace } from './source.js';
