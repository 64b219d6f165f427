/**
 * The county's install path with the real npm (county suite, vitest.county.config.ts; setup.ts packs
 * a fresh copy of nianbao's sources and runs `init --workspace` from it): the tarball's contents, the
 * workspace copied to another folder and installed with `npm ci` (no warning), checked and built from
 * its own files, `$schema` lines resolving inside it, and `nianbao upgrade`.
 */
import { UNFILLED_MARK } from '../../src/validate/narrative-text.js';
import { cpSync, existsSync, lstatSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { packageRoot } from '../../src/format/paths.js';
import { listTree } from '../ci-sim.js';
import { tempDir } from '../workspace-fixtures.js';
import { nianbao, npm, run, SITE_FILES } from './helpers.js';

const { clone, tarball, workspace, version } = inject('county');

describe('a county workspace made by init --workspace', () => {
  it('npm pack of a fresh clone ships the built package and nothing of the sources', () => {
    const listing = run('tar', ['-tzf', tarball], path.dirname(tarball)).out.split('\n').filter(Boolean);
    for (const file of ['package/bin/nianbao.js', 'package/dist/cli/main.js', 'package/dist/workspace/batch/build-worker.js', 'package/dist/workspace/checks/check-worker.js', 'package/dist/threads.js', 'package/dist/validate/standalone.js', 'package/dist/format-data.json', 'package/schemas/report-2021.schema.json', 'package/templates/default/preface.hbs', 'package/examples/workspace/nianbao.yaml', 'package/examples/workspace/.github/workflows/nianbao.yml', 'package/examples/workspace/.gitlab-ci.yml', 'package/examples/workspace/.vscode/tasks.json', 'package/examples/workspace/.vscode/extensions.json']) {
      expect(listing, file).toContain(file);
    }
    expect(listing.some((f) => f.startsWith('package/format/') && f.endsWith('.yaml'))).toBe(true);
    expect(listing.filter((f) => /^package\/(src|test|scripts|bench)\//.test(f))).toEqual([]);
  });

  it('copied to another folder installs with npm ci (no warning), checks and builds from its own files', () => {
    const moved = path.join(tempDir('nianbao-elsewhere-'), '另一台电脑');
    cpSync(workspace, moved, { recursive: true });
    const ci = npm(['ci', '--no-audit', '--no-fund'], moved);
    expect(ci.status, ci.out).toBe(0);
    expect(ci.out).not.toMatch(/EBADENGINE|npm warn|npm WARN/);
    const installed = path.join(moved, 'node_modules', 'nianbao');
    expect(lstatSync(installed).isSymbolicLink()).toBe(false);
    expect(realpathSync(installed).startsWith(realpathSync(moved))).toBe(true);
    expect(existsSync(path.join(installed, 'src'))).toBe(false);
    expect(nianbao(['--version'], moved).out.trim()).toBe(version);

    // every report's $schema line resolves inside the workspace, once installed
    for (const rel of listTree(path.join(moved, 'reports'))) {
      const file = path.join(moved, 'reports', rel);
      const schema = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(file, 'utf8'))![1]!;
      const target = path.resolve(path.dirname(file), schema);
      expect(target.startsWith(path.join(moved, 'node_modules', 'nianbao', 'schemas')), rel).toBe(true);
      expect(existsSync(target), rel).toBe(true);
    }
    // a new report written inside the workspace too
    const made = nianbao(['init', '--year', '2024', '--agency', '白沙镇人民政府', '-o', 'reports/2024/白沙镇.yaml'], moved);
    expect(made.status, made.out).toBe(0);
    const newSchema = /\$schema=(\S+)/.exec(readFileSync(path.join(moved, 'reports/2024/白沙镇.yaml'), 'utf8'))![1]!;
    expect(newSchema).toBe('../../node_modules/nianbao/schemas/report-2021.schema.json');
    expect(existsSync(path.resolve(moved, 'reports/2024', newSchema))).toBe(true);
    // the clerk answers init's prompts (left as they are, they are NARRATIVE-UNFILLED errors)
    const fresh = path.join(moved, 'reports/2024/白沙镇.yaml');
    expect(nianbao(['check', 'reports/2024/白沙镇.yaml'], moved).status).toBe(1);
    writeFileSync(fresh, readFileSync(fresh, 'utf8').split(UNFILLED_MARK).join('本年度未收取信息处理费，本机关如实报告'));

    // the installed nianbao vendors itself byte for byte: a workspace made from this one pins the same tarball
    const second = path.join(tempDir('nianbao-second-'), '邻县');
    const again = nianbao(['init', '--workspace', second], moved);
    expect(again.status, again.out).toBe(0);
    expect(readFileSync(path.join(second, 'vendor', `nianbao-${version}.tgz`)).equals(readFileSync(path.join(moved, 'vendor', `nianbao-${version}.tgz`)))).toBe(true);

    const check = nianbao(['check'], moved);
    expect(check.status, check.out).toBe(0);
    const build = nianbao(['build'], moved);
    expect(build.status, build.out).toBe(0);
    // the site, and the incremental build's manifest beside it (which the CI files leave out of the site)
    expect(listTree(path.join(moved, 'out')).sort()).toEqual([...SITE_FILES, '2024/白沙镇.docx', '2024/白沙镇.html', '2024/白沙镇.pdf', 'index.html', '.nianbao-build.json'].sort());
  });

  it('nianbao upgrade moves the workspace to the running nianbao: tarball, package.json and lock', () => {
    const county = path.join(tempDir('nianbao-upgrade-'), '云溪县年报');
    cpSync(workspace, county, { recursive: true });
    // the newer nianbao: the clone at a later version
    const newer = path.join(tempDir('nianbao-newer-'), 'nianbao');
    cpSync(clone, newer, { recursive: true, verbatimSymlinks: true });
    const pkgFile = path.join(newer, 'package.json');
    writeFileSync(pkgFile, JSON.stringify({ ...JSON.parse(readFileSync(pkgFile, 'utf8')), version: '9.9.9' }, null, 2));
    const upgraded = run(process.execPath, [path.join(newer, 'bin', 'nianbao.js'), 'upgrade'], county);
    expect(upgraded.status, upgraded.out).toBe(0);
    expect(upgraded.out).toContain(`从 nianbao ${version} 升级到 nianbao 9.9.9`);
    expect(readdirSync(path.join(county, 'vendor'))).toEqual(['nianbao-9.9.9.tgz']);
    const pkg = JSON.parse(readFileSync(path.join(county, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toEqual({ nianbao: 'file:vendor/nianbao-9.9.9.tgz' });
    expect(pkg.overrides).toEqual(JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')).overrides);
    const lock = JSON.parse(readFileSync(path.join(county, 'package-lock.json'), 'utf8'));
    expect(lock.packages['node_modules/nianbao']).toMatchObject({ version: '9.9.9', resolved: 'file:vendor/nianbao-9.9.9.tgz' });
    const ci = npm(['ci', '--no-audit', '--no-fund'], county);
    expect(ci.status, ci.out).toBe(0);
    expect(nianbao(['--version'], county).out.trim()).toBe('9.9.9');
    expect(nianbao(['check'], county).status).toBe(0);
  });
});
