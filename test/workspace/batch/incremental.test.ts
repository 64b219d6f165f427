/**
 * The incremental batch build (src/workspace/batch/manifest.ts): a report whose inputs are unchanged is not
 * rendered again and its files are not touched; a change to the report, to nianbao.yaml, to a county
 * template or to the output paths renders again exactly what it affects; outputs of removed reports are
 * deleted; --force and a damaged manifest render everything.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildWorkspace, workersFor, type BatchResult } from '../../../src/workspace/batch/batch.js';
import { loadWorkspaceConfig, type WorkspaceConfig } from '../../../src/workspace/config/config.js';
import { MANIFEST_FILE } from '../../../src/workspace/batch/manifest.js';
import { initWorkspace } from '../../../src/workspace/scaffold/scaffold.js';
import { tempDir } from '../../workspace-fixtures.js';

let root: string;
let out: string;
const html = (rel: string) => path.join(out, ...rel.split('/'));
const REPORTS = ['2020/红椿镇', '2020/青石镇', '2021/红椿镇', '2021/青石镇'];

/** A file's identity: every write renames a new file into place, so a rewritten file has a new inode. */
function identity(file: string): string {
  const s = statSync(file);
  return `${s.ino}:${s.mtimeMs}`;
}
function identities(): Record<string, string> {
  return Object.fromEntries(REPORTS.map((r) => [r, identity(html(`${r}.html`))]));
}
function rewritten(before: Record<string, string>): string[] {
  const now = identities();
  return REPORTS.filter((r) => now[r] !== before[r]);
}
const config = (): WorkspaceConfig => ({ ...loadWorkspaceConfig(root), formats: ['html'] });
const build = (options: { force?: boolean } = {}): Promise<BatchResult> => buildWorkspace(config(), { jobs: 2, ...options });
const rendered = (result: BatchResult) => result.reports.filter((r) => !r.upToDate).map((r) => r.entry.rel);

describe('incremental batch build', () => {
  beforeEach(async () => {
    root = path.join(tempDir(), '县工作区');
    await initWorkspace(root, '0.1.0');
    out = path.join(root, 'out');
    const first = await build();
    expect(first.ok).toBe(true);
    expect(rendered(first)).toHaveLength(4);
  });

  it('renders nothing and touches no report file when nothing changed, and records what it wrote', async () => {
    const before = identities();
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest.reports)).toEqual(REPORTS.map((r) => `reports/${r}.yaml`));
    expect(manifest.reports['reports/2021/红椿镇.yaml'].files).toEqual(['2021/红椿镇.html']);

    const again = await build();
    expect(again.ok).toBe(true);
    expect(rendered(again)).toEqual([]);
    expect(again.reports.every((r) => r.status === 'built' || r.status === 'warnings')).toBe(true);
    expect(rewritten(before)).toEqual([]);
    // the index still lists every report with its link
    const index = readFileSync(again.indexFile, 'utf8');
    for (const r of REPORTS) expect(index).toContain(encodeURI(`${r}.html`));
  });

  it('renders again only the report whose text changed', async () => {
    const before = identities();
    const file = path.join(root, 'reports', '2021', '青石镇.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('date: "2022-01-25"', 'date: "2022-01-26"'));
    const again = await build();
    expect(rendered(again)).toEqual(['reports/2021/青石镇.yaml']);
    expect(rewritten(before)).toEqual(['2021/青石镇']);
    // the signature may break only between words (<wbr>), so the date is read without them
    expect(readFileSync(html('2021/青石镇.html'), 'utf8').replaceAll('<wbr>', '')).toContain('2022年1月26日');
  });

  it('renders every report again when a county default, a county template or --force says so', async () => {
    let before = identities();
    const configFile = path.join(root, 'nianbao.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(/(\n\s+office: )(.*)/, '$1综合办公室'));
    expect(rendered(await build())).toHaveLength(4);
    expect(rewritten(before)).toEqual(REPORTS);
    expect(readFileSync(html('2020/红椿镇.html'), 'utf8')).toContain('综合办公室');

    before = identities();
    const template = path.join(root, 'templates', 'preface.hbs');
    writeFileSync(template, `${readFileSync(template, 'utf8')}\n`);
    expect(rendered(await build())).toHaveLength(4);
    expect(rewritten(before)).toEqual(REPORTS);

    before = identities();
    expect(rendered(await build({ force: true }))).toHaveLength(4);
    expect(rewritten(before)).toEqual(REPORTS);
  });

  it('renders a report again when one of its files is missing', async () => {
    rmSync(html('2020/青石镇.html'));
    const again = await build();
    expect(rendered(again)).toEqual(['reports/2020/青石镇.yaml']);
    expect(existsSync(html('2020/青石镇.html'))).toBe(true);
  });

  it('removes the files of a report that left the workspace, and only those', async () => {
    const before = identities();
    rmSync(path.join(root, 'reports', '2021', '红椿镇.yaml'));
    const again = await build();
    expect(again.removed).toEqual(['2021/红椿镇.html']);
    expect(existsSync(html('2021/红椿镇.html'))).toBe(false);
    expect(rendered(again)).toEqual([]);
    const kept = REPORTS.filter((r) => r !== '2021/红椿镇');
    for (const r of kept) expect(identity(html(`${r}.html`))).toBe(before[r]);
    expect(Object.keys(JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8')).reports)).toEqual(kept.map((r) => `reports/${r}.yaml`));
  });

  it('keeps the old files of a report that fails its check, and renders it once it passes again', async () => {
    const file = path.join(root, 'reports', '2021', '青石镇.yaml');
    const original = readFileSync(file, 'utf8');
    const before = identities();
    writeFileSync(file, original.replace('received: [2, 1, 0, 0, 0, 0, 3]', 'received: [2, 1, 0, 0, 0, 0, 4]'));
    const failing = await build();
    expect(failing.ok).toBe(false);
    expect(failing.removed).toEqual([]);
    expect(rewritten(before)).toEqual([]);
    writeFileSync(file, original.replace('date: "2022-01-25"', 'date: "2022-01-27"'));
    const fixed = await build();
    expect(rendered(fixed)).toEqual(['reports/2021/青石镇.yaml']);
    expect(rewritten(before)).toEqual(['2021/青石镇']);
  });

  it('a shard build keeps files of other shards only while they are what those shards write (a folder other shards wrote into)', async () => {
    // shard i/3 over the folder of an unsharded build (as a cache from before a change of the shard count)
    const shard = (index: number) => buildWorkspace(config(), { jobs: 1, shard: { index, count: 3 } });
    const ownRendered = (result: BatchResult) => result.reports.filter((r) => r.selected && !r.upToDate).map((r) => r.entry.rel);
    const manifestKeys = () => Object.keys(JSON.parse(readFileSync(path.join(out, MANIFEST_FILE), 'utf8')).reports);
    let before = identities();
    const first = await shard(1);
    // shard 1/3 is 2020/红椿镇 and 2021/青石镇 (by a hash of the path); the other two are up to date and stay, untouched
    expect(first.reports.filter((r) => r.selected).map((r) => r.entry.rel)).toEqual(['reports/2020/红椿镇.yaml', 'reports/2021/青石镇.yaml']);
    expect(ownRendered(first)).toEqual([]);
    expect(first.removed).toEqual([]);
    expect(rewritten(before)).toEqual([]);
    expect(manifestKeys()).toEqual(REPORTS.map((r) => `reports/${r}.yaml`));

    // a report of shard 3/3 changes: shard 1/3 must not publish its old file beside the new one
    before = identities();
    const file = path.join(root, 'reports', '2021', '红椿镇.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('date: "2022-01-20"', 'date: "2022-01-21"'));
    const second = await shard(1);
    expect(ownRendered(second)).toEqual([]);
    expect(second.removed).toEqual(['2021/红椿镇.html']);
    expect(existsSync(html('2021/红椿镇.html'))).toBe(false);
    expect(manifestKeys()).toEqual(['reports/2020/红椿镇.yaml', 'reports/2020/青石镇.yaml', 'reports/2021/青石镇.yaml']);
    for (const r of ['2020/红椿镇', '2020/青石镇', '2021/青石镇']) expect(identity(html(`${r}.html`)), r).toBe(before[r]);

    // its own shard renders it; the unchanged report of shard 2/3 kept above is what shard 2/3 writes
    expect(ownRendered(await shard(3))).toEqual(['reports/2021/红椿镇.yaml']);
    expect(readFileSync(html('2021/红椿镇.html'), 'utf8').replaceAll('<wbr>', '')).toContain('2022年1月21日');
    expect(ownRendered(await shard(2))).toEqual([]);
    expect(identity(html('2020/青石镇.html'))).toBe(before['2020/青石镇']);
  });

  it('a report added among the others renders only itself: no other report changes shard (each shard with its own cached folder)', async () => {
    const shardBuild = (index: number) => buildWorkspace({ ...config(), output: path.join(root, `out-${index}`) }, { jobs: 1, shard: { index, count: 2 } });
    const ownRendered = (result: BatchResult) => result.reports.filter((r) => r.selected && !r.upToDate).map((r) => r.entry.rel);
    const firstRound = [ownRendered(await shardBuild(1)), ownRendered(await shardBuild(2))];
    expect(firstRound.flat().sort()).toEqual(REPORTS.map((r) => `reports/${r}.yaml`));
    // a township that sorts before all the others hands in its report (dealt by position, every later
    // report would have moved to the other shard, whose folder does not hold its files)
    const added = 'reports/2020/白沙镇.yaml';
    writeFileSync(path.join(root, ...added.split('/')), readFileSync(path.join(root, 'reports', '2020', '青石镇.yaml'), 'utf8').replaceAll('青石镇', '白沙镇'));
    const secondRound = [await shardBuild(1), await shardBuild(2)];
    expect(secondRound.every((result) => result.ok)).toBe(true);
    expect(secondRound.map(ownRendered).flat()).toEqual([added]);
    // the shards' selections still cover every report exactly once
    const selected = secondRound.flatMap((result) => result.reports.filter((r) => r.selected).map((r) => r.entry.rel)).sort();
    expect(selected).toEqual([added, ...REPORTS.map((r) => `reports/${r}.yaml`)].sort());
  });

  it('takes a damaged manifest for no manifest: everything is rendered, nothing fails', async () => {
    const before = identities();
    writeFileSync(path.join(out, MANIFEST_FILE), '{"version": 1, "reports": ');
    const again = await build();
    expect(again.ok).toBe(true);
    expect(rendered(again)).toHaveLength(4);
    expect(rewritten(before)).toEqual(REPORTS);
  });
});

describe('render workers by default', () => {
  it('starts one worker per 25 reports to render, at most one per core, never none', () => {
    expect([0, 1, 25, 26, 50, 51, 1000].map((n) => workersFor(2, n))).toEqual([1, 1, 1, 2, 2, 2, 2]);
    expect(workersFor(8, 120)).toBe(5);
  });
});
