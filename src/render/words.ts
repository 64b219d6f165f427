/**
 * Word boundaries of Chinese text, shared by the emitters that break an agency name (title, 落款) or a
 * column header between its words: ICU's dictionary segmentation through `Intl.Segmenter`, so 人民政府 or
 * 办公室 is never cut across two lines. The lines themselves are computed here once for all three formats.
 */
import { textEm } from '../model/column-widths.js';
import type { GridCell } from '../format/grid.js';
import { RecentlyUsed } from './recently-used.js';
import { PAGE, ROLE_SIZE, SIGNATURE, TABLE_CELL_PAD_PT, TABLE_RULE_ALLOWANCE_PT, TABLE_SIZE, TEXT_WIDTH_PT } from './layout.js';

const WORDS = new Intl.Segmenter('zh', { granularity: 'word' });

/** The offsets (UTF-16) where the words of `text` begin, 0 included. */
export function wordBoundaries(text: string): Set<number> {
  return new Set([...WORDS.segment(text)].map((segment) => segment.index));
}

/** The words of `text`, in order (joined they give the text back). */
export function wordsOf(text: string): string[] {
  return [...WORDS.segment(text)].map((segment) => segment.segment);
}

/** Closing and middle punctuation never starts a line; opening punctuation never ends one. */
const CLINGS_BACK = /^[\p{Pe}\p{Pf}\p{Po}]/u;
const CLINGS_FORWARD = /[\p{Ps}\p{Pi}]$/u;

/**
 * The pieces a name may break between: its words, punctuation kept with the word it belongs to, and
 * a word wider than a whole line (no real name has one) taken character by character.
 */
function pieces(text: string, maxEm: number): string[] {
  const out: string[] = [];
  let carry = '';
  for (const word of wordsOf(text)) {
    if (out.length > 0 && carry === '' && CLINGS_BACK.test(word)) out[out.length - 1] += word;
    else if (CLINGS_FORWARD.test(word)) carry += word;
    else if (textEm(carry + word) > maxEm) {
      out.push(...[...carry + word]);
      carry = '';
    } else {
      out.push(carry + word);
      carry = '';
    }
  }
  if (carry) out.push(carry);
  return out;
}

/**
 * A name's lines, broken only between words (GB/T 9704 on the title: 回行时，要做到词意完整，排列对称):
 * as few lines as fit `maxEm` (a width in characters of the line's size), then the breaks that make the
 * longest line shortest, so the lines come out even. Computed here once for every format: the PDF sets
 * these lines, the HTML joins them with `<br>`, and the docx writes them as its lines, since Word and
 * LibreOffice would otherwise break Chinese between any two characters.
 */
export function balancedLines(text: string, maxEm: number): string[] {
  return [...brokenLines.get(`${maxEm} ${text}`, () => Object.freeze(breakEvenly(text, maxEm)))];
}

/**
 * Lines already broken, by measure and text. Every report breaks the same column headers at widths that
 * recur (the official labels, columns sized from similar figures), in all three formats: breaking them
 * (`Intl.Segmenter`, then the search above) was the costliest step of the HTML.
 */
const brokenLines = new RecentlyUsed<string, readonly string[]>(1024);

function breakEvenly(text: string, maxEm: number): string[] {
  if (textEm(text) <= maxEm) return [text];
  const parts = pieces(text, maxEm);
  const n = parts.length;
  const width = (from: number, to: number) => textEm(parts.slice(from, to).join(''));
  // best[k][i]: the least longest line setting parts[0, i) in k lines, and where its last line starts
  const best: { longest: number; from: number }[][] = [[{ longest: 0, from: 0 }, ...new Array(n).fill({ longest: Infinity, from: -1 })]];
  for (let k = 1; best[k - 1][n].longest === Infinity; k++) {
    const row = [{ longest: Infinity, from: -1 }];
    for (let i = 1; i <= n; i++) {
      let cell = { longest: Infinity, from: -1 };
      for (let j = i - 1; j >= 0; j--) {
        const line = width(j, i);
        if (line > maxEm) break;
        const longest = Math.max(best[k - 1][j].longest, line);
        // ties go to the longer first line (a later j), so the lines read top-heavy, never ragged on top
        if (longest < cell.longest) cell = { longest, from: j };
      }
      row.push(cell);
    }
    best.push(row);
  }
  const lines: string[] = [];
  for (let k = best.length - 1, i = n; k > 0; k--) {
    const from = best[k][i].from;
    lines.unshift(parts.slice(from, i).join(''));
    i = from;
  }
  return lines;
}

/** The title's measure: the 版心 in characters of 2号. */
const TITLE_MEASURE_EM = TEXT_WIDTH_PT / ROLE_SIZE.title;

/**
 * The 落款's measure in characters of the 28-character grid: the line less its right indent (右空二字,
 * layout.ts SIGNATURE, the same in every format).
 */
const SIGNATURE_MEASURE_EM = PAGE.charsPerLine - SIGNATURE.rightChars;

/** The title's printed lines, in every format: each written line broken between words, evenly. */
export function titleLines(lines: readonly string[]): string[] {
  return lines.flatMap((line) => balancedLines(line, TITLE_MEASURE_EM));
}

/** The 落款's printed lines, in every format: the agency name broken between words, evenly. */
export function signatureLines(lines: readonly string[]): string[] {
  return lines.flatMap((line) => balancedLines(line, SIGNATURE_MEASURE_EM));
}

/**
 * A column header's text as the three formats print it: broken between words into even lines at its
 * cell's width (`fractions`: the table's shared column widths), `\n` between the lines. Word and
 * LibreOffice would fill each line and print table 四's 结果维持 as 结果维 / 持; other cells are left as they are.
 */
export function headerText(table: string, fractions: readonly number[], cell: GridCell & { readonly display: string }): string {
  if (cell.role !== 'header' || cell.display.includes('\n')) return cell.display;
  const size = TABLE_SIZE[table as keyof typeof TABLE_SIZE] ?? TABLE_SIZE.table3;
  const pad = TABLE_CELL_PAD_PT[table as keyof typeof TABLE_CELL_PAD_PT] ?? TABLE_CELL_PAD_PT.table3;
  const width = fractions.slice(cell.col, cell.col + cell.colSpan).reduce((a, b) => a + b, 0) * TEXT_WIDTH_PT - 2 * pad - TABLE_RULE_ALLOWANCE_PT;
  return balancedLines(cell.display, width / size).join('\n');
}
