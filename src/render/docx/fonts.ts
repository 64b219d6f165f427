/**
 * Font names per typographic role. docx names faces (Word, WPS or LibreOffice supply them), so East
 * Asian and Latin faces are written separately (`w:eastAsia` vs `w:ascii`/`w:hAnsi`) with zh-CN as the
 * East Asian language: Word then picks the intended face for hanzi and for digits alike.
 */
import { OFFICIAL_FONT_NAMES, type FontRole } from '../layout.js';

export interface FontFaces {
  /** face for hanzi and full-width punctuation, e.g. 仿宋_GB2312 */
  readonly eastAsia: string;
  /** face for Latin letters and digits, e.g. Times New Roman */
  readonly latin: string;
}

export type FontNames = Readonly<Record<FontRole, FontFaces>>;

/** Per-role overrides; a role or side left out keeps the official default. */
export type FontOverrides = Partial<Record<FontRole, Partial<FontFaces>>>;

export function resolveFonts(overrides: FontOverrides = {}): FontNames {
  const out = {} as Record<FontRole, FontFaces>;
  for (const role of Object.keys(OFFICIAL_FONT_NAMES) as FontRole[]) {
    out[role] = { ...OFFICIAL_FONT_NAMES[role], ...definedOnly(overrides[role]) };
  }
  return out;
}

function definedOnly(faces: Partial<FontFaces> | undefined): Partial<FontFaces> {
  if (!faces) return {};
  const out: { eastAsia?: string; latin?: string } = {};
  if (faces.eastAsia) out.eastAsia = faces.eastAsia;
  if (faces.latin) out.latin = faces.latin;
  return out;
}

/** The `w:rFonts` attributes of a role (complex-script slot gets the Latin face). */
export function runFont(faces: FontFaces): { ascii: string; hAnsi: string; eastAsia: string; cs: string } {
  return { ascii: faces.latin, hAnsi: faces.latin, eastAsia: faces.eastAsia, cs: faces.latin };
}

/** `w:lang`: Latin text is tagged en-US, East Asian text zh-CN. */
export const LANGUAGE = { value: 'en-US', eastAsia: 'zh-CN' } as const;
