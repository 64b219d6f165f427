/**
 * The format-neutral document model: what the templates produce and every emitter (HTML, docx, PDF)
 * consumes. Nothing here knows about an output format. Text is plain Unicode, never escaped: each
 * emitter escapes for its own target.
 */
import type { Grid, GridCell } from './grid.js';
import type { TableId } from '../format/official.js';

/** A grid cell with the text it shows: the label, or the figure formatted for print. */
export interface FilledCell extends GridCell {
  readonly display: string;
}

export type FilledTable = Grid<FilledCell>;

export type Block =
  /** The report title, one entry per printed line (GB/T 9704 allows a 2-line title). */
  | { readonly kind: 'title'; readonly lines: readonly string[] }
  /** 一、 (level 1, 黑体) or （一） (level 2, 楷体) heading. */
  | { readonly kind: 'heading'; readonly level: 1 | 2; readonly text: string }
  /** A body paragraph; `indent` = first line indented two characters (the default for body text). */
  | { readonly kind: 'paragraph'; readonly text: string; readonly indent: boolean }
  /** An official table, already filled with the report's figures. */
  | { readonly kind: 'table'; readonly table: TableId; readonly grid: FilledTable }
  /** 落款: agency name and date, right-aligned, one entry per line. */
  | { readonly kind: 'signature'; readonly lines: readonly string[] }
  | { readonly kind: 'pageBreak' };

export interface DocumentMeta {
  /** Single-line title, for file names and document properties. */
  readonly title: string;
  /** The agency, as document author. */
  readonly author: string;
  readonly year: number;
  readonly edition: '2019' | '2021';
  readonly lang: 'zh-CN';
}

export interface ReportDocument {
  readonly meta: DocumentMeta;
  readonly blocks: readonly Block[];
}
