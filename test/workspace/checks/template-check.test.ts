/**
 * A county template error is found by `check` (each passing report's document is composed, nothing
 * written) and said once, with the number of reports it stops.
 */
import { appendFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkspace } from '../../../src/workspace/checks/check.js';
import { loadWorkspaceConfig } from '../../../src/workspace/config/config.js';
import { tempDir } from '../../workspace-fixtures.js';

describe('TEMPLATE in the workspace check', () => {
  it('passes the example workspace, and reports a broken county template once, naming its file and line', async () => {
    const root = tempDir();
    cpSync(path.resolve('examples/workspace'), root, { recursive: true });
    const clean = await checkWorkspace(loadWorkspaceConfig(root));
    expect(clean.ok).toBe(true);
    expect(clean.reports.flatMap((r) => r.diagnostics).filter((d) => d.rule === 'TEMPLATE')).toEqual([]);

    // another folder: templates are compiled once per process and folder
    const root2 = tempDir();
    cpSync(path.resolve('examples/workspace'), root2, { recursive: true });
    const template = path.join(root2, 'templates', 'preface.hbs');
    appendFileSync(template, '{{nosuchfield}}\n');
    const broken = await checkWorkspace(loadWorkspaceConfig(root2));
    const found = broken.reports.flatMap((r) => r.diagnostics).filter((d) => d.rule === 'TEMPLATE');
    expect(found).toHaveLength(1);
    expect(found[0].severity).toBe('error');
    expect(found[0].message).toContain(`模板 ${template} 第`);
    expect(found[0].message).toContain('字段「nosuchfield」不存在');
    expect(found[0].message).toContain(`同一错误使 ${broken.reports.length} 份报告都无法生成`);
    expect(broken.ok).toBe(false);
    expect(broken.reports.every((r) => !r.ok)).toBe(true);
  });
});
