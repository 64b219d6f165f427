/**
 * word/fontTable.xml: the faces a report names, described so that Word and WPS substitute sensibly on
 * a computer without them (a `w:altName` to try first, then PANOSE, character set, family and pitch).
 * The docx package writes a font table only for embedded fonts, so the part it writes (empty) is
 * replaced here; the descriptions are data (format/docx-fonts.yaml). Faces are declared in the order
 * of the roles that use them, each once, so the same fonts give the same bytes.
 */
import { readFormatFile } from '../../format/data-files.js';
import { OFFICIAL_FONT_NAMES, type FontRole } from '../layout.js';
import { escapeHtml as escapeXml } from '../html/index.js';
import type { FontNames } from './fonts.js';

interface FontDescription {
  readonly alt_name?: string;
  readonly panose1?: string;
  readonly charset: string;
  readonly family?: string;
  readonly pitch?: string;
  readonly sig?: Readonly<Record<'usb0' | 'usb1' | 'usb2' | 'usb3' | 'csb0' | 'csb1', string>>;
}

interface DocxFontsFile {
  readonly fonts: Readonly<Record<string, FontDescription>>;
  readonly unknown: { readonly east_asia_charset: string; readonly latin_charset: string };
}

let data: DocxFontsFile | undefined;

/** The descriptions of format/docx-fonts.yaml, read once. */
export function docxFontDescriptions(): DocxFontsFile {
  return (data ??= readFormatFile<DocxFontsFile>('docx-fonts.yaml'));
}

/** Every face the document names, each once: per role (layout order), East Asian face then Latin. */
export function facesInUse(fonts: FontNames): { name: string; eastAsia: boolean }[] {
  const out = new Map<string, boolean>();
  for (const role of Object.keys(OFFICIAL_FONT_NAMES) as FontRole[]) {
    const { eastAsia, latin } = fonts[role];
    if (!out.has(eastAsia)) out.set(eastAsia, true);
    if (!out.has(latin)) out.set(latin, false);
  }
  return [...out].map(([name, eastAsia]) => ({ name, eastAsia }));
}

function fontElement(name: string, eastAsia: boolean, file: DocxFontsFile): string {
  const known = Object.hasOwn(file.fonts, name) ? file.fonts[name] : undefined;
  const d: FontDescription = known ?? { charset: eastAsia ? file.unknown.east_asia_charset : file.unknown.latin_charset };
  // CT_Font's children in schema order (ECMA-376 Part 1, 17.8.3.10)
  const parts = [
    d.alt_name ? `<w:altName w:val="${escapeXml(d.alt_name)}"/>` : '',
    d.panose1 ? `<w:panose1 w:val="${d.panose1}"/>` : '',
    `<w:charset w:val="${d.charset}"/>`,
    d.family ? `<w:family w:val="${d.family}"/>` : '',
    d.pitch ? `<w:pitch w:val="${d.pitch}"/>` : '',
    d.sig ? `<w:sig w:usb0="${d.sig.usb0}" w:usb1="${d.sig.usb1}" w:usb2="${d.sig.usb2}" w:usb3="${d.sig.usb3}" w:csb0="${d.sig.csb0}" w:csb1="${d.sig.csb1}"/>` : '',
  ];
  return `<w:font w:name="${escapeXml(name)}">${parts.join('')}</w:font>`;
}

/** The `w:font` elements of a document using `fonts`. */
export function fontTableEntries(fonts: FontNames): string {
  const file = docxFontDescriptions();
  return facesInUse(fonts)
    .map(({ name, eastAsia }) => fontElement(name, eastAsia, file))
    .join('');
}

/**
 * The docx package's font table (its root element with namespaces, no fonts: nianbao embeds none) with
 * the document's faces declared in it.
 */
export function fillFontTable(xml: string, entries: string): string {
  const empty = /<w:fonts\b([^>]*?)\/>/;
  if (!empty.test(xml)) throw new Error('docx 生成的 word/fontTable.xml 不是预期的空字体表（docx 包版本变了？）');
  return xml.replace(empty, (_, attributes: string) => `<w:fonts${attributes}>${entries}</w:fonts>`);
}
