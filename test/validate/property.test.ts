/**
 * Properties of the rules over random reports (fast-check):
 * - every consistent report passes;
 * - changing any single cell of 表三 or 表四 (to any other non-negative integer) is caught by a
 *   勾稽关系, because every such cell is in a row-total rule;
 * - 表二 cells: no sum links them, so a different non-negative count passes (nothing can catch it);
 *   what the rules do catch there is a negative count and, in 2019, a decrease below zero items.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialGrid, type EditionId } from '../../src/format/official.js';
import { checkText } from '../../src/validate/index.js';
import { consistentReport, toYaml, type Draw } from '../helpers/consistent.js';

const SUM_RULES = new Set(['T3-ROW', 'T3-SUM', 'T3-EXP', 'T4-SUM']);

/** A Draw fed by fast-check's generated numbers (so failures shrink and replay). */
const drawFrom = (numbers: number[]): Draw => {
  let i = 0;
  return (max) => (max === 0 ? 0 : numbers[i++ % numbers.length] % (max + 1));
};
const source = fc.array(fc.nat({ max: 1_000_000 }), { minLength: 200, maxLength: 200 });

function setAt(report: unknown, dotted: string, value: number): void {
  const keys = dotted.split('.');
  let node = report as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys.at(-1)!] = value;
}
function getAt(report: unknown, dotted: string): number {
  return dotted.split('.').reduce<unknown>((n, k) => (n as Record<string, unknown>)[k], report) as number;
}

const paths = (edition: EditionId, table: 'table2' | 'table3' | 'table4') => officialGrid(edition, table).dataCells().map((c) => c.path!);

describe.each(['2019', '2021'] as const)('properties (%s)', (edition) => {
  it('random consistent reports pass with no diagnostics', () => {
    fc.assert(
      fc.property(source, (numbers) => {
        const result = checkText(toYaml(consistentReport(edition, drawFrom(numbers))), 'p.yaml');
        expect(result.diagnostics).toEqual([]);
        expect(result.report).toBeDefined();
      }),
      { numRuns: 40 },
    );
  });

  it('changing any single cell of 表三 or 表四 is caught by a sum rule', () => {
    const cells = [...paths(edition, 'table3'), ...paths(edition, 'table4')];
    fc.assert(
      fc.property(source, fc.constantFrom(...cells), fc.integer({ min: 1, max: 50 }), fc.boolean(), (numbers, cell, delta, down) => {
        const report = consistentReport(edition, drawFrom(numbers));
        const before = getAt(report, cell);
        const after = down && before >= delta ? before - delta : before + delta;
        setAt(report, cell, after);
        const result = checkText(toYaml(report), 'p.yaml');
        const errors = result.diagnostics.filter((d) => d.severity === 'error');
        expect(errors.length, `${cell}: ${before} → ${after}`).toBeGreaterThan(0);
        expect(errors.every((d) => SUM_RULES.has(d.rule))).toBe(true);
        expect(result.report).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('表二: a different non-negative count is not constrained by any rule; a negative count is caught', () => {
    const counts = paths(edition, 'table2').filter((p) => !/\.(change|amount|total_published|published)$/.test(p));
    fc.assert(
      fc.property(source, fc.constantFrom(...counts), fc.integer({ min: 1, max: 50 }), (numbers, cell, delta) => {
        const report = consistentReport(edition, drawFrom(numbers));
        // previous_items may only grow here, so that 上一年项目数量 + 本年增/减 stays ≥ 0
        setAt(report, cell, getAt(report, cell) + delta);
        expect(checkText(toYaml(report), 'p.yaml').diagnostics).toEqual([]);
        setAt(report, cell, -delta);
        const rules = checkText(toYaml(report), 'p.yaml').diagnostics.map((d) => d.rule);
        expect(rules).toContain('CELL-NEGATIVE');
      }),
      { numRuns: 60 },
    );
  });
});

describe('2019 表二 links', () => {
  it('本年增/减 below −上一年项目数量 is caught; 对外公开总数量 below 本年新公开数量 only warns', () => {
    const rows = ['licensing', 'other_services', 'penalty', 'coercion', 'fees'];
    fc.assert(
      fc.property(source, fc.constantFrom(...rows), fc.integer({ min: 1, max: 50 }), fc.constantFrom('rules', 'normative_documents'), (numbers, row, over, pubRow) => {
        const report = consistentReport('2019', drawFrom(numbers));
        const previous = getAt(report, `active_disclosure.${row}.previous_items`);
        setAt(report, `active_disclosure.${row}.change`, -previous - over);
        const published = getAt(report, `active_disclosure.${pubRow}.published`);
        setAt(report, `active_disclosure.${pubRow}.total_published`, published);
        setAt(report, `active_disclosure.${pubRow}.published`, published + over);
        const result = checkText(toYaml(report), 'p.yaml');
        expect(result.diagnostics.map((d) => `${d.rule} ${d.severity}`).sort()).toEqual(['T2-19-DELTA error', 'T2-19-PUB warning']);
        expect(result.report).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });
});
