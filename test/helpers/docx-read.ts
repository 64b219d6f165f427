/**
 * Reads a .docx back the way a consumer does: unzip, parse the XML parts, and rebuild each table's
 * grid from `w:gridSpan` / `w:vMerge` alone, so tests compare what Word will see with the grid model.
 */
import { DOMParser, type Document as XmlDocument, type Element } from '@xmldom/xmldom';
import { strFromU8, unzipSync } from 'fflate';

export const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

export interface DocxParts {
  readonly names: readonly string[];
  text(name: string): string;
  xml(name: string): XmlDocument;
}

export function readDocx(bytes: Uint8Array): DocxParts {
  const files = unzipSync(bytes);
  const parsed = new Map<string, XmlDocument>();
  return {
    names: Object.keys(files),
    text(name) {
      const file = files[name];
      if (!file) throw new Error(`docx has no part ${name}`);
      return strFromU8(file);
    },
    /** Parsed once per part and cached: treat the result as read-only. */
    xml(name) {
      let doc = parsed.get(name);
      if (!doc) {
        // strict: an XML error Word would reject fails the test instead of being repaired silently
        const parser = new DOMParser({
          onError: (level, message) => {
            if (level !== 'warning') throw new Error(`${name}: XML ${level}: ${message}`);
          },
        });
        doc = parser.parseFromString(this.text(name), 'text/xml') as unknown as XmlDocument;
        parsed.set(name, doc);
      }
      return doc;
    },
  };
}

/** Child elements of `parent` named w:<local>, in order (direct children only). */
export function children(parent: Element, local: string): Element[] {
  const out: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).namespaceURI === W && (n as Element).localName === local) out.push(n as Element);
  }
  return out;
}

export function child(parent: Element, local: string): Element | undefined {
  return children(parent, local)[0];
}

/** All descendants named w:<local>. */
export function all(parent: Element | XmlDocument, local: string): Element[] {
  return Array.from(parent.getElementsByTagNameNS(W, local));
}

/** Whether an on/off property (e.g. w:keepNext in a w:pPr) is present and not switched off by w:val. */
export function isOn(parent: Element | undefined, local: string): boolean {
  const el = parent && child(parent, local);
  return el !== undefined && !['false', '0', 'off'].includes(attr(el, 'val') ?? 'true');
}

/** A w: attribute's value, or undefined. */
export function attr(el: Element | undefined, name: string): string | undefined {
  if (!el) return undefined;
  return el.hasAttributeNS(W, name) ? el.getAttributeNS(W, name)! : undefined;
}

/** The visible text of an element: w:t joined, w:br and paragraph ends between paragraphs as line breaks. */
export function textOf(el: Element): string {
  let out = '';
  let paragraphs = 0;
  const walk = (node: Element) => {
    for (let n = node.firstChild; n; n = n.nextSibling) {
      if (n.nodeType !== 1) continue;
      const e = n as Element;
      const local = e.namespaceURI === W ? e.localName : '';
      if (local === 't') out += e.textContent ?? '';
      else if (local === 'br') out += '\n';
      else {
        if (local === 'p' && paragraphs++ > 0) out += '\n';
        walk(e);
      }
    }
  };
  walk(el);
  return out;
}

export interface RebuiltCell {
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  /** the anchor w:tc */
  tc: Element;
}

export interface RebuiltTable {
  gridWidths: number[];
  /** anchors per row, in reading order */
  rows: RebuiltCell[][];
  /** rectangle: the anchor covering each slot */
  slots: RebuiltCell[][];
  trs: Element[];
}

/**
 * Rebuilds a w:tbl's grid. Throws if a row does not cover the w:tblGrid exactly, or a vMerge continue
 * cell has no matching cell above it (same columns): both are tables Word shows broken.
 */
export function rebuildTable(tbl: Element): RebuiltTable {
  const gridWidths = children(child(tbl, 'tblGrid')!, 'gridCol').map((g) => Number(attr(g, 'w')));
  const columns = gridWidths.length;
  const trs = children(tbl, 'tr');
  const slots: RebuiltCell[][] = [];
  const rows: RebuiltCell[][] = [];
  trs.forEach((tr, r) => {
    const rowSlots: RebuiltCell[] = [];
    const anchors: RebuiltCell[] = [];
    let col = 0;
    for (const tc of children(tr, 'tc')) {
      const tcPr = child(tc, 'tcPr');
      const span = Number(attr(tcPr && child(tcPr, 'gridSpan'), 'val') ?? 1);
      const vMerge = tcPr && child(tcPr, 'vMerge');
      const isContinue = vMerge !== undefined && (attr(vMerge, 'val') ?? 'continue') === 'continue';
      if (col + span > columns) throw new Error(`row ${r + 1}: cells cover ${col + span} of ${columns} grid columns`);
      let cell: RebuiltCell;
      if (isContinue) {
        const above = slots[r - 1]?.[col];
        if (!above || above.col !== col || above.colSpan !== span) throw new Error(`row ${r + 1} col ${col + 1}: vMerge continue without a matching cell above`);
        if (textOf(tc).trim() !== '') throw new Error(`row ${r + 1} col ${col + 1}: a vMerge continue cell holds text`);
        above.rowSpan++;
        cell = above;
      } else {
        cell = { row: r, col, rowSpan: 1, colSpan: span, text: textOf(tc), tc };
        anchors.push(cell);
      }
      for (let i = 0; i < span; i++) rowSlots.push(cell);
      col += span;
    }
    if (col !== columns) throw new Error(`row ${r + 1}: cells cover ${col} of ${columns} grid columns`);
    slots.push(rowSlots);
    rows.push(anchors);
  });
  return { gridWidths, rows, slots, trs };
}

/** The run properties of the first w:r in an element. */
export function firstRunProps(el: Element): Element | undefined {
  const r = all(el, 'r')[0];
  return r && child(r, 'rPr');
}

/** `{ eastAsia, ascii, hAnsi, size (half-points), langEastAsia, spacing }` of a w:rPr. */
export function runStyle(rPr: Element | undefined) {
  const fonts = rPr && child(rPr, 'rFonts');
  return {
    eastAsia: attr(fonts, 'eastAsia'),
    ascii: attr(fonts, 'ascii'),
    hAnsi: attr(fonts, 'hAnsi'),
    size: Number(attr(rPr && child(rPr, 'sz'), 'val')),
    langEastAsia: attr(rPr && child(rPr, 'lang'), 'eastAsia'),
    spacing: attr(rPr && child(rPr, 'spacing'), 'val'),
  };
}

/**
 * The properties Word applies, resolved as Word resolves them: direct formatting first, then the
 * paragraph's style and the styles it is based on (styles.xml), then the document defaults. Each
 * attribute is taken from the first level that sets it, so a style cannot hide a missing font.
 */
export interface Resolved {
  /** Run properties of `run` (default: the paragraph's first run) in paragraph `p`. */
  run(p: Element, run?: Element): ReturnType<typeof runStyle>;
  /** An attribute of a paragraph property, e.g. `pAttr(p, 'jc', 'val')` or `pAttr(p, 'ind', 'firstLineChars')`. */
  pAttr(p: Element, local: string, name: string): string | undefined;
  /** Whether an on/off paragraph property (w:keepNext…) is on for `p`. */
  pOn(p: Element, local: string): boolean;
  /** The paragraph's style chain, nearest first (style ids). */
  styleChain(p: Element): string[];
}

export function resolver(parts: DocxParts): Resolved {
  const styles = parts.xml('word/styles.xml');
  const byId = new Map<string, Element>();
  for (const s of all(styles, 'style')) byId.set(s.getAttributeNS(W, 'styleId') ?? '', s);
  const defaults = all(styles, 'docDefaults')[0];
  const defaultRPr = defaults && all(defaults, 'rPr')[0];
  const defaultPPr = defaults && all(defaults, 'pPr')[0];
  const chainOf = (id: string | undefined, type: 'paragraph' | 'character'): Element[] => {
    const out: Element[] = [];
    for (let at = id; at !== undefined; ) {
      const style = byId.get(at);
      if (!style || style.getAttributeNS(W, 'type') !== type) throw new Error(`no ${type} style ${at}`);
      if (out.includes(style)) throw new Error(`style ${at} is based on itself`);
      out.push(style);
      at = attr(child(style, 'basedOn'), 'val');
    }
    return out;
  };
  const paragraphStyles = (p: Element) => chainOf(attr(child(child(p, 'pPr') ?? p, 'pStyle'), 'val') ?? 'Normal', 'paragraph');
  const pPrs = (p: Element) => [child(p, 'pPr'), ...paragraphStyles(p).map((s) => child(s, 'pPr')), defaultPPr];
  const first = <T>(levels: (Element | undefined)[], read: (el: Element) => T | undefined): T | undefined => {
    for (const el of levels) {
      const v = el && read(el);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  return {
    run(p, run = all(p, 'r')[0]) {
      const rPr = run && child(run, 'rPr');
      const charStyles = rPr ? chainOf(attr(child(rPr, 'rStyle'), 'val'), 'character') : [];
      const levels = [rPr, ...charStyles.map((s) => child(s, 'rPr')), ...paragraphStyles(p).map((s) => child(s, 'rPr')), defaultRPr];
      const fontAttr = (name: string) => first(levels, (rp) => attr(child(rp, 'rFonts'), name));
      const size = first(levels, (rp) => attr(child(rp, 'sz'), 'val'));
      return {
        eastAsia: fontAttr('eastAsia'),
        ascii: fontAttr('ascii'),
        hAnsi: fontAttr('hAnsi'),
        size: Number(size),
        langEastAsia: first(levels, (rp) => attr(child(rp, 'lang'), 'eastAsia')),
        spacing: first(levels, (rp) => attr(child(rp, 'spacing'), 'val')),
      };
    },
    pAttr(p, local, name) {
      return first(pPrs(p), (pPr) => attr(child(pPr, local), name));
    },
    pOn(p, local) {
      return first(pPrs(p), (pPr) => (child(pPr, local) ? isOn(pPr, local) : undefined)) ?? false;
    },
    styleChain(p) {
      return paragraphStyles(p).map((s) => s.getAttributeNS(W, 'styleId') ?? '');
    },
  };
}
