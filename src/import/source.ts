/**
 * What every reader (HTML, docx, PDF) produces from a published file: its text blocks and tables in
 * reading order, with where each came from. Nothing here knows the official format; the shared
 * interpretation (interpret.ts) maps it to the contract.
 */

/** Where something was printed: page (PDF only), table (1-based, in reading order), row and column (1-based). */
export interface SourcePlace {
  readonly page?: number;
  readonly table: number;
  readonly row: number;
  readonly column: number;
}

export interface SourceCell {
  /** the cell's text as printed, paragraphs inside it joined */
  readonly text: string;
  /** set when the reader could not read the cell's text reliably (why, in Chinese) */
  readonly unreadable?: string;
  readonly place: SourcePlace;
}

export type SourceBlock =
  | { readonly kind: 'text'; readonly text: string; readonly align?: 'right'; readonly page?: number }
  /** a table's rows, each its own cells left to right (a cell covered by a span from above is left out) */
  | {
      readonly kind: 'table';
      readonly rows: readonly (readonly SourceCell[])[];
      /**
       * PDF only: by row index, the row's figures placed in the table's columns by where they stand,
       * blanks included (a row of 7 columns printing 2 figures reads as 7 cells)
       */
      readonly placed?: ReadonlyMap<number, readonly SourceCell[]>;
    };

export interface SourceDocument {
  readonly kind: 'html' | 'docx' | 'pdf';
  readonly blocks: readonly SourceBlock[];
}

/** A place as a clerk finds it: 第2页 第3个表格 第5行第2列. */
export function describePlace(place: SourcePlace): string {
  return `${place.page ? `第${place.page}页 ` : ''}第${place.table}个表格 第${place.row}行第${place.column}列`;
}

/** Text as read: runs of whitespace (including &nbsp; and the ideographic space) made one space, trimmed. */
export function cleanText(text: string): string {
  return text.replace(/[\s\u00a0\u3000\u200b\ufeff]+/g, ' ').trim();
}

/** A file that cannot be read as a published report at all (not a docx, no text layer …), said in Chinese. */
export class ImportError extends Error {
  override name = 'ImportError';
}
