/**
 * `check` answers "can the PDF draw this character?" for the bundled fonts from ranges written at build
 * time (dist/glyph-coverage.json), without loading fontkit. The answer must be the renderer's own, for
 * every code point, and the ranges must be refused for a font file they were not made from.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pdfGlyphCoverage } from '../../src/render/pdf/coverage.js';
import { bundledFontFile, loadFont, missingGlyphs } from '../../src/render/pdf/fonts.js';
import { coverageKey, fontFingerprint, GLYPH_COVERAGE_FILE, inRanges, prebuiltRanges, toRanges } from '../../src/render/pdf/glyph-ranges.js';
import { packageRoot } from '../../src/format/paths.js';
import { tempDir } from '../workspace-fixtures.js';

const ROLES = ['title', 'body'] as const;

describe('the glyph ranges written at build time', () => {
  it.each(ROLES)('are the %s font’s own answer for every code point', (role) => {
    const file = bundledFontFile(role);
    const ranges = prebuiltRanges(file);
    expect(ranges, `${GLYPH_COVERAGE_FILE} lacks ${coverageKey(file)}: run npm run build`).toBeDefined();
    const { font } = loadFont(file);
    const differ: number[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) if (inRanges(ranges!, cp) !== font.hasGlyphForCodePoint(cp)) differ.push(cp);
    expect(differ).toEqual([]);
    expect(ranges!.length).toBeGreaterThan(10);
  });

  it('give the renderer’s list of missing characters, in order, and the font’s name', () => {
    const text = '红椿镇人民政府 2024年（一）“依申请公开”\u0000\t😀𠀀𪚥鿿\uE000ÀЖ∑㐀';
    const coverage = pdfGlyphCoverage();
    for (const role of ROLES) {
      expect(coverage.missing(role, text)).toEqual(missingGlyphs(loadFont(bundledFontFile(role)), text));
      expect(coverage.fontName(role)).toBe(`${path.basename(bundledFontFile(role))}（nianbao 自带）`);
    }
    expect(coverage.missing('body', text)).toContain('😀');
  });

  it('are not used for another file, even one of the same name', () => {
    const file = bundledFontFile('body');
    const source = path.join(tempDir(), 'coverage.json');
    writeFileSync(source, JSON.stringify({ [coverageKey(file)]: { fingerprint: `1:${'0'.repeat(64)}`, ranges: [[0x4e00, 0x4e00]] } }));
    expect(prebuiltRanges(file, source)).toBeUndefined();
    writeFileSync(source, JSON.stringify({ [coverageKey(file)]: { fingerprint: fontFingerprint(file), ranges: [[0x4e00, 0x4e00]] } }));
    expect(prebuiltRanges(file, source)).toEqual([[0x4e00, 0x4e00]]);
    // the key is the path inside node_modules, the same in a county's install as in this checkout
    const elsewhere = path.join(tempDir(), 'node_modules', coverageKey(file));
    expect(coverageKey(elsewhere)).toBe(coverageKey(file));
    expect(coverageKey(file)).toMatch(/^@expo-google-fonts\/noto-serif-sc\//);
    // a copy under a different name is asked of the font (no entry), not guessed
    const copy = path.join(tempDir(), 'NotoSerifSC_400Regular.ttf');
    copyFileSync(file, copy);
    expect(prebuiltRanges(copy, source)).toBeUndefined();
  });

  it('merge code points into sorted ranges', () => {
    expect(toRanges([5, 1, 2, 3, 9, 10, 2])).toEqual([[1, 3], [5, 5], [9, 10]]);
    expect(inRanges([[1, 3], [5, 5], [9, 10]], 4)).toBe(false);
    expect(inRanges([[1, 3], [5, 5], [9, 10]], 10)).toBe(true);
  });

  it('spare `nianbao check` loading fontkit and the template engine', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      `const { main } = await import(${JSON.stringify(path.join(packageRoot, 'dist', 'cli', 'main.js'))});`,
      'process.stdout.write = () => true;',
      `const code = await main(['check', ${JSON.stringify(path.join(packageRoot, 'examples', 'reports', '2021-渠沟镇人民政府.yaml'))}]);`,
      "const loaded = Object.keys(createRequire(import.meta.url)('node:module')._cache).filter((k) => /node_modules\\/(fontkit|pdfkit|pdfmake|handlebars|docx|cli-progress)\\//.test(k));",
      'console.error(JSON.stringify({ code, loaded }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: tempDir() });
    const result = JSON.parse(run.stderr.trim().split('\n').pop()!) as { code: number; loaded: string[] };
    expect(result.code).toBe(0);
    expect(result.loaded).toEqual([]);
  });
});
