/**
 * Writes dist/glyph-coverage.json: the code points each bundled PDF font draws, as ranges, for `check`
 * to answer glyph questions without loading fontkit (src/render/pdf/glyph-ranges.ts). Run by
 * `npm run build` after tsc.
 */
import { writeFileSync } from 'node:fs';
import { bundledFontFile, FONT_ROLES, loadFont } from '../src/render/pdf/fonts.js';
import { coverageKey, fontFingerprint, GLYPH_COVERAGE_FILE, toRanges, type GlyphCoverageData } from '../src/render/pdf/glyph-ranges.js';

const files = [...new Set(FONT_ROLES.map(bundledFontFile))].sort();
const data: GlyphCoverageData = Object.fromEntries(
  files.map((file) => {
    const { font } = loadFont(file);
    // the very question the renderer asks of a character (fonts.ts missingGlyphs), of every code point
    const drawn: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (font.hasGlyphForCodePoint(cp)) drawn.push(cp);
    return [coverageKey(file), { fingerprint: fontFingerprint(file), ranges: toRanges(drawn) }];
  }),
);
writeFileSync(GLYPH_COVERAGE_FILE, JSON.stringify(data));
console.log(`glyph coverage (${files.length} fonts) → ${GLYPH_COVERAGE_FILE}`);
