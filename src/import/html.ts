/**
 * The HTML reader: pages as government CMSs publish them (Word-saved markup with MsoNormal spans and
 * &nbsp;, layout tables around the report, cells split into several <p>, GBK pages). parse5 builds the
 * tree exactly as a browser would from any markup, so a page that displays right reads right.
 */
import { parse } from 'parse5';
import type { DefaultTreeAdapterMap } from 'parse5';
import type { SourceBlock, SourceCell, SourceDocument } from './source.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

const SKIP = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'math', 'select', 'button']);
const BLOCK = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'section', 'article', 'blockquote', 'center', 'header', 'footer', 'main', 'tr', 'td', 'th', 'dd', 'dt', 'pre', 'caption']);

const isElement = (node: Node): node is Element => 'tagName' in node;
const attr = (el: Element, name: string) => el.attrs.find((a) => a.name === name)?.value;

/** The text of a page's bytes: BOM, then the declared charset (Word saves gb2312), then UTF-8, else GB18030. */
export function decodeHtml(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const declared = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
  if (declared) {
    try {
      return new TextDecoder(declared.toLowerCase()).decode(bytes);
    } catch {
      // an unknown label: fall through to sniffing
    }
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

const rightAligned = (el: Element): boolean => {
  const style = attr(el, 'style') ?? '';
  return attr(el, 'align')?.toLowerCase() === 'right' || /text-align\s*:\s*right/i.test(style) || /\bsignature\b/.test(attr(el, 'class') ?? '');
};

function hasElement(root: Element, tag: string): boolean {
  const search = (node: Node): boolean => isElement(node) && (node.tagName === tag || node.childNodes.some(search));
  return root.childNodes.some(search);
}

function hasNestedTable(table: Element): boolean {
  const search = (node: Node): boolean => isElement(node) && (node.tagName === 'table' || node.childNodes.some(search));
  return table.childNodes.some(search);
}

/** A cell's text: its paragraphs and line breaks kept as line breaks (so `1` `2` in two <p> never read as 12). */
function cellText(node: Node): string {
  if (!isElement(node)) return node.nodeName === '#text' ? (node as DefaultTreeAdapterMap['textNode']).value : '';
  if (SKIP.has(node.tagName)) return '';
  if (node.tagName === 'br') return '\n';
  const inner = node.childNodes.map(cellText).join('');
  return BLOCK.has(node.tagName) ? `\n${inner}\n` : inner;
}

function tableRows(table: Element, tableNo: number): SourceCell[][] {
  const rows: Element[] = [];
  const collect = (node: Node) => {
    if (!isElement(node)) return;
    if (node.tagName === 'tr') rows.push(node);
    else node.childNodes.forEach(collect);
  };
  table.childNodes.forEach(collect);
  const taken: Set<number>[] = [];
  return rows.map((tr, r) => {
    const busy = (taken[r] ??= new Set());
    let col = 0;
    const cells: SourceCell[] = [];
    for (const td of tr.childNodes) {
      if (!isElement(td) || (td.tagName !== 'td' && td.tagName !== 'th')) continue;
      while (busy.has(col)) col++;
      const colSpan = Math.max(1, Number.parseInt(attr(td, 'colspan') ?? '1', 10) || 1);
      const rowSpan = Math.max(1, Number.parseInt(attr(td, 'rowspan') ?? '1', 10) || 1);
      const text = cellText(td)
        .split('\n')
        .map((l) => l.replace(/[\s\u00a0\u3000]+/g, ' ').trim())
        .filter(Boolean)
        .join('\n');
      const place = { table: tableNo, row: r + 1, column: col + 1 };
      // a figure pasted as a picture has no text to read: said so, never taken for a blank
      if (text === '' && hasElement(td, 'img')) cells.push({ text, unreadable: '是图片，没有文字', place });
      else cells.push({ text, place });
      for (let dr = 1; dr < rowSpan; dr++) for (let dc = 0; dc < colSpan; dc++) (taken[r + dr] ??= new Set()).add(col + dc);
      col += colSpan;
    }
    return cells;
  });
}

export function readHtml(bytes: Uint8Array): SourceDocument {
  const doc = parse(decodeHtml(bytes));
  const blocks: SourceBlock[] = [];
  let buffer = '';
  let bufferRight = false;
  let tableNo = 0;
  const flush = () => {
    const text = buffer.replace(/[\s\u00a0\u3000]+/g, ' ').trim();
    if (text) blocks.push({ kind: 'text', text, ...(bufferRight ? { align: 'right' as const } : {}) });
    buffer = '';
    bufferRight = false;
  };
  const walk = (node: Node, right: boolean) => {
    if (!isElement(node)) {
      if (node.nodeName === '#text') {
        buffer += (node as DefaultTreeAdapterMap['textNode']).value;
        if ((node as DefaultTreeAdapterMap['textNode']).value.trim()) bufferRight ||= right;
      }
      return;
    }
    if (SKIP.has(node.tagName)) return;
    if (node.tagName === 'br') return flush();
    const r = right || rightAligned(node);
    if (node.tagName === 'table' && !hasNestedTable(node)) {
      flush();
      blocks.push({ kind: 'table', rows: tableRows(node, ++tableNo) });
      return;
    }
    const block = BLOCK.has(node.tagName) || node.tagName === 'table';
    if (block) flush();
    for (const child of (node as Element).childNodes) walk(child, r);
    if (block) flush();
  };
  for (const child of doc.childNodes) walk(child, false);
  flush();
  return { kind: 'html', blocks };
}
