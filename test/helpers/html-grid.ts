/**
 * Reads an HTML table back the way a browser lays it out: each `<tr>` of `<thead>` then `<tbody>`,
 * cells placed left to right into the first free slot, `rowspan`/`colspan` occupying the slots below
 * and to the right. Tests compare the result with the official grid, so they check what a reader sees
 * rather than how the emitter happened to build it.
 */
import { JSDOM, VirtualConsole } from 'jsdom';

export interface HtmlCell {
  readonly row: number;
  readonly col: number;
  readonly rowSpan: number;
  readonly colSpan: number;
  readonly tag: 'th' | 'td';
  readonly scope: string | null;
  readonly text: string;
  readonly inHead: boolean;
  readonly className: string;
}

export interface HtmlGrid {
  /** anchors in reading order */
  readonly cells: HtmlCell[];
  /** slots[row][col] = the anchor covering that slot (undefined = hole) */
  readonly slots: (HtmlCell | undefined)[][];
  readonly headRows: number;
}

/**
 * jsdom's CSS parser does not know the page-margin boxes of `@page` (`@bottom-right { … }`, the printed page
 * numbers, which Chromium prints: test/clients/), says so once per page parsed and drops the style sheet
 * (these tests read the markup and the style sheet's text, not computed styles); every other error of jsdom is
 * still printed.
 */
function quietConsole(): VirtualConsole {
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', (error: Error & { detail?: unknown }) => {
    if (error.message === 'Could not parse CSS stylesheet' && /@bottom-(left|right)/.test(String(error.detail))) return;
    console.error(error);
  });
  return virtualConsole;
}

export function parseHtml(html: string): Document {
  return new JSDOM(html, { virtualConsole: quietConsole() }).window.document;
}

export function expandTable(table: HTMLTableElement): HtmlGrid {
  const rows = [...table.querySelectorAll(':scope > thead > tr, :scope > tbody > tr')] as HTMLTableRowElement[];
  const slots: (HtmlCell | undefined)[][] = rows.map(() => []);
  const cells: HtmlCell[] = [];
  const overlaps: string[] = [];
  rows.forEach((tr, r) => {
    let col = 0;
    for (const el of [...tr.children] as HTMLTableCellElement[]) {
      while (slots[r][col]) col++;
      const cell: HtmlCell = {
        row: r,
        col,
        rowSpan: Number(el.getAttribute('rowspan') ?? 1),
        colSpan: Number(el.getAttribute('colspan') ?? 1),
        tag: el.tagName.toLowerCase() as 'th' | 'td',
        scope: el.getAttribute('scope'),
        text: el.textContent ?? '',
        inHead: tr.parentElement?.tagName.toLowerCase() === 'thead',
        className: el.className,
      };
      cells.push(cell);
      for (let dr = 0; dr < cell.rowSpan; dr++) {
        for (let dc = 0; dc < cell.colSpan; dc++) {
          const line = (slots[r + dr] ??= []);
          if (line[col + dc]) overlaps.push(`${r + dr}:${col + dc}`);
          line[col + dc] = cell;
        }
      }
      col += cell.colSpan;
    }
  });
  if (overlaps.length > 0) throw new Error(`HTML table cells overlap at ${overlaps.join(', ')}`);
  return { cells, slots, headRows: table.querySelectorAll(':scope > thead > tr').length };
}
