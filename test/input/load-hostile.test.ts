/**
 * The loader against hostile or broken input, beyond what the bad-input corpus prints: keys such as
 * `__proto__` pollute nothing, a root cause (Tab, full-width colon, unclosed bracket) hides only its
 * own cascade and not an independent problem elsewhere, and oversized text is refused unread.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYaml } from '../../src/load/yaml.js';
import { checkText, MAX_REPORT_BYTES } from '../../src/validate/index.js';

const cases = path.join(import.meta.dirname, 'bad-input', 'cases');
const base = readFileSync(path.join(cases, '02-ok-crlf.yaml'), 'utf8').replace(/\r\n/g, '\n');

describe('keys named like Object.prototype members', () => {
  it('are own data keys reported as unknown, and no prototype is touched', () => {
    const text = base.replace('\nyear: 2021\n', '\nyear: 2021\n__proto__:\n  polluted: true\nconstructor: {prototype: {polluted: true}}\n');
    const loaded = loadYaml(text);
    const data = loaded.data as Record<string, unknown>;
    expect(Object.hasOwn(data, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    const rules = checkText(text, 'r.yaml').diagnostics.map((d) => `${d.rule} ${d.message.slice(0, 20)}`);
    expect(rules.filter((r) => r.startsWith('UNKNOWN-KEY'))).toHaveLength(2);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('root causes and independent problems', () => {
  it('a Tab is reported once, and a full-width colon further down still is', () => {
    const text = base.replace('\n  office: ', '\n\toffice: ').replace('\n  carried_over: ', '\n  carried_over： ');
    const problems = [...loadYaml(text).problems].sort((a, b) => a.line - b.line).map((p) => `${p.line} ${p.rule}`);
    expect(problems).toEqual(['8 YAML-TAB', '56 FULLWIDTH-COLON']);
  });

  it('an unclosed bracket is reported once, and a duplicate key elsewhere still is', () => {
    const row = /\n {2}received: \[[^\]]*\]/.exec(base)![0];
    const text = base.replace(row, row.slice(0, -1)).replace('\nyear: 2021\n', '\nyear: 2021\nyear: 2021\n');
    const problems = loadYaml(text).problems.map((p) => p.rule).sort();
    expect(problems).toEqual(['YAML-DUP-KEY', 'YAML-SYNTAX']);
  });
});

describe('size limit', () => {
  it('text over the limit is refused before decoding or parsing', () => {
    const result = checkText(`format: "2021"\n# ${'x'.repeat(MAX_REPORT_BYTES)}\n`, 'big.yaml');
    expect(result.usable).toBe(false);
    expect(result.diagnostics.map((d) => d.rule)).toEqual(['FILE-TOO-LARGE']);
    expect(result.diagnostics[0].message).toContain('5 MB');
  });
});
