/**
 * Cross-year checks (FORMAT.md §3.3): this year's report against last year's of the same agency,
 * across the 2020 → 2021 edition change (table 三's rows 二 and 四 are the same in both editions).
 *
 * - X-T3 (error): 二、上年结转 = last year's 四、结转下年度继续办理, per column.
 * - X-T2-21 (warning, both reports in the 2021 edition): 现行有效件数 = last year's 现行有效件数
 *   + 本年制发件数 − 本年废止件数, for 规章 and 行政规范性文件.
 * - X-T2-19 (warning, both reports in the 2019 edition): 上一年项目数量 = last year's 上一年项目数量
 *   + last year's 本年增/减.
 * Between a 2019-edition and a 2021-edition report only X-T3 applies: table 二 changed meaning.
 *
 * A report silences a rule by explaining the difference under `corrections` (corrections happen:
 * 清理 of documents, a miscount found later): `corrections: { carried_over: "…", in_force: "…",
 * previous_items: "…" }`, each a non-empty text printed nowhere but kept in the file for the record.
 */
import path from 'node:path';
import { columnName, rowName } from './labels.js';
import type { Diagnostic } from '../../validate/types.js';
import { at, num, rowWrittenWhole, type ReportEntry } from './entry.js';

export type CorrectionKey = 'carried_over' | 'in_force' | 'previous_items';
export const CORRECTION_KEYS: readonly CorrectionKey[] = ['carried_over', 'in_force', 'previous_items'];

/** `corrections.<key>` when it holds a non-empty explanation. */
export function correction(entry: ReportEntry, key: CorrectionKey): string | undefined {
  const corrections = entry.data?.corrections;
  if (!corrections || typeof corrections !== 'object') return undefined;
  const text = (corrections as Record<string, unknown>)[key];
  return typeof text === 'string' && text.trim() !== '' ? text : undefined;
}

export function crossYearDiagnostics(current: ReportEntry, previous: ReportEntry): Diagnostic[] {
  const cur = current.edition;
  const prev = previous.edition;
  if (!cur || !prev || current.data === undefined || previous.data === undefined) return [];
  const out: Diagnostic[] = [];
  const prevName = `${previous.year ?? ''}年报告（${previous.rel ?? path.basename(previous.file)}）`;

  // X-T3: seven columns of table 三 row 二 against last year's row 四 (not when either row has the wrong
  // number of figures: ROW-LENGTH says so, and its columns cannot be told apart).
  const wholeRows = rowWrittenWhole(current.data, ['applications', 'carried_over'], cur) && rowWrittenWhole(previous.data, ['applications', 'carried_forward'], prev);
  if (!correction(current, 'carried_over') && wholeRows) {
    for (let c = 0; c < 7; c++) {
      const mine = num(current.data, ['applications', 'carried_over', c]);
      const theirs = num(previous.data, ['applications', 'carried_forward', c]);
      if (mine === undefined || theirs === undefined || mine === theirs) continue;
      const col = columnName(cur, `applications.carried_over.${c}`);
      out.push(
        at(
          current,
          ['applications', 'carried_over', c],
          'error',
          'X-T3',
          `表三「${rowName(cur, `applications.carried_over.${c}`)}」「${col}」列为 ${mine}，但${prevName}表三「${rowName(prev, `applications.carried_forward.${c}`)}」「${col}」列为 ${theirs}`,
          '核对本年与上年报告，改正写错的数；如上年数据确有更正，在本报告的 corrections.carried_over 中写明原因',
        ),
      );
    }
  }

  // X-T2-21
  if (cur === '2021' && prev === '2021' && !correction(current, 'in_force')) {
    for (const kind of ['rules', 'normative_documents'] as const) {
      const base = ['active_disclosure', kind];
      const inForce = num(current.data, [...base, 'in_force']);
      const issued = num(current.data, [...base, 'issued']);
      const repealed = num(current.data, [...base, 'repealed']);
      const lastInForce = num(previous.data, [...base, 'in_force']);
      if (inForce === undefined || issued === undefined || repealed === undefined || lastInForce === undefined) continue;
      const expected = lastInForce + issued - repealed;
      if (inForce === expected) continue;
      const label = rowName(cur, `active_disclosure.${kind}.in_force`);
      out.push(
        at(
          current,
          [...base, 'in_force'],
          'warning',
          'X-T2-21',
          `表二「${label}」「现行有效件数」为 ${inForce}，但按${prevName}的现行有效件数 ${lastInForce} + 本年制发件数 ${issued} − 本年废止件数 ${repealed} 应为 ${expected}`,
          '核对本年与上年报告，改正写错的数；如因修改、清理等原因不一致，在 corrections.in_force 中写明原因',
        ),
      );
    }
  }

  // X-T2-19
  if (cur === '2019' && prev === '2019' && !correction(current, 'previous_items')) {
    for (const kind of ['licensing', 'other_services', 'penalty', 'coercion', 'fees'] as const) {
      const base = ['active_disclosure', kind];
      const items = num(current.data, [...base, 'previous_items']);
      const lastItems = num(previous.data, [...base, 'previous_items']);
      const lastChange = num(previous.data, [...base, 'change']);
      if (items === undefined || lastItems === undefined || lastChange === undefined) continue;
      const expected = lastItems + lastChange;
      if (items === expected) continue;
      const label = rowName(cur, `active_disclosure.${kind}.previous_items`);
      out.push(
        at(
          current,
          [...base, 'previous_items'],
          'warning',
          'X-T2-19',
          `表二「${label}」「上一年项目数量」为 ${items}，但按${prevName}的上一年项目数量 ${lastItems} 与本年增/减 ${lastChange} 应为 ${expected}`,
          '核对本年与上年报告，改正写错的数；如有更正，在 corrections.previous_items 中写明原因',
        ),
      );
    }
  }
  return out;
}
