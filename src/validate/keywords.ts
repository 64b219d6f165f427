/**
 * The 勾稽关系 as custom ajv keywords. Each keyword's arguments are data written into the schema by
 * scripts/build-schemas.ts from format/rules.yaml (which cells sum to which); this module is the only
 * place that does the arithmetic. A keyword stays silent while any cell it needs is not a number (the
 * type error is reported on that cell already), so one typo does not cascade into false sums.
 *
 * Errors carry `params: { rule, severity, message, actual, expected, … }`; the message template is
 * filled with official row/column names in messages.ts.
 */
import type { Ajv2020 } from 'ajv/dist/2020.js';
import { _, Name, type KeywordCxt } from 'ajv';
import { extendErrors } from 'ajv/dist/compile/errors.js';
import namesModule from 'ajv/dist/compile/names.js';
import { strConcat } from 'ajv/dist/compile/codegen/index.js';
import type { ErrorObject } from 'ajv/dist/types/index.js';

export interface RuleParams {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface RuleErrorParams {
  readonly rule: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly actual: number;
  readonly expected: number;
  readonly leftValues?: string;
  readonly rightValues?: string;
}

type Dotted = string | number;

/** A value at a dotted path relative to `data` (numbers index arrays). */
function at(data: unknown, dotted: Dotted): unknown {
  let node = data;
  for (const key of String(dotted).split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Money is decimal: compare sums after rounding away binary noise. */
const same = (a: number, b: number) => Math.abs(a - b) < 1e-9;
const round = (n: number) => Math.round(n * 1e6) / 1e6;

function pointer(base: string, dotted: Dotted): string {
  return `${base}/${String(dotted).split('.').join('/')}`;
}

function ruleError(keyword: string, instancePath: string, rule: RuleParams, extra: Omit<RuleErrorParams, 'rule' | 'severity' | 'message'>): ErrorObject {
  return {
    keyword,
    instancePath,
    schemaPath: `#/${keyword}`,
    params: { rule: rule.id, severity: rule.severity, message: rule.message, ...extra },
    message: `${rule.id}: ${extra.actual} ≠ ${extra.expected}`,
  };
}

// a CommonJS module: Node's ESM import gives module.exports (whose `default` is the names record), vitest the record
const names = ((namesModule as { default?: unknown }).default ?? namesModule) as typeof namesModule.default;

type Check<S> = (schema: S & RuleParams, data: unknown, base: string) => ErrorObject[];

/**
 * The arithmetic of every keyword by name. The generated validators (dist/validate/standalone.js) import
 * this record under the name RULE_CHECKS_BINDING, so compiled-at-build and compiled-at-runtime code call
 * the same functions.
 */
export const RULE_CHECKS: Record<string, Check<never>> = {};
export const RULE_CHECKS_BINDING = 'ruleChecks';

/**
 * A keyword defined by generated code (`code`, not `validate`), so that ajv's standalone code generation
 * can write it out: the code calls RULE_CHECKS[name] and appends its errors the way ajv does for a
 * `validate` keyword with `errors: true` (instancePath kept, schemaPath set, schema and data when verbose).
 */
function keyword<S>(ajv: Ajv2020, name: string, check: Check<S>): void {
  ajv.addKeyword({
    keyword: name,
    schemaType: 'object',
    trackErrors: true,
    code(cxt: KeywordCxt) {
      const { gen, data, schemaValue, it } = cxt;
      const fn = gen.scopeValue('keyword', { ref: check, code: _`${new Name(RULE_CHECKS_BINDING)}[${name}]` });
      const errs = gen.const('ruleErrs', _`${fn}(${schemaValue}, ${data}, ${strConcat(names.instancePath, it.errorPath)})`);
      gen.if(_`${errs}.length > 0`, () => {
        gen
          .assign(names.vErrors, _`${names.vErrors} === null ? ${errs} : ${names.vErrors}.concat(${errs})`)
          .assign(names.errors, _`${names.vErrors}.length`);
        extendErrors(cxt);
      });
      cxt.ok(_`${errs}.length === 0`);
    },
  });
}

/** The checks, defined once at module load (the generated validators need RULE_CHECKS without an ajv instance). */
function defineChecks(define: <S>(name: string, check: Check<S>) => void): void {
  // One row's 总计 equals the sum of its parts (表三 each row; 表四 each group). Not for a row written with
  // more or fewer figures than its columns: ROW-LENGTH reports it, and which figure is the 总计 cannot be told.
  define<{ total: Dotted; parts: Dotted[] }>('x-row-total', (s, data, base) => {
    const indices = [s.total, ...s.parts];
    if (Array.isArray(data) && indices.every((i) => typeof i === 'number') && data.length !== Math.max(...(indices as number[])) + 1) return [];
    const total = at(data, s.total);
    const parts = s.parts.map((p) => at(data, p));
    if (!isNumber(total) || !parts.every(isNumber)) return [];
    const sum = round(parts.reduce((a, b) => a + b, 0));
    return same(total, sum) ? [] : [ruleError('x-row-total', pointer(base, s.total), s, { actual: total, expected: sum })];
  });

  // Per column, a total row equals the sum of the part rows (三、（七）总计 = （一）…（六）).
  define<{ total: string; parts: string[] }>('x-column-sum', (s, data, base) => {
    const total = at(data, s.total);
    const parts = s.parts.map((p) => at(data, p));
    if (!Array.isArray(total) || !parts.every((p) => Array.isArray(p) && p.length === total.length)) return [];
    const errors: ErrorObject[] = [];
    total.forEach((t, c) => {
      const column = (parts as unknown[][]).map((p) => p[c]);
      if (!isNumber(t) || !column.every(isNumber)) return;
      const sum = round(column.reduce((a, b) => a + b, 0));
      if (!same(t, sum)) errors.push(ruleError('x-column-sum', pointer(base, `${s.total}.${c}`), s, { actual: t, expected: sum }));
    });
    return errors;
  });

  // Per column, left rows sum to right rows (一 + 二 = 三（七）+ 四).
  define<{ left: string[]; right: string[]; blame: string }>('x-balance', (s, data, base) => {
    const left = s.left.map((p) => at(data, p));
    const right = s.right.map((p) => at(data, p));
    const rows = [...left, ...right];
    if (!rows.every(Array.isArray)) return [];
    const width = (rows[0] as unknown[]).length;
    if (!(rows as unknown[][]).every((r) => r.length === width)) return [];
    const errors: ErrorObject[] = [];
    for (let c = 0; c < width; c++) {
      const l = (left as unknown[][]).map((r) => r[c]);
      const r = (right as unknown[][]).map((row) => row[c]);
      if (![...l, ...r].every(isNumber)) continue;
      const ls = round((l as number[]).reduce((a, b) => a + b, 0));
      const rs = round((r as number[]).reduce((a, b) => a + b, 0));
      if (same(ls, rs)) continue;
      const blamed = at(data, `${s.blame}.${c}`) as number;
      errors.push(
        ruleError('x-balance', pointer(base, `${s.blame}.${c}`), s, {
          actual: blamed,
          expected: round(blamed + ls - rs),
          leftValues: `${(l as number[]).join(' + ')} = ${ls}`,
          rightValues: `${(r as number[]).join(' + ')} = ${rs}`,
        }),
      );
    }
    return errors;
  });

  // The sum of some cells is at least `min` (2019: 上一年项目数量 + 本年增/减 ≥ 0).
  define<{ parts: string[]; min: number; blame: string }>('x-min-sum', (s, data, base) => {
    const parts = s.parts.map((p) => at(data, p));
    if (!parts.every(isNumber)) return [];
    const sum = round(parts.reduce((a, b) => a + b, 0));
    return sum >= s.min ? [] : [ruleError('x-min-sum', pointer(base, s.blame), s, { actual: at(data, s.blame) as number, expected: sum })];
  });

  // One cell is not less than another (2019: 对外公开总数量 ≥ 本年新公开数量).
  define<{ value: string; than: string }>('x-not-less', (s, data, base) => {
    const value = at(data, s.value);
    const than = at(data, s.than);
    if (!isNumber(value) || !isNumber(than) || value >= than) return [];
    return [ruleError('x-not-less', pointer(base, s.value), s, { actual: value, expected: than })];
  });
}

defineChecks((name, check) => {
  RULE_CHECKS[name] = check as Check<never>;
});

/** Registers every 勾稽关系 keyword on an ajv instance. */
export function addRuleKeywords(ajv: Ajv2020): void {
  for (const [name, check] of Object.entries(RULE_CHECKS)) keyword(ajv, name, check);
}
