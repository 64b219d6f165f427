/**
 * The committed schemas are exactly what `npm run schemas` generates from the grids and the rule
 * data; every table cell of the grids has its place and official title in the schema; every rule of
 * format/rules.yaml is present as a keyword; the schemas compile under strict ajv.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildSchemas } from '../../scripts/build-schemas.js';
import { EDITION_IDS, officialGrid, TABLE_IDS } from '../../src/format/official.js';
import { columnName } from '../../src/validate/names.js';
import { schemaAt, validatorFor } from '../../src/validate/schemas.js';

describe('generated schemas', () => {
  it('the committed files equal a fresh generation', () => {
    for (const [name, text] of Object.entries(buildSchemas())) {
      expect(readFileSync(path.join('schemas', name), 'utf8'), `schemas/${name} is stale: run npm run schemas`).toBe(text);
    }
  });

  it('declare draft 2020-12 and compile under strict ajv', () => {
    for (const id of EDITION_IDS) {
      const schema = JSON.parse(readFileSync(`schemas/report-${id}.schema.json`, 'utf8'));
      expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
      expect(typeof validatorFor(id)).toBe('function');
    }
  });

  it.each(EDITION_IDS)('every data cell of the %s grids has a schema place titled with its official column', (id) => {
    for (const table of TABLE_IDS) {
      const grid = officialGrid(id, table);
      for (const cell of grid.dataCells()) {
        const dataPath = cell.path!.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
        const node = schemaAt(id, dataPath);
        expect(node, cell.path).toBeDefined();
        expect(node!.title, cell.path).toBeTruthy();
        const expected = columnName(grid, cell);
        // shared row definitions drop the column group all their cells share (行政复议·…)
        expect(expected.endsWith(String(node!.title)), `${cell.path}: ${String(node!.title)} vs ${expected}`).toBe(true);
      }
    }
  });

  it.each(EDITION_IDS)('every rule of format/rules.yaml that fits the %s grids is a keyword in its schema', (id) => {
    const rules = parse(readFileSync('format/rules.yaml', 'utf8')).rules as { id: string; keyword: string }[];
    const text = readFileSync(`schemas/report-${id}.schema.json`, 'utf8') + readFileSync('schemas/common.schema.json', 'utf8');
    const present = rules.filter((r) => text.includes(`"id": "${r.id}"`)).map((r) => r.id);
    const expected = rules.map((r) => r.id).filter((r) => id === '2019' || !r.startsWith('T2-19'));
    expect(present).toEqual(expected);
  });

  it('a 2019-only row is not in the 2021 schema and vice versa', () => {
    expect(schemaAt('2021', ['active_disclosure', 'procurement'])).toBeUndefined();
    expect(schemaAt('2019', ['active_disclosure', 'procurement', 'amount'])?.description).toContain('单位：万元');
    expect(schemaAt('2019', ['applications', 'results', 'other', 'no_correction'])).toBeUndefined();
    expect(schemaAt('2021', ['applications', 'results', 'other', 'unpaid_fees'])?.title).toBe(
      '三、本年度办理结果·（六）其他处理·2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请',
    );
  });
});
