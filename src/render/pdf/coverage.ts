/**
 * The PDF fonts' glyph coverage as the checker asks it (src/validate/characters.ts): the same fonts the
 * PDF renderer loads (bundled Noto by default, a workspace's `fonts:` per role) and the same test it
 * applies before drawing (`missingGlyphs`), so a report that passes `check` is drawable.
 */
import path from 'node:path';
import type { GlyphCoverage, TextRole } from '../../validate/characters.js';
import { bundledFontFile, fontLabel, loadFont, missingGlyphs, type LoadedFont, type PdfFontFile } from './fonts.js';

/**
 * Coverage by the fonts of the title and body roles. A font that cannot be loaded is not judged here:
 * the build reports it, once, with its own message.
 */
export function pdfGlyphCoverage(fonts: Partial<Record<TextRole, PdfFontFile>> = {}, baseDir?: string): GlyphCoverage {
  const loaded = new Map<TextRole, LoadedFont | null>();
  const fontOf = (role: TextRole): LoadedFont | null => {
    if (!loaded.has(role)) {
      let font: LoadedFont | null;
      try {
        const given = fonts[role];
        font = given ? loadFont(given, baseDir) : loadFont(bundledFontFile(role));
      } catch {
        font = null;
      }
      loaded.set(role, font);
    }
    return loaded.get(role)!;
  };
  return {
    missing(role, text) {
      const font = fontOf(role);
      return font ? missingGlyphs(font, text) : [];
    },
    fontName(role) {
      const font = fontOf(role);
      if (!font) return role;
      return fonts[role] ? fontLabel(font) : `${path.basename(font.file)}（nianbao 自带）`;
    },
  };
}
