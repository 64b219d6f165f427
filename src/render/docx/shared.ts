/**
 * Work the docx package has done once, kept for the next document in the same process. A report's
 * tables are the official forms: their labels, headers and most figures (0, 1, 2 …) recur cell for cell
 * in every report, and building and writing those cells was most of a render. What is kept is the
 * package's own written form of a component and the XML text the package made of it, so a reused one
 * writes the same bytes as a fresh one.
 */

import type { BaseXmlComponent, IContext, IXmlableObject } from 'docx';

let sharing = true;

/** Whether work is shared: false only inside `withoutSharing`. */
export function isSharing(): boolean {
  return sharing;
}

/**
 * Runs `render` with nothing shared or kept, every component the docx package's own, built and
 * written afresh, as before sharing: tests compare the bytes of the two.
 */
export async function withoutSharing<T>(render: () => Promise<T>): Promise<T> {
  sharing = false;
  try {
    return await render();
  } finally {
    sharing = true;
  }
}

/**
 * Freezes a written component and everything in it. A document that reuses it then cannot change it
 * for the next: the docx package is strict-mode code, so a write to a frozen object throws.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * `component` as it is, except that it is written once: every later write gives the same frozen
 * written form, and once a document has turned that into XML, the same text (`placeWritten`). For parts whose XML depends on their own options only, built by the docx package
 * for the first document and standing in for the same part of the next ones. The stand-in inherits
 * everything else (getters, fields) from the component itself.
 */
export function writtenOnce<T extends BaseXmlComponent>(component: T): T {
  let written: IXmlableObject | undefined;
  const text = new WrittenText();
  const stand: T = Object.create(component);
  Object.defineProperty(stand, 'prepForXml', {
    value: (context: IContext) => {
      written ??= deepFreeze(component.prepForXml(context));
      return written && placeWritten(context, text, written);
    },
  });
  return stand;
}

/**
 * A component whose XML is the same in every document (a shared table cell): the text the docx package
 * wrote for its content the first time, kept so that later documents copy it instead of writing it again.
 * Writing the frozen written form of the recurring cells was still most of compiling document.xml.
 */
export class WrittenText {
  static #next = 0;
  readonly id = WrittenText.#next++;
  /** the XML between the component's start and end tags, once a document has written it */
  xml: string | undefined;
}

/**
 * Marks in the compiled XML, in a namespace of our own. The text of a document cannot forge one: the
 * docx package writes every `<` of text as `&lt;`.
 */
const MARK = 'nianbao-written';
const MARKS = new RegExp(`<${MARK}:(from|to|at) n="(\\d+)"/>`, 'g');
const mark = (kind: 'from' | 'to' | 'at', text: WrittenText) => ({ [`${MARK}:${kind}`]: { _attr: { n: text.id } } });

/** The components placed in each document being compiled, by id (keyed by the docx `File`). */
const placedIn = new WeakMap<object, Map<number, WrittenText>>();

/**
 * What the docx package writes for `written` (a component's written form) in the document of `context`:
 * while its text is not known, its content between two marks, so that `fillWritten` learns the text
 * between them; once it is known, a single mark that the text replaces. The root element (its name,
 * attributes) is still the package's to write. A mark never waits for text that another place of the
 * same document is to give: the package writes some parts twice and keeps one (a footer).
 *
 * `inner` are the components written once inside this one (a shared row's shared cells): their marks
 * are frozen into its written form, so while its own text is not known, they are placed in this
 * document too.
 */
export function placeWritten(context: IContext, text: WrittenText, written: IXmlableObject, inner: readonly WrittenText[] = []): IXmlableObject {
  const [root] = Object.keys(written);
  const children: unknown = written[root];
  // only elements inside: text among them would be written differently between marks
  if (!isSharing() || Object.keys(written).length !== 1 || !Array.isArray(children) || !children.every((child) => typeof child === 'object' && child !== null)) return written;
  let placed = placedIn.get(context.file);
  if (!placed) placedIn.set(context.file, (placed = new Map()));
  placed.set(text.id, text);
  if (text.xml === undefined) {
    for (const t of inner) placed.set(t.id, t);
    return { [root]: [mark('from', text), ...children, mark('to', text)] };
  }
  const attributes = children.filter((child) => Object.keys(child as object)[0] === '_attr');
  return { [root]: [...attributes, mark('at', text)] };
}

/** Whether a compiled part holds marks of `placeWritten`. */
export function hasWritten(xml: string): boolean {
  return xml.includes(`<${MARK}:`);
}

/**
 * A compiled part of `file` with the marks of `placeWritten` resolved: the text between a `from` and
 * its `to` kept (and learnt, with the marks inside it resolved: a shared cell within a shared row), each
 * `at` replaced by its component's text.
 */
export function fillWritten(xml: string, file: object): string {
  const placed = placedIn.get(file);
  if (!placed || !hasWritten(xml)) return xml;
  // the resolved text in pieces: a component's text is the pieces since its `from`, joined
  const pieces: string[] = [];
  const open: { id: number; piece: number }[] = [];
  let last = 0;
  for (const found of xml.matchAll(MARKS)) {
    pieces.push(xml.slice(last, found.index));
    last = found.index + found[0].length;
    const id = Number(found[2]);
    const text = placed.get(id);
    if (!text) throw new Error(`docx 内部错误：标记 ${found[0]} 不属于本文档`);
    if (found[1] === 'from') open.push({ id, piece: pieces.length });
    else if (found[1] === 'to') {
      if (open.at(-1)?.id !== id) throw new Error(`docx 内部错误：标记 ${found[0]} 没有对应的开始`);
      text.xml = pieces.slice(open.pop()!.piece).join('');
    } else {
      if (text.xml === undefined) throw new Error(`docx 内部错误：标记 ${found[0]} 还没有内容`);
      pieces.push(text.xml);
    }
  }
  pieces.push(xml.slice(last));
  return pieces.join('');
}
