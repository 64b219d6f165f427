// linebreak 1 (UAX #14 line breaking, the package pdfmake itself breaks text with) has no bundled types.
declare module 'linebreak' {
  export interface Break {
    /** UTF-16 offset where the next line may start */
    readonly position: number;
    /** a mandatory break (after a newline) */
    readonly required: boolean;
  }
  export default class LineBreaker {
    constructor(text: string);
    nextBreak(): Break | null;
  }
}
