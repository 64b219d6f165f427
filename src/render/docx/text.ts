/**
 * Model text → Word runs. The docx package escapes `& < >` and drops the control characters XML 1.0
 * forbids; a line break in the text becomes a `w:br`, as Word users expect from Shift+Enter.
 */
import { TextRun, type IRunOptions } from 'docx';

/** One run per line of `text`, all with the same properties, lines joined by breaks. */
export function textRuns(text: string, props: Omit<IRunOptions, 'text' | 'children' | 'break'>): TextRun[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line, i) => new TextRun({ ...props, text: line, ...(i > 0 ? { break: 1 } : {}) }));
}
