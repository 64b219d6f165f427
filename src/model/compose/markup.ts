/**
 * The markup templates emit, and its reading into document blocks.
 *
 *   <title><line>…</line>…</title>        the title, one <line> per printed line
 *   <h1>…</h1>  <h2>…</h2>                 一、 and （一） headings
 *   <p>…</p>  <p indent="no">…</p>         body paragraph (first line indented two characters unless indent="no")
 *   <table ref="table3"/>                  an official table, filled with the report's figures
 *   <signature><line>…</line>…</signature> 落款, right-aligned lines
 *   <pagebreak/>
 *
 * Inside an element, a line break and the white space around it are dropped (Chinese text has no
 * spaces between lines), and leading/trailing white space is trimmed; an empty <p> or heading is
 * omitted. The text reaching the blocks is plain Unicode: entities are decoded here, and every
 * emitter escapes for its own target.
 */
import { DOMParser, type Element, type Node } from '@xmldom/xmldom';
import { TABLE_IDS, officialGrid, type TableId } from '../../format/official.js';
import type { Block } from '../document.js';
import { fillGrid } from '../fill.js';
import { narrativeBlock } from '../heading-levels.js';
import type { Report } from '../../format/report.js';

export interface ElementSpec {
  readonly attributes: readonly string[];
  /** must be written self-closing */
  readonly empty?: boolean;
}

export const ELEMENTS: Readonly<Record<string, ElementSpec>> = {
  title: { attributes: [] },
  line: { attributes: [] },
  h1: { attributes: [] },
  h2: { attributes: [] },
  p: { attributes: ['indent'] },
  table: { attributes: ['ref'], empty: true },
  signature: { attributes: [] },
  pagebreak: { attributes: [], empty: true },
};

export class MarkupError extends Error {
  override name = 'MarkupError';
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_NODE = 4;
const COMMENT_NODE = 8;

function normalise(text: string): string {
  return text.replace(/[ \t\r]*\n\s*/g, '').trim();
}

function describe(node: Node): string {
  const text = normalise(node.textContent ?? '').slice(0, 30);
  return text ? `<${node.nodeName}>「${text}」` : `<${node.nodeName}>`;
}

/** Text of an element that may hold text only. */
function textOf(el: Element): string {
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === ELEMENT_NODE) throw new MarkupError(`${describe(el)} 中不能包含元素 <${child.nodeName}>`);
  }
  return normalise(el.textContent ?? '');
}

/** The <line> texts of a title or signature. */
function linesOf(el: Element): string[] {
  const lines: string[] = [];
  for (const child of Array.from(el.childNodes)) {
    if (child.nodeType === ELEMENT_NODE) {
      if (child.nodeName !== 'line') throw new MarkupError(`<${el.nodeName}> 中只能包含 <line>，而不是 <${child.nodeName}>`);
      const text = textOf(child as Element);
      if (text) lines.push(text);
    } else if (child.nodeType === TEXT_NODE && normalise(child.nodeValue ?? '')) {
      throw new MarkupError(`<${el.nodeName}> 中的文字须放在 <line> 内：「${normalise(child.nodeValue ?? '')}」`);
    }
  }
  return lines;
}

/** Reads the markup a template set produced into blocks, filling tables from the report. */
export function parseMarkup(markup: string, report: Report): Block[] {
  let failure: string | undefined;
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') failure ??= message;
    },
  });
  let doc;
  try {
    doc = parser.parseFromString(`<doc>${markup}</doc>`, 'text/xml');
  } catch (error) {
    failure ??= error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined || !doc?.documentElement) throw new MarkupError(`模板生成的标记不合法：${failure ?? '无法解析'}`);

  const blocks: Block[] = [];
  for (const node of Array.from(doc.documentElement.childNodes)) {
    if (node.nodeType === COMMENT_NODE) continue;
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_NODE) {
      const stray = normalise(node.nodeValue ?? '');
      if (stray) throw new MarkupError(`文字须放在 <p>、<h1> 等元素内：「${stray.slice(0, 30)}」`);
      continue;
    }
    if (node.nodeType !== ELEMENT_NODE) continue;
    const el = node as Element;
    switch (el.nodeName) {
      case 'title': {
        const lines = linesOf(el);
        if (lines.length === 0) throw new MarkupError('<title> 没有内容');
        blocks.push({ kind: 'title', lines });
        break;
      }
      case 'signature': {
        const lines = linesOf(el);
        if (lines.length > 0) blocks.push({ kind: 'signature', lines });
        break;
      }
      case 'h1':
      case 'h2': {
        const text = textOf(el);
        if (text) blocks.push({ kind: 'heading', level: el.nodeName === 'h1' ? 1 : 2, text });
        break;
      }
      case 'p': {
        const text = textOf(el);
        const indent = el.getAttribute('indent');
        if (indent !== null && indent !== 'no' && indent !== 'yes') throw new MarkupError(`<p indent="${indent}">：indent 只能是 yes 或 no`);
        // an indented paragraph may be, or open with, a heading of the narrative (（一） 1. （1）)
        if (text) blocks.push(indent === 'no' ? { kind: 'paragraph', text, indent: false } : narrativeBlock(text));
        break;
      }
      case 'table': {
        const ref = el.getAttribute('ref') ?? '';
        if (!(TABLE_IDS as readonly string[]).includes(ref)) throw new MarkupError(`<table ref="${ref}">：表格只能是 ${TABLE_IDS.join('、')}`);
        if (el.childNodes.length > 0) throw new MarkupError(`<table ref="${ref}"> 须写成自闭合形式`);
        const table = ref as TableId;
        blocks.push({ kind: 'table', table, grid: fillGrid(officialGrid(report.format, table), report) });
        break;
      }
      case 'pagebreak':
        blocks.push({ kind: 'pageBreak' });
        break;
      default:
        throw new MarkupError(`${describe(el)} 不能出现在最外层（或不是已知元素）`);
    }
  }
  return blocks;
}
