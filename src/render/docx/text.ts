/**
 * Model text → Word runs. The docx package escapes `& < >` and drops the control characters XML 1.0
 * forbids; a line break in the text becomes a `w:br`, as Word users expect from Shift+Enter. Runs carry
 * no properties: their paragraph's style sets faces, size and language (styles.ts).
 */
import { TextRun } from 'docx';

/** One run per line of `text`, lines joined by breaks. */
export function textRuns(text: string): TextRun[] {
  const lines = text.includes('\r') ? text.replace(/\r\n?/g, '\n').split('\n') : text.split('\n');
  return lines.map((line, i) => new TextRun(i > 0 ? { text: line, break: 1 } : line));
}
