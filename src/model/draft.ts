/**
 * Drafts (报审稿): a report built although its check found errors, for review before it is final.
 * A draft shows the figures as the clerk wrote them (`905万` stays `905万` in its cell), and carries
 * the open problems: each attached to the table cell it is about (matched by the YAML position of the
 * figure) and listed with its rule, cell name and line:col. The emitters mark every page as 草稿 from
 * `doc.draft`; a document without it is a final one and renders exactly as before.
 */
import { findDataCell } from '../format/official.js';
import { DASH_STANDIN } from '../load/yaml.js';
import { chooseEdition } from '../validate/index.js';
import { cellName } from '../validate/names.js';
import { schemaAt } from '../validate/schemas.js';
import { codePointLabel, unpublishable, type GlyphCoverage, type TextRole } from '../validate/characters.js';
import type { DataPath, Diagnostic } from '../validate/types.js';
import type { Block, DraftInfo, DraftProblem, FilledCell, ReportDocument } from './document.js';
import { plainText } from './compose/context.js';
import { cellAnchor } from './draft-marks.js';
import { figureAt, type Report } from '../format/report.js';

const record = (value: unknown): Record<string, unknown> => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined);

/**
 * A report's data, whatever its errors, made safe for the templates: the edition the check used, a
 * year, an agency name, narrative strings only. The tables stay as written: cells are read by path
 * and printed as written by `markDraft`.
 */
function inSchemaRange(edition: ReturnType<typeof chooseEdition>, year: number): boolean {
  const bounds = schemaAt(edition, ['year']);
  return year >= ((bounds?.minimum as number | undefined) ?? -Infinity) && year <= ((bounds?.maximum as number | undefined) ?? Infinity);
}

/**
 * A character the check refuses (bidi, zero-width, control, lone surrogate, or one the PDF fonts cannot
 * draw) is shown in a draft as its code point, 〔U+200B〕: the draft must render, and the reviewer must
 * see where the problem is.
 */
function printable(text: string, roles: readonly TextRole[], glyphs: GlyphCoverage | undefined): string {
  let out = text;
  for (const { ch } of unpublishable(text, '', roles, glyphs)) out = out.split(ch).join(`〔${codePointLabel(ch)}〕`);
  return out;
}

export function draftReport(data: Record<string, unknown>, glyphs?: GlyphCoverage): Report {
  const edition = chooseEdition(data);
  const year = typeof data.year === 'number' && Number.isInteger(data.year) ? data.year : Number.parseInt(String(data.year ?? ''), 10);
  const agency: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record(data.agency))) if (str(value) !== undefined) agency[key] = printable(str(value)!, ['title', 'body'], glyphs);
  if (typeof agency.name !== 'string' || agency.name.trim() === '') agency.name = '（机关名称未填写）';
  const narrative: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record(data.narrative))) {
    if (typeof value === 'string') narrative[key] = printable(value, ['body'], glyphs);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const topics: Record<string, string> = {};
      for (const [topic, text] of Object.entries(value)) if (typeof text === 'string') topics[topic] = printable(text, ['body'], glyphs);
      narrative[key] = topics;
    }
  }
  return {
    ...data,
    format: edition,
    // a year that is missing, not a number or outside the years the schema accepts (a typo like 20224,
    // which no writer can date): the first year of the edition, so the title still reads
    year: Number.isFinite(year) && inSchemaRange(edition, year) ? year : edition === '2019' ? 2019 : 2021,
    agency,
    narrative,
    ...(typeof data.date === 'string' ? { date: printable(data.date, ['body'], glyphs) } : { date: undefined }),
  } as unknown as Report;
}

/** A figure as written: numbers as the final build prints them, anything else as its text. */
function writtenFigure(value: unknown, unit: string | undefined): string {
  if (typeof value === 'number') return Number.isFinite(value) ? `${value}${unit ?? ''}` : String(value);
  // a bare `-` reaches the data as the loader's stand-in character: it is shown as the clerk typed it
  if (typeof value === 'string' || typeof value === 'boolean') return plainText(String(value).replaceAll(DASH_STANDIN, '-')).trim();
  return '';
}

const toDataPath = (dotted: string): DataPath => dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));

/**
 * The draft of a document: table cells show what was written and know their problems, every
 * diagnostic becomes a listed problem (on its cell when it points at a figure).
 * @param data the report's data as parsed (with its errors)
 * @param locate YAML line:col of a data path (the check's `locate`)
 */
export function markDraft(
  doc: ReportDocument,
  data: Record<string, unknown>,
  diagnostics: readonly Diagnostic[],
  locate: (path: DataPath) => { line: number; col: number },
  options: { editorFile?: string; glyphs?: GlyphCoverage } = {},
): ReportDocument {
  const edition = chooseEdition(data);
  // Where each written figure stands in the YAML: a diagnostic at that line:col is about that cell.
  const cellAt = new Map<string, { anchor: string; path: string }>();
  for (const block of doc.blocks) {
    if (block.kind !== 'table') continue;
    for (const cell of block.grid.dataCells()) {
      if (!cell.path || figureAt(data as unknown as Report, cell.path) === undefined) continue;
      const { line, col } = locate(toDataPath(cell.path));
      cellAt.set(`${line}:${col}`, { anchor: cellAnchor(block.table, cell), path: cell.path });
    }
  }
  const problems: DraftProblem[] = diagnostics.map((d, i) => {
    const cell = cellAt.get(`${d.line}:${d.col}`);
    return {
      id: `problem-${i + 1}`,
      rule: d.rule,
      severity: d.severity,
      // a message quotes the character it is about: shown by its code point, as in the text
      message: printable(d.message, ['body'], options.glyphs),
      hint: printable(d.hint, ['body'], options.glyphs),
      line: d.line,
      col: d.col,
      ...(cell && findDataCell(edition, cell.path) ? { where: cellName(edition, cell.path), cell: cell.anchor } : {}),
    };
  });
  const byCell = new Map<string, string[]>();
  for (const p of problems) if (p.cell) byCell.set(p.cell, [...(byCell.get(p.cell) ?? []), p.id]);

  const blocks = doc.blocks.map((block): Block => {
    if (block.kind !== 'table') return block;
    const grid = block.grid.map((cell): FilledCell => {
      if (cell.role !== 'data' || !cell.path) return cell;
      const ids = byCell.get(cellAnchor(block.table, cell));
      const written = writtenFigure(figureAt(data as unknown as Report, cell.path), cell.unit);
      const shown = printable(written, ['body'], options.glyphs);
      return { ...cell, display: shown, ...(ids ? { problems: ids } : {}) };
    });
    return { ...block, grid };
  });
  const draft: DraftInfo = { problems, ...(options.editorFile ? { editorFile: options.editorFile } : {}) };
  return { ...doc, blocks, draft };
}
