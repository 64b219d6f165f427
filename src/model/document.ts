/**
 * The format-neutral document model: what the templates produce and every emitter (HTML, docx, PDF)
 * consumes. Nothing here knows about an output format. Text is plain Unicode, never escaped: each
 * emitter escapes for its own target.
 */
import type { Grid, GridCell } from '../format/grid.js';
import type { TableId } from '../format/official.js';

/** A grid cell with the text it shows: the label, or the figure formatted for print. */
export interface FilledCell extends GridCell {
  readonly display: string;
  /** Draft only: the ids of the open problems this figure has (see `DraftInfo`). */
  readonly problems?: readonly string[];
}

export type FilledTable = Grid<FilledCell>;

/** GB/T 9704 结构层次: 1 一、 2 （一） 3 1. 4 （1）. */
export type HeadingLevel = 1 | 2 | 3 | 4;

export type Block =
  /** The report title, one entry per printed line (GB/T 9704 allows a 2-line title). */
  | { readonly kind: 'title'; readonly lines: readonly string[] }
  /** A heading of GB/T 9704's four levels: 一、 (黑体), （一） (楷体), 1. (仿宋 bold), （1） (仿宋). */
  | { readonly kind: 'heading'; readonly level: HeadingLevel; readonly text: string }
  /**
   * A body paragraph; `indent` = first line indented two characters (the default for body text). `lead`:
   * the paragraph opens with a run-in heading of that level, its first `length` UTF-16 units of `text`
   * (src/model/heading-levels.ts).
   */
  | { readonly kind: 'paragraph'; readonly text: string; readonly indent: boolean; readonly lead?: { readonly level: HeadingLevel; readonly length: number } }
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

/** One open problem of a draft (a check diagnostic), as the draft prints it. */
export interface DraftProblem {
  /** stable within the document: `problem-1`, `problem-2` … in diagnostic order */
  readonly id: string;
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** how to fix it (the diagnostic's hint) */
  readonly hint: string;
  readonly line: number;
  readonly col: number;
  /** The official cell name (表三「…」行「…」列) when the problem sits on a table figure. */
  readonly where?: string;
  /** The anchor id of that cell (`cell-table3-r5-c2`), for links to it. */
  readonly cell?: string;
}

/** Present only on a draft (`nianbao build --draft`, the preview): marks every page and lists the problems. */
export interface DraftInfo {
  readonly problems: readonly DraftProblem[];
  /** Absolute path of the YAML, for editor links (`vscode://file/…`); only the preview sets it. */
  readonly editorFile?: string;
}

export interface ReportDocument {
  readonly meta: DocumentMeta;
  readonly blocks: readonly Block[];
  readonly draft?: DraftInfo;
}
