/**
 * Generates schemas/common.schema.json and schemas/report-<edition>.schema.json (JSON Schema draft
 * 2020-12) from the official grids (format/tables/*.yaml: keys, titles, descriptions) and the rule
 * data (format/rules.yaml: which cells sum to which, as custom keywords). `npm run schemas` writes
 * them; test/validate/schema.test.ts proves the committed files equal a fresh generation.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EDITION_IDS, OVERVIEW_TOPICS, TABLE_IDS, edition, officialGrid, type EditionId, type TableId } from '../src/format/official.js';
import { schemasDir } from '../src/format/paths.js';
import { readRulesFile, type RulesFile } from '../src/validate/rules.js';

/**
 * The last report year accepted: a bound so that a typo (`year: 20224`) is a check error, not a date
 * the writers cannot print. The docx is dated 1 January of the following year, and a zip entry's
 * date ends with 2099 (MS-DOS dates): 2098 is the last year every format can be built for.
 */
const LAST_REPORT_YEAR = 2098;
const DAY_31 = '(?:0[13578]|1[02])-(?:0[1-9]|[12]\\d|3[01])';
const DAY_30 = '(?:0[469]|11)-(?:0[1-9]|[12]\\d|30)';
const DAY_28 = '02-(?:0[1-9]|1\\d|2[0-8])';
const LEAP_YEAR = '(?:\\d\\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)';
const CALENDAR_DATE = `^(?:\\d{4}-(?:${DAY_31}|${DAY_30}|${DAY_28})|${LEAP_YEAR}-02-29)$`;
import { cellName, columnName, rowName } from '../src/validate/names.js';
import { MONEY_DECIMALS } from '../src/validate/figures.js';

type Json = Record<string, unknown>;

type RuleData = RulesFile['rules'][number];

const COMMON = 'common.schema.json';
const ref = (def: string) => ({ $ref: `${COMMON}#/$defs/${def}` });

function matches(pattern: string, dotted: string): boolean {
  const p = pattern.split('.');
  const d = dotted.split('.');
  return p.length === d.length && p.every((seg, i) => seg === '*' || seg === d[i]);
}

function cellType(rules: RulesFile, dotted: string): 'count' | 'signed' | 'money' {
  if (rules.cell_types.signed.some((p) => matches(p, dotted))) return 'signed';
  if (rules.cell_types.money.some((p) => matches(p, dotted))) return 'money';
  return 'count';
}

/** The keyword arguments of a rule: its data minus the bookkeeping keys. */
function keywordArgs(rule: RuleData, extra: Json = {}): Json {
  const { keyword: _k, on: _o, at: _a, description: _d, hint: _h, ...args } = rule;
  return { ...args, ...extra };
}

function field(rules: RulesFile, key: string): Json {
  const f = rules.fields[key];
  if (!f) throw new Error(`format/rules.yaml: fields 缺少 ${key}`);
  return f.description ? { title: f.title, description: f.description } : { title: f.title };
}

export function buildCommonSchema(rules: RulesFile): Json {
  const rowDef = (table: TableId, group: string, on: 'applicant_row' | 'outcome_row'): Json => {
    const grid = officialGrid('2021', table);
    const cells = grid.dataCells().filter((c) => c.path!.startsWith(`${group}.`));
    const rule = rules.rules.find((r) => r.on === on);
    // the same definition serves every row of the table: drop the column group they share (行政复议)
    const names = cells.map((c) => columnName(grid, c).split('·'));
    const shared = names.reduce((acc, n) => acc.slice(0, commonPrefix(acc, n))).length;
    const titles = names.map((n) => n.slice(shared).join('·'));
    return {
      type: 'array',
      description: titles.join('、'),
      minItems: cells.length,
      maxItems: cells.length,
      prefixItems: titles.map((title) => ({ ...ref('count'), title })),
      ...(rule ? { [rule.keyword]: keywordArgs(rule) } : {}),
    };
  };
  const text = { type: 'string' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: COMMON,
    title: '政府信息公开工作年度报告：两版格式共用的定义',
    $defs: {
      // the bound keeps figures exact (beyond 2^53 a YAML number silently loses digits)
      count: { type: 'integer', minimum: 0, exclusiveMaximum: 2 ** 53, description: '非负整数；没有发生的填 0（空白不等于 0）' },
      signed: { type: 'integer', exclusiveMinimum: -(2 ** 53), exclusiveMaximum: 2 ** 53, description: '整数；减少用负数表示，如 -8' },
      money: { type: 'number', minimum: 0, exclusiveMaximum: 2 ** 53, description: `单位万元，可有小数（最多 ${MONEY_DECIMALS} 位，精确到分）；只写数字，不写“万”“元”` },
      applicant_row: rowDef('table3', 'applications.received', 'applicant_row'),
      outcome_row: rowDef('table4', 'review_litigation.review', 'outcome_row'),
      // a calendar date: month 01–12, the month's days, 02-29 only in leap years (Gregorian)
      date: { type: 'string', pattern: CALENDAR_DATE, ...field(rules, 'date') },
      agency: {
        type: 'object',
        ...field(rules, 'agency'),
        required: ['name'],
        additionalProperties: false,
        properties: Object.fromEntries(
          ['name', 'office', 'phone', 'address', 'postcode', 'website', 'parent'].map((k) => [k, { type: 'string', minLength: 1, ...field(rules, `agency.${k}`) }]),
        ),
      },
      overview_topics: {
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(OVERVIEW_TOPICS.map((t) => [t.key, { ...text, title: t.heading }])),
      },
      narrative: {
        type: 'object',
        ...field(rules, 'narrative'),
        additionalProperties: false,
        properties: {
          preface: { ...text, ...field(rules, 'narrative.preface') },
          overview: {
            ...field(rules, 'narrative.overview'),
            if: { type: 'object' },
            then: ref('overview_topics'),
            else: text,
          },
          problems: { ...text, ...field(rules, 'narrative.problems') },
          other: { ...text, ...field(rules, 'narrative.other') },
        },
      },
      // Workspace cross-year checks (src/workspace/checks/cross-year.ts): last year's report named
      // explicitly, and the reasons a figure differs from last year's.
      previous: { type: 'string', minLength: 1, ...field(rules, 'previous') },
      corrections: {
        type: 'object',
        ...field(rules, 'corrections'),
        additionalProperties: false,
        properties: Object.fromEntries(
          ['carried_over', 'in_force', 'previous_items'].map((k) => [k, { type: 'string', minLength: 1, ...field(rules, `corrections.${k}`) }]),
        ),
      },
    },
  };
}

interface Node {
  children: Map<string, Node>;
  /** dotted path of this node */
  path: string;
}

function tableSchema(rules: RulesFile, editionId: EditionId, table: TableId, root: string): Json {
  const grid = officialGrid(editionId, table);
  const cells = grid.dataCells();
  const tree: Node = { children: new Map(), path: root };
  for (const cell of cells) {
    const keys = cell.path!.slice(root.length + 1).split('.');
    let node = tree;
    keys.forEach((key) => {
      let child = node.children.get(key);
      if (!child) node.children.set(key, (child = { children: new Map(), path: `${node.path}.${key}` }));
      node = child;
    });
  }
  const cellsUnder = (p: string) => cells.filter((c) => c.path!.startsWith(`${p}.`));
  const rowOn = table === 'table3' ? 'applicant_row' : 'outcome_row';

  const build = (node: Node): Json => {
    const keys = [...node.children.keys()];
    if (keys.length === 0) {
      const cell = cells.find((c) => c.path === node.path)!;
      const unit = cell.unit ? `（单位：${cell.unit}）` : '';
      return { ...ref(cellType(rules, node.path)), title: columnName(grid, cell), description: `${cellName(editionId, node.path)}${unit}` };
    }
    if (keys.every((k) => /^\d+$/.test(k))) {
      const row = cellsUnder(node.path);
      const name = rowName(grid, row[0]);
      if (name) return { ...ref(rowOn), title: name };
      // table 四 has no row labels: the row is the column group its figures sit under
      const groups = row.map((c) => columnName(grid, c).split('·'));
      return { ...ref(rowOn), title: groups.reduce((acc, n) => acc.slice(0, commonPrefix(acc, n))).join('·') };
    }
    const schema: Json = { type: 'object' };
    if (node.path !== root) {
      const under = cellsUnder(node.path);
      const names = under.map((c) => grid.describe(c).row);
      const common = names.reduce((acc, r) => acc.slice(0, commonPrefix(acc, r)));
      const title = common.at(-1) ?? blockOf(grid, under[0]) ?? '';
      schema.title = table === 'table2' ? [blockOf(grid, under[0]), title].filter(Boolean).join(' ') : title;
    } else {
      Object.assign(schema, field(rules, root));
    }
    schema.required = keys;
    schema.additionalProperties = false;
    schema.properties = Object.fromEntries(keys.map((k) => [k, build(node.children.get(k)!)]));
    for (const rule of rules.rules) {
      if (rule.on) continue;
      const at = Array.isArray(rule.at) ? rule.at : [rule.at];
      if (!at.includes(node.path)) continue;
      const local = (dotted: string) => `${node.path}.${dotted}`;
      const involved = [rule.total, rule.value, rule.than, rule.blame, ...((rule.left as string[]) ?? []), ...((rule.right as string[]) ?? []), ...(Array.isArray(rule.parts) ? (rule.parts as string[]) : [])]
        .filter((x): x is string => typeof x === 'string');
      if (!involved.every((p) => cellsUnder(local(p)).length > 0 || cells.some((c) => c.path === local(p)))) continue;
      let extra: Json = {};
      if (rule.parts === 'rows_under') {
        // every row under this node except the total, in the grid's reading order
        const rows = [...new Set(cellsUnder(node.path).map((c) => c.path!.replace(/\.\d+$/, '')))];
        extra = { parts: rows.map((r) => r.slice(node.path.length + 1)).filter((r) => r !== rule.total) };
      }
      schema[rule.keyword] = keywordArgs(rule, extra);
    }
    return schema;
  };
  return build(tree);
}

function commonPrefix(a: string[], b: string[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** The block title (第二十条第（…）项) above a table 二 cell, if any. */
function blockOf(grid: ReturnType<typeof officialGrid>, cell: { row: number }): string | undefined {
  for (let r = cell.row; r >= 0; r--) {
    const first = grid.cellAt(r, 0);
    if (first.role === 'block') return first.text;
  }
  return undefined;
}

export function buildEditionSchema(rules: RulesFile, editionId: EditionId): Json {
  const e = edition(editionId);
  const roots: Record<TableId, string> = { table2: 'active_disclosure', table3: 'applications', table4: 'review_litigation' };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `report-${editionId}.schema.json`,
    title: `政府信息公开工作年度报告（${editionId} 版格式，${e.notice}）`,
    description: `${e.formatName}，用于 ${e.years.from}${e.years.to ? `–${e.years.to}` : ' 及以后'} 年度报告`,
    type: 'object',
    required: ['format', 'year', 'agency', 'active_disclosure', 'applications', 'review_litigation'],
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', ...field(rules, '$schema') },
      format: { const: editionId, ...field(rules, 'format') },
      year: { type: 'integer', minimum: e.years.from, maximum: e.years.to ?? LAST_REPORT_YEAR, ...field(rules, 'year') },
      agency: { ...ref('agency') },
      date: { ...ref('date') },
      narrative: { ...ref('narrative') },
      previous: { ...ref('previous') },
      corrections: { ...ref('corrections') },
      ...Object.fromEntries(TABLE_IDS.map((t) => [roots[t], tableSchema(rules, editionId, t, roots[t])])),
    },
  };
}

/** Every generated schema file: name → pretty JSON text (with a final newline). */
export function buildSchemas(): Record<string, string> {
  const rules = readRulesFile();
  const out: Record<string, string> = { [COMMON]: json(buildCommonSchema(rules)) };
  for (const id of EDITION_IDS) out[`report-${id}.schema.json`] = json(buildEditionSchema(rules, id));
  return out;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const [name, text] of Object.entries(buildSchemas())) {
    writeFileSync(path.join(schemasDir, name), text);
    process.stdout.write(`schemas/${name}\n`);
  }
}
