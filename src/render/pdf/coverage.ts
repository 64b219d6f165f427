/**
 * The PDF fonts' glyph coverage as the checker asks it (src/validate/characters.ts): the same fonts the
 * PDF renderer loads (bundled Noto by default, a workspace's `fonts:` per role) and the same test it
 * applies before drawing (`missingGlyphs`), so a report that passes `check` is drawable. A bundled font
 * is answered from the ranges written at build time (glyph-ranges.ts) when they are this file's.
 */
import path from 'node:path';
import type { GlyphCoverage, TextRole } from '../../validate/characters.js';
import { bundledFontFile, fontLabel, loadFont, missingGlyphs, type PdfFontFile } from './fonts.js';
import { inRanges, needsGlyph, prebuiltRanges } from './glyph-ranges.js';

/** One role's answer: the characters of a text its font cannot draw, and the font's name for messages. */
interface RoleCoverage {
  missing(text: string): string[];
  readonly name: string;
}

function fromRanges(ranges: readonly (readonly [number, number])[], name: string): RoleCoverage {
  return {
    name,
    missing(text) {
      const missing = new Set<string>();
      for (const ch of text) {
        const cp = ch.codePointAt(0)!;
        if (needsGlyph(cp) && !inRanges(ranges, cp)) missing.add(ch);
      }
      return [...missing];
    },
  };
}

/**
 * Coverage by the fonts of the title and body roles. A font that cannot be loaded is not judged here:
 * the build reports it, once, with its own message.
 */
export function pdfGlyphCoverage(fonts: Partial<Record<TextRole, PdfFontFile>> = {}, baseDir?: string): GlyphCoverage {
  const roles = new Map<TextRole, RoleCoverage | null>();
  const coverageOf = (role: TextRole): RoleCoverage | null => {
    if (!roles.has(role)) {
      let coverage: RoleCoverage | null;
      try {
        const given = fonts[role];
        const bundled = given ? undefined : bundledFontFile(role);
        const ranges = bundled ? prebuiltRanges(bundled) : undefined;
        if (bundled && ranges) coverage = fromRanges(ranges, `${path.basename(bundled)}（nianbao 自带）`);
        else {
          const font = given ? loadFont(given, baseDir) : loadFont(bundled!);
          coverage = { name: given ? fontLabel(font) : `${path.basename(font.file)}（nianbao 自带）`, missing: (text) => missingGlyphs(font, text) };
        }
      } catch {
        coverage = null;
      }
      roles.set(role, coverage);
    }
    return roles.get(role)!;
  };
  return {
    missing(role, text) {
      return coverageOf(role)?.missing(text) ?? [];
    },
    fontName(role) {
      return coverageOf(role)?.name ?? role;
    },
  };
}
