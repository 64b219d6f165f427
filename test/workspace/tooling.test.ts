/**
 * Which scaffold files `upgrade` treats as tooling, and how it completes a .gitignore. The whole upgrade,
 * through the CLI, is in workspace-cli.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { CI_FILES, IGNORED, isTooling, scaffoldFiles } from '../../src/workspace/scaffold/files.js';
import { withIgnored } from '../../src/workspace/scaffold/tooling.js';

describe('the scaffold\'s tooling', () => {
  it('is its dot files and folders: the CI files and VS Code\'s settings, never a report, template or the config', () => {
    const files = scaffoldFiles().map((f) => f.split('\\').join('/'));
    expect(files.filter(isTooling).sort()).toEqual(['.github/workflows/nianbao.yml', '.gitlab-ci.yml', '.vscode/extensions.json', '.vscode/tasks.json']);
    for (const file of ['nianbao.yaml', 'README.md', 'reports/2021/红椿镇.yaml', 'templates/preface.hbs']) {
      expect(files).toContain(file);
      expect(isTooling(file)).toBe(false);
    }
    // the CI files that upgrade never brings back are files of the scaffold (a renamed one would silently be re-added)
    for (const file of CI_FILES) expect(files).toContain(file);
  });
});

describe('withIgnored', () => {
  it('appends only the missing lines, taking /out, out and out/ as one folder', () => {
    expect(withIgnored('/out\nnode_modules\n')).toEqual({ text: '/out\nnode_modules\n.nianbao-cache/\n', added: ['.nianbao-cache/'] });
    expect(withIgnored('out/\nnode_modules/\n.nianbao-cache/\n')).toEqual({ text: 'out/\nnode_modules/\n.nianbao-cache/\n', added: [] });
  });

  it('ends a last line that has no newline before appending, and keeps Windows line ends', () => {
    expect(withIgnored('*.bak').text).toBe(`*.bak\n${IGNORED.join('\n')}\n`);
    expect(withIgnored('out/\r\n*.bak\r\n').text).toBe('out/\r\n*.bak\r\nnode_modules/\r\n.nianbao-cache/\r\n');
  });

  it('writes the whole list into an empty or missing .gitignore', () => {
    expect(withIgnored('')).toEqual({ text: `${IGNORED.join('\n')}\n`, added: [...IGNORED] });
  });
});
