/**
 * The docx reader (Word and WPS): word/document.xml unzipped with fflate and parsed with
 * @xmldom/xmldom. Paragraphs become text blocks (right alignment kept, directly or through the
 * paragraph style, for the 落款); tables keep their merged cells as Word stores them: w:gridSpan for
 * columns, w:vMerge for rows (a continued cell is covered, so left out of its row).
 */
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';
import { ImportError, type SourceBlock, type SourceCell, type SourceDocument } from './source.js';

const ELEMENT = 1;
const children = (node: Node): Element[] => {
  const out: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT) out.push(c as Element);
  return out;
};
const child = (node: Node, name: string) => children(node).find((c) => c.localName === name);
const val = (el: Element | undefined) => el?.getAttributeNS?.(el.namespaceURI, 'val') || el?.getAttribute('w:val') || undefined;

function parseXml(bytes: Uint8Array | undefined, name: string): Element {
  if (!bytes) throw new ImportError(`不是 Word 文档：缺少 ${name}`);
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(strFromU8(bytes), 'text/xml');
  if (!doc.documentElement) throw new ImportError(`Word 文档的 ${name} 无法解析`);
  return doc.documentElement;
}

/** Paragraph styles whose alignment is right (the 落款 style of many templates). */
function rightStyles(styles: Element | undefined): Set<string> {
  const out = new Set<string>();
  if (!styles) return out;
  for (const style of children(styles)) {
    if (style.localName !== 'style') continue;
    const jc = val(child(child(style, 'pPr') ?? style, 'jc'));
    if (jc === 'right' || jc === 'end') out.add(style.getAttribute('w:styleId') ?? '');
  }
  return out;
}

/** A paragraph's text, split at line breaks (w:br, w:cr); deleted text and field codes left out. */
function paragraphLines(p: Element): string[] {
  const lines = [''];
  const walk = (node: Element) => {
    switch (node.localName) {
      case 't':
        lines[lines.length - 1] += node.textContent ?? '';
        return;
      case 'tab':
        lines[lines.length - 1] += ' ';
        return;
      case 'br':
      case 'cr':
        lines.push('');
        return;
      case 'delText':
      case 'instrText':
      case 'pPr':
      case 'rPr':
        return;
      default:
        children(node).forEach(walk);
    }
  };
  children(p).forEach(walk);
  return lines;
}

export function readDocx(bytes: Uint8Array): SourceDocument {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, { filter: (f) => f.name === 'word/document.xml' || f.name === 'word/styles.xml' });
  } catch {
    throw new ImportError('不是 Word 文档（docx 应为 zip 压缩包）；旧的 .doc 文件请先用 Word 或 WPS 另存为 .docx');
  }
  const document = parseXml(files['word/document.xml'], 'word/document.xml');
  const right = rightStyles(files['word/styles.xml'] ? parseXml(files['word/styles.xml'], 'word/styles.xml') : undefined);
  const body = child(document, 'body');
  if (!body) throw new ImportError('Word 文档没有正文（w:body）');
  const blocks: SourceBlock[] = [];
  let tableNo = 0;

  const paragraph = (p: Element) => {
    const pPr = child(p, 'pPr');
    const jc = val(child(pPr ?? p, 'jc'));
    const style = val(child(pPr ?? p, 'pStyle'));
    const isRight = jc === 'right' || jc === 'end' || (jc === undefined && style !== undefined && right.has(style));
    for (const text of paragraphLines(p)) blocks.push({ kind: 'text', text, ...(isRight ? { align: 'right' as const } : {}) });
  };

  const cellText = (tc: Element): string =>
    children(tc)
      .flatMap((c) => (c.localName === 'p' ? paragraphLines(c) : c.localName === 'tbl' ? children(c).flatMap((tr) => children(tr).map(cellText)) : []))
      .map((l) => l.replace(/[\s\u00a0\u3000]+/g, ' ').trim())
      .filter(Boolean)
      .join('\n');

  const table = (tbl: Element) => {
    const no = ++tableNo;
    const rows: SourceCell[][] = [];
    for (const tr of children(tbl).filter((c) => c.localName === 'tr')) {
      let col = Number(val(child(child(tr, 'trPr') ?? tr, 'gridBefore')) ?? 0) || 0;
      const cells: SourceCell[] = [];
      for (const tc of children(tr)) {
        if (tc.localName === 'sdt') continue;
        if (tc.localName !== 'tc') continue;
        const tcPr = child(tc, 'tcPr');
        const span = Number(val(child(tcPr ?? tc, 'gridSpan')) ?? 1) || 1;
        const vMerge = child(tcPr ?? tc, 'vMerge');
        const covered = vMerge !== undefined && val(vMerge) !== 'restart';
        if (!covered) cells.push({ text: cellText(tc), place: { table: no, row: rows.length + 1, column: col + 1 } });
        col += span;
      }
      rows.push(cells);
    }
    blocks.push({ kind: 'table', rows });
  };

  const walk = (node: Element) => {
    for (const el of children(node)) {
      if (el.localName === 'p') paragraph(el);
      else if (el.localName === 'tbl') table(el);
      else if (el.localName === 'sdt') walk(child(el, 'sdtContent') ?? el);
      else if (el.localName === 'customXml' || el.localName === 'sdtContent') walk(el);
    }
  };
  walk(body);
  return { kind: 'docx', blocks };
}
