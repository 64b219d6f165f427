/**
 * 内容雷同 in the workspace check: another agency's report of any year is compared, not only the
 * same year's, and the finding names it and the share.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkspace } from '../../../src/workspace/checks/check.js';
import { loadWorkspaceConfig } from '../../../src/workspace/config/config.js';
import { tempDir } from '../../workspace-fixtures.js';

describe('WS-SIMILAR across agencies and years', () => {
  it('names another agency\'s report of an earlier year whose section was copied', async () => {
    const root = tempDir();
    cpSync(path.resolve('examples/workspace'), root, { recursive: true });
    const source = readFileSync(path.join(root, 'reports/2020/红椿镇.yaml'), 'utf8');
    const copied = /\n {4}on_request: ([^\n]+)/.exec(source)![1];
    const file = path.join(root, 'reports/2021/青石镇.yaml');
    const text = readFileSync(file, 'utf8').replace(/\n {4}on_request: [^\n]+/, `\n    on_request: ${copied}`);
    writeFileSync(file, text);
    const result = await checkWorkspace(loadWorkspaceConfig(root));
    const found = result.reports.find((r) => r.rel === 'reports/2021/青石镇.yaml')!.diagnostics.filter((d) => d.rule === 'WS-SIMILAR');
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain('一、总体情况与红椿镇人民政府的报告（reports/2020/红椿镇.yaml）的同一部分内容雷同：100% 的文字相同');
    expect(found[0].line).toBe(text.split('\n').findIndex((l) => l.startsWith('    on_request:')) + 1);
    // the untouched example workspace has no such finding
    const clean = await checkWorkspace(loadWorkspaceConfig(path.resolve('examples/workspace')));
    expect(clean.reports.flatMap((r) => r.diagnostics)).toEqual([]);
  });
});
