/**
 * Consistent reports for rule and property tests: every 勾稽关系 holds, figures drawn from a given
 * random source (fast-check's or a fixed sequence). Built from the official grids, so a format
 * change reaches these fixtures too.
 */
import { stringify } from 'yaml';
import { officialGrid, TABLE_IDS, type EditionId } from '../../src/format/official.js';
import type { Report } from '../../src/format/report.js';

/** n ↦ an integer in [0, n] */
export type Draw = (max: number) => number;

/** A deterministic draw for plain tests (no randomness, but varied figures). */
export function sequenceDraw(seed = 7): Draw {
  let state = seed;
  return (max) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return max === 0 ? 0 : state % (max + 1);
  };
}

function setPath(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((key, i) => {
    node[key] ??= /^\d+$/.test(keys[i + 1]) ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys.at(-1)!] = value;
}

/** Every row path (without the column index) of a table, in grid order. */
function rowPaths(edition: EditionId, table: 'table3' | 'table4'): string[] {
  return [...new Set(officialGrid(edition, table).dataCells().map((c) => c.path!.replace(/\.\d+$/, '')))];
}

export function consistentReport(edition: EditionId, draw: Draw, year = edition === '2019' ? 2020 : 2024): Report {
  const data: Record<string, unknown> = { format: edition, year, agency: { name: '测试镇人民政府' } };
  // 表二: counts free; 2019 增/减 never below −上一年项目数量, 总数量 ≥ 新公开数量.
  for (const cell of officialGrid(edition, 'table2').dataCells()) {
    const p = cell.path!;
    if (p.endsWith('.amount')) setPath(data, p, draw(99999) / 100);
    else if (p.endsWith('.change')) continue;
    else setPath(data, p, draw(30));
  }
  const ad = data.active_disclosure as Record<string, Record<string, number>>;
  for (const row of Object.values(ad)) {
    if ('change' in row || 'previous_items' in row) row.change = draw(row.previous_items + 20) - row.previous_items;
    if ('total_published' in row) row.total_published = row.published + draw(20);
  }
  // 表三: result rows free, 总计 column and （七）总计 row derived, 一 chosen so that 一 + 二 = 三（七）+ 四.
  const rows = rowPaths(edition, 'table3');
  const resultRows = rows.filter((r) => r.startsWith('applications.results.') && r !== 'applications.results.total');
  const withTotal = (six: number[]) => [...six, six.reduce((a, b) => a + b, 0)];
  const total = [0, 0, 0, 0, 0, 0];
  for (const r of resultRows) {
    const six = Array.from({ length: 6 }, () => (draw(3) === 0 ? draw(9) : 0));
    six.forEach((v, c) => (total[c] += v));
    setPath(data, r, withTotal(six));
  }
  setPath(data, 'applications.results.total', withTotal(total));
  const forward = total.map(() => draw(5));
  const over = total.map((t, c) => draw(t + forward[c]));
  setPath(data, 'applications.carried_forward', withTotal(forward));
  setPath(data, 'applications.carried_over', withTotal(over));
  setPath(data, 'applications.received', withTotal(total.map((t, c) => t + forward[c] - over[c])));
  // 表四: each group's 总计 = its four results.
  for (const r of rowPaths(edition, 'table4')) setPath(data, r, [...withTotal(Array.from({ length: 4 }, () => draw(4)))]);
  return data as unknown as Report;
}

/** Every data cell path of an edition, in grid order. */
export function cellPaths(edition: EditionId): string[] {
  return TABLE_IDS.flatMap((t) => officialGrid(edition, t).dataCells().map((c) => c.path!));
}

/** The report as YAML text, one figure per line for tables 二 and 四, flow rows for 表三. */
export function toYaml(report: unknown): string {
  return stringify(report, { flowCollectionPadding: false, collectionStyle: 'block' });
}
