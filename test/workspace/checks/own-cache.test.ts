/**
 * The workspace check's memory of each report's own checks (src/workspace/checks/own-cache.ts): a result is
 * reused only for the same inputs, and a check from it says exactly what a check from scratch says.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { checkWorkspace, type WorkspaceCheck } from '../../../src/workspace/checks/check.js';
import { CACHE_DIR } from '../../../src/workspace/checks/own-cache.js';
import { codeDigest, treeDigest } from '../../../src/code-digest.js';
import { loadWorkspaceConfig } from '../../../src/workspace/config/config.js';
import { tempDir } from '../../workspace-fixtures.js';
import { listTree } from '../../ci-sim.js';
import { buildWorkspace } from '../../../src/workspace/batch/batch.js';
import { sharedInputsDigest } from '../../../src/workspace/batch/manifest.js';

const repo = path.resolve(__dirname, '../../..');

/** The example workspace with the four defective reports of examples/defects added to 2020. */
function workspace(): string {
  const root = path.join(tempDir('nianbao-own-cache-'), '云溪县');
  cpSync(path.join(repo, 'examples/workspace'), root, { recursive: true, filter: (p) => !/[\\/](out|\.nianbao-cache)$/.test(p) });
  for (const file of readdirSync(path.join(repo, 'examples/defects'))) cpSync(path.join(repo, 'examples/defects', file), path.join(root, 'reports/2020', file));
  return root;
}

/** Everything a check says of each report, as plain data. */
function said(check: WorkspaceCheck) {
  return check.reports.map((r) => ({ rel: r.rel, ok: r.ok, usable: r.checked.usable, report: r.checked.report, data: r.checked.data, previous: r.previous?.rel, namePosition: r.namePosition, diagnostics: r.diagnostics }));
}

const cacheFiles = (root: string) => readdirSync(path.join(root, CACHE_DIR, 'check')).sort();

describe('the check’s memory of each report (own-cache.ts)', () => {
  it('a check from the cache says exactly what a check from scratch says, cross-report findings included', async () => {
    const root = workspace();
    const config = loadWorkspaceConfig(root);
    const fresh = await checkWorkspace(config);
    const first = await checkWorkspace(config, { cache: 'use' });
    const second = await checkWorkspace(config, { cache: 'use' });
    expect(first.fromCache).toBe(0);
    expect(second.fromCache).toBe(second.reports.length);
    expect(said(first)).toEqual(said(fresh));
    expect(said(second)).toEqual(said(fresh));
    // the workspace gives the comparison something to compare: errors, warnings and cross-report findings
    const rules = new Set(fresh.reports.flatMap((r) => r.diagnostics.map((d) => d.rule)));
    expect(fresh.reports.some((r) => !r.ok) && fresh.reports.some((r) => r.ok)).toBe(true);
    expect([...rules].some((rule) => rule.startsWith('X-') || rule.startsWith('WS-') || rule === 'FOREIGN-NAME' || rule === 'SIMILAR')).toBe(true);
    // one file per report, named by its key
    expect(cacheFiles(root)).toHaveLength(fresh.reports.filter((r) => r.checked.usable).length);
    expect(cacheFiles(root).every((f) => /^[0-9a-f]{64}\.bin$/.test(f))).toBe(true);
  });

  it('an edited report is checked anew, the others come from the cache; the old result of the edited one is removed', async () => {
    const root = workspace();
    const config = loadWorkspaceConfig(root);
    await checkWorkspace(config, { cache: 'use' });
    const before = cacheFiles(root);
    const edited = path.join(root, 'reports/2021/青石镇.yaml');
    // a figure of table 三 changed so that its 勾稽关系 breaks
    const text = readFileSync(edited, 'utf8');
    const broken = text.replace(/(total:\s*\[\s*)(\d+)/, (_, head: string, n: string) => `${head}${Number(n) + 1}`);
    expect(broken).not.toBe(text);
    writeFileSync(edited, broken);
    const after = await checkWorkspace(config, { cache: 'use' });
    expect(after.fromCache).toBe(after.reports.length - 1);
    const qs = after.reports.find((r) => r.rel === 'reports/2021/青石镇.yaml')!;
    expect(said(after)).toEqual(said(await checkWorkspace(config)));
    expect(qs.ok).toBe(false);
    const now = cacheFiles(root);
    expect(now).toHaveLength(before.length);
    expect(now.filter((f) => !before.includes(f))).toHaveLength(1);
  });

  it('a change of nianbao.yaml (a severity) makes every result stale', async () => {
    const root = workspace();
    await checkWorkspace(loadWorkspaceConfig(root), { cache: 'use' });
    const file = path.join(root, 'nianbao.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('severity: { TEXT-PUNCT: warning }');
    writeFileSync(file, text.replace('severity: { TEXT-PUNCT: warning }', 'severity: { TEXT-PUNCT: warning, WS-SIMILAR: off }'));
    const config = loadWorkspaceConfig(root);
    const after = await checkWorkspace(config, { cache: 'use' });
    expect(after.fromCache).toBe(0);
    expect(said(after)).toEqual(said(await checkWorkspace(config)));
  });

  it('a county font file changed in its bytes only (same path) makes every result stale, and the build manifest\'s shared digest with it', async () => {
    const root = workspace();
    mkdirSync(path.join(root, 'fonts'));
    const fontOf = (weight: string) => createRequire(import.meta.url).resolve(`@expo-google-fonts/noto-serif-sc/${weight}/NotoSerifSC_${weight}.ttf`);
    cpSync(fontOf('400Regular'), path.join(root, 'fonts', 'body.ttf'));
    writeFileSync(path.join(root, 'nianbao.yaml'), `${readFileSync(path.join(root, 'nianbao.yaml'), 'utf8')}\nfonts:\n  body: fonts/body.ttf\n`);
    const config = loadWorkspaceConfig(root);
    await checkWorkspace(config, { cache: 'use' });
    expect((await checkWorkspace(config, { cache: 'use' })).fromCache).toBeGreaterThan(0);
    const manifestDigest = sharedInputsDigest(config);
    cpSync(fontOf('300Light'), path.join(root, 'fonts', 'body.ttf'));
    expect((await checkWorkspace(config, { cache: 'use' })).fromCache).toBe(0);
    expect(sharedInputsDigest(config)).not.toBe(manifestDigest);
  });

  it('a report shown from another folder is its own entry: the findings name it as shown there', async () => {
    const root = workspace();
    const config = loadWorkspaceConfig(root);
    await checkWorkspace(config, { cache: 'use' });
    const cwd = vi.spyOn(process, 'cwd').mockReturnValue(path.join(root, 'reports'));
    try {
      const elsewhere = await checkWorkspace(config, { cache: 'use' });
      expect(elsewhere.fromCache).toBe(0);
      // the findings name the files as shown from there, in the results kept as well
      const files = elsewhere.reports.flatMap((r) => r.diagnostics.map((d) => d.file));
      expect(files.length).toBeGreaterThan(0);
      expect(files.every((f) => /^20\d\d\//.test(f))).toBe(true);
      const again = await checkWorkspace(config, { cache: 'use' });
      expect(again.fromCache).toBe(again.reports.length);
      expect(said(again)).toEqual(said(elsewhere));
    } finally {
      cwd.mockRestore();
    }
  });

  it('a damaged or foreign cache file is ignored and replaced; refresh (build --force) reads none', async () => {
    const root = workspace();
    const config = loadWorkspaceConfig(root);
    const reference = said(await checkWorkspace(config, { cache: 'use' }));
    const files = cacheFiles(root);
    const dir = path.join(root, CACHE_DIR, 'check');
    writeFileSync(path.join(dir, files[0]!), 'not a cache file');
    // another report's result under this key: its key inside does not match
    cpSync(path.join(dir, files[2]!), path.join(dir, files[1]!));
    const again = await checkWorkspace(config, { cache: 'use' });
    expect(again.fromCache).toBe(files.length - 2);
    expect(said(again)).toEqual(reference);
    // refresh reads nothing and writes every result: a file damaged before it is whole again after it
    writeFileSync(path.join(dir, files[3]!), 'damaged');
    const refreshed = await checkWorkspace(config, { cache: 'refresh' });
    expect(refreshed.fromCache).toBe(0);
    expect(said(refreshed)).toEqual(reference);
    expect((await checkWorkspace(config, { cache: 'use' })).fromCache).toBe(files.length);
  });

  it('a check of some reports (`only`) keeps the results of the others; a workspace where the cache cannot be written is checked all the same', async () => {
    const root = workspace();
    const config = loadWorkspaceConfig(root);
    await checkWorkspace(config, { cache: 'use' });
    const all = cacheFiles(root);
    const one = path.join(root, 'reports/2021/红椿镇.yaml');
    const partial = await checkWorkspace(config, { cache: 'use', only: [one] });
    expect(partial.reports.map((r) => r.rel)).toEqual(['reports/2021/红椿镇.yaml']);
    expect(partial.fromCache).toBe(all.length);
    expect(cacheFiles(root)).toEqual(all);
    // .nianbao-cache as a file: nothing can be written under it
    const blocked = workspace();
    writeFileSync(path.join(blocked, CACHE_DIR), '');
    const config2 = loadWorkspaceConfig(blocked);
    const check = await checkWorkspace(config2, { cache: 'use' });
    expect(said(check)).toEqual(said(await checkWorkspace(config2)));
    expect(readFileSync(path.join(blocked, CACHE_DIR), 'utf8')).toBe('');
  });
});

describe('the digest of nianbao’s own code (code-digest.ts), in every key of the memory and the manifest', () => {
  it('changes with a file’s bytes, its name or its folder, and not with the order files were written in', () => {
    const make = (files: Record<string, string>) => {
      const root = tempDir('nianbao-code-digest-');
      for (const [rel, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
        writeFileSync(path.join(root, rel), text);
      }
      return treeDigest(root, [path.join(root, 'dist'), path.join(root, 'format')], ['package.json']);
    };
    const files = { 'dist/a.js': 'export const a = 1;', 'dist/validate/b.js': 'b', 'format/labels.yaml': 'x: 1', 'package.json': '{"version":"0.1.0"}' };
    const digest = make(files);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(make(Object.fromEntries(Object.entries(files).reverse()))).toBe(digest);
    expect(make({ ...files, 'dist/a.js': 'export const a = 2;' })).not.toBe(digest);
    expect(make({ ...files, 'package.json': '{"version":"0.1.1"}' })).not.toBe(digest);
    const { 'dist/validate/b.js': b, ...rest } = files;
    expect(make({ ...rest, 'dist/b.js': b })).not.toBe(digest);
    expect(make({ ...files, 'dist/c.js': '' })).not.toBe(digest);
    // the running code's: the same for the whole process
    expect(codeDigest()).toMatch(/^[0-9a-f]{64}$/);
    expect(codeDigest()).toBe(codeDigest());
  });
});

describe('the batch build renders from the cache', () => {
  it('writes byte for byte the files it writes from a check from scratch', async () => {
    const root = workspace();
    // only the reports that pass: the defective ones are not rendered either way
    for (const file of readdirSync(path.join(repo, 'examples/defects'))) rmSync(path.join(root, 'reports/2020', file));
    const config = loadWorkspaceConfig(root);
    const first = await buildWorkspace(config, { jobs: 1 });
    expect(first.ok).toBe(true);
    const files = listTree(config.output).filter((f) => !f.startsWith('.nianbao-build'));
    const bytes = new Map(files.map((f) => [f, readFileSync(path.join(config.output, f))]));
    // the outputs gone, the memory kept: every report's check comes from it and every report is rendered again
    rmSync(config.output, { recursive: true });
    expect((await checkWorkspace(config, { cache: 'use' })).fromCache).toBe(4);
    const second = await buildWorkspace(config, { jobs: 1 });
    expect(second.reports.filter((r) => !r.upToDate)).toHaveLength(4);
    expect(listTree(config.output).filter((f) => !f.startsWith('.nianbao-build'))).toEqual(files);
    for (const f of files) expect(readFileSync(path.join(config.output, f)).equals(bytes.get(f)!), f).toBe(true);
  });
});

describe('nianbao check uses the cache', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the same findings and exits the same from the cache as without it', async () => {
    const root = workspace();
    const run = async () => {
      let out = '';
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
      vi.spyOn(process, 'cwd').mockReturnValue(root);
      const code = await main(['check', '--format', 'json', root]);
      vi.restoreAllMocks();
      return { code, out };
    };
    const cold = await run();
    expect(cacheFiles(root).length).toBeGreaterThan(0);
    const warm = await run();
    rmSync(path.join(root, CACHE_DIR), { recursive: true });
    const again = await run();
    expect(cold.code).toBe(1);
    expect(warm).toEqual(cold);
    expect(again).toEqual(cold);
    expect((JSON.parse(cold.out) as { files: unknown[] }).files).toHaveLength(readdirSync(path.join(root, 'reports/2020')).length + 2);
  });
});
