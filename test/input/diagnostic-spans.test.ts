/**
 * Every finding marks a span of the YAML (start, and exclusive end) that an editor or the live preview
 * can underline: here the spans of the whole bad-input corpus and of the real defects are read back
 * from the files and compared with what each rule blames (a cell's written value, a key, a character,
 * a placeholder), so a span that drifts to the wrong text fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkText } from '../../src/validate/index.js';
import { WHOLE_FILE, type Diagnostic } from '../../src/diagnostics/diagnostic.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const casesDir = path.join(import.meta.dirname, 'bad-input', 'cases');
const defectsDir = path.join(root, 'examples', 'defects');

/** The text a span covers, by 1-based line and UTF-16 column (CRLF and a BOM as the checker counts them). */
function spanText(text: string, d: Diagnostic): string {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const offset = (line: number, col: number) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
  return lines.join('\n').slice(offset(d.line, d.col), offset(d.endLine, d.endCol));
}

function decodedText(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const files = [
  ...readdirSync(casesDir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(casesDir, f)),
  ...readdirSync(defectsDir).filter((f) => f.endsWith('.yaml')).map((f) => path.join(defectsDir, f)),
];
const checked = files.map((file) => {
  const bytes = readFileSync(file);
  return { file: path.relative(root, file), text: decodedText(bytes), diagnostics: checkText(bytes, file).diagnostics };
});
const all = checked.flatMap((c) => c.diagnostics.map((d) => ({ ...c, d, covered: c.text === undefined ? undefined : spanText(c.text, d) })));
const ofRule = (rule: string) => all.filter((x) => x.d.rule === rule);

describe('diagnostic spans', () => {
  it('every finding of the corpus and the defects has a span that starts where it says and ends after it, inside the file', () => {
    expect(all.length).toBeGreaterThan(300);
    for (const { file, text, d } of all) {
      const where = `${file} ${d.rule} ${d.line}:${d.col}-${d.endLine}:${d.endCol}`;
      expect(d.endLine, where).toBeGreaterThanOrEqual(d.line);
      if (d.endLine === d.line) expect(d.endCol, where).toBeGreaterThanOrEqual(d.col);
      if (text !== undefined) expect(d.endLine, where).toBeLessThanOrEqual(text.split('\n').length + 1);
      // only findings about the file as such are empty
      const empty = d.line === d.endLine && d.col === d.endCol;
      if (empty) expect({ line: d.line, col: d.col, endLine: d.endLine, endCol: d.endCol }, where).toEqual(WHOLE_FILE);
    }
  });

  it('a cell written wrongly is marked as written: its value, quotes and all', () => {
    const cells = ['UNIT-NAME', 'CELL-THOUSANDS', 'CELL-PLACEHOLDER', 'CELL-FORM', 'CELL-NEGATIVE'].flatMap(ofRule).filter((x) => x.covered !== undefined);
    expect(cells.length).toBeGreaterThan(10);
    for (const { file, d, covered } of cells) {
      expect(covered!.length, `${file} ${d.rule}`).toBeGreaterThan(0);
      expect(covered, `${file} ${d.rule}`).not.toMatch(/\n/);
      // the message quotes what the span covers (a quoted text without its quotes; digits after a comma
      // that YAML read as a key, as the number it read: `035` as 35)
      const written = covered!.replace(/^(["'])(.*)\1$/, '$2');
      expect(d.message, `${file} ${d.rule} ${covered}`).toContain(/^\d+$/.test(written) && d.rule === 'CELL-THOUSANDS' ? `「${Number(written)}」` : written);
    }
    const unit = all.find((x) => x.d.rule === 'UNIT-NAME' && x.file.endsWith('2020-兴国镇人民政府.yaml'))!;
    expect(unit.covered).toBe('57万元');
  });

  it('an unknown or repeated key is marked as the key; a full-width colon as the colon', () => {
    const keys = [...ofRule('UNKNOWN-KEY'), ...ofRule('YAML-DUP-KEY')];
    expect(keys.length).toBeGreaterThan(3);
    for (const { file, d, covered } of keys) {
      // a quoted key (one forging a CI command, say) is marked with its quotes, as written
      if (/^["']/.test(covered!)) expect(covered, file).toMatch(/^(["']).*\1$/s);
      else expect(d.message, `${file} ${d.rule}`).toContain(`「${covered}」`);
    }
    const colons = ofRule('FULLWIDTH-COLON');
    expect(colons.length).toBeGreaterThan(0);
    for (const { covered } of colons) expect(covered).toBe('：');
  });

  it('a row with the wrong number of figures is marked from its key to its closing bracket', () => {
    const rows = ofRule('ROW-LENGTH');
    expect(rows.length).toBeGreaterThan(20);
    for (const { file, covered } of rows) expect(covered, file).toMatch(/^[a-z_0-9]+:\s*\[[^\n]*\]$/);
  });

  it('an invisible or direction-changing character is marked as that one character where it is written as itself', () => {
    const chars = [...ofRule('TEXT-INVISIBLE'), ...ofRule('TEXT-BIDI'), ...ofRule('TEXT-CONTROL')];
    expect(chars.length).toBeGreaterThan(3);
    for (const { file, d, covered } of chars) {
      const codePoint = /U\+([0-9A-F]{4,6})/.exec(d.message)![1];
      const ch = String.fromCodePoint(parseInt(codePoint, 16));
      // written as an escape (`"\u200b"`): the whole quoted text that holds it
      if (covered!.includes('\\')) expect(covered, file).toMatch(/^".*"$/s);
      else expect(covered, file).toBe(ch);
    }
  });

  it('a placeholder naming no figure is marked as the placeholder, not the narrative around it', () => {
    const file = path.join(root, 'examples', 'reports', '2021-渠沟镇人民政府.yaml');
    const text = readFileSync(file, 'utf8').replace('2021年我镇共参加', '2021年{{三.九.总计}}我镇共{{三。一。总计}}参加');
    const refs = checkText(text, file).diagnostics.filter((d) => d.rule.startsWith('NARRATIVE-REF'));
    expect(refs.map((d) => [d.rule, spanText(text, d)])).toEqual([
      ['NARRATIVE-REF', '{{三.九.总计}}'],
      ['NARRATIVE-REF-FORM', '{{三。一。总计}}'],
    ]);
    expect(refs[0]).toMatchObject({ line: 26, endLine: 26, col: 12, endCol: 22 });
  });
});
