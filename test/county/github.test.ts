/**
 * The generated GitHub workflow, run job by job by test/ci-sim.ts in clean copies of a workspace made
 * by `init --workspace` (county suite, vitest.county.config.ts).
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { githubCondition, simulateGithub, type SimResult } from '../ci-sim.js';
import { tempDir } from '../workspace-fixtures.js';
import { buildSummary, expectCompleteSite, jobsLog } from './helpers.js';

const { workspace } = inject('county');

describe('GitHub Actions workflow of a county workspace', () => {
  it('GitHub: on a push to the default branch the workflow checks, builds two shards and deploys one complete site', () => {
    const result = simulateGithub(workspace, '.github/workflows/nianbao.yml', tempDir('nianbao-gh-'), { event: 'push', branch: 'main', defaultBranch: 'main' });
    expect(result.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(result)).toEqual(['check: success', 'build (1): success', 'build (2): success', 'site: success', 'deploy: success']);
    expect(result.deployed).toBe(true);
    expectCompleteSite(result.site);
    // annotations are printed by the check job only
    const annotated = result.jobs.filter((j) => /nianbao (check|build).*--format github/.test(j.log)).map((j) => j.name);
    expect(annotated).toEqual(['check']);
  });

  it('GitHub: each shard caches its output folder; a push that changes one report renders only it and still publishes every report; a pull request reads the cache and saves none', () => {
    const repo = path.join(tempDir('nianbao-gh-repo-'), '云溪县年报');
    cpSync(workspace, repo, { recursive: true });
    const cacheDir = tempDir('nianbao-gh-cache-');
    const run = (sha: string, event = 'push', branch = 'main') => simulateGithub(repo, '.github/workflows/nianbao.yml', tempDir('nianbao-gh-'), { event, branch, defaultBranch: 'main', sha, cacheDir });
    const logOf = (result: SimResult, job: string) => result.jobs.find((j) => j.name === job)!.log;
    const saved = () => readdirSync(cacheDir).length;

    const first = run('c1');
    expect(first.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(first)).toEqual(['check: success', 'build (1): success', 'build (2): success', 'site: success', 'deploy: success']);
    // shards go by a hash of the report's path: 2020/青石镇 in 1/2, the other three in 2/2
    expect(buildSummary(first)).toEqual({ 'build (1)': 1, 'build (2)': 3 });
    expect(logOf(first, 'build (1)')).toContain('cache: saved nianbao-out-Linux-1-of-2-c1 (main)');
    expect(saved()).toBe(2);
    // each shard's cache holds the check's memory too (own-cache.ts): the next push rechecks only what changed
    for (const entry of readdirSync(cacheDir)) expect(readdirSync(path.join(cacheDir, entry, 'data', '.nianbao-cache', 'check')).length).toBe(4);

    // one township's date changes: only its shard renders, only it; the site has all four, the new date included
    const edited = path.join(repo, 'reports/2021/青石镇.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('date: "2022-01-25"', 'date: "2022-01-26"'));
    const second = run('c2');
    expect(second.deployed, jobsLog(second)).toBe(true);
    expect(buildSummary(second)).toEqual({ 'build (1)': 0, 'build (2)': 1 });
    expect(logOf(second, 'build (2)')).toContain('cache: restored nianbao-out-Linux-2-of-2-c1 (main)');
    expectCompleteSite(second.site);
    expect(readFileSync(path.join(second.site!, '2021/青石镇.html'), 'utf8').replaceAll('<wbr>', '')).toContain('2022年1月26日');
    expect(saved()).toBe(4);

    // a pull request that changes the county template: main's caches are read, every report is rendered
    // again (the template is in every digest), nothing is saved and nothing deployed
    const template = path.join(repo, 'templates/preface.hbs');
    writeFileSync(template, `${readFileSync(template, 'utf8')}\n`);
    const pull = run('c3', 'pull_request', 'feature');
    expect(pull.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(pull)).toEqual(['check: success', 'build (1): success', 'build (2): success', 'site: success', 'deploy: skipped']);
    expect(logOf(pull, 'build (1)')).toContain('cache: restored nianbao-out-Linux-1-of-2-c2 (main)');
    expect(buildSummary(pull)).toEqual({ 'build (1)': 1, 'build (2)': 3 });
    expect(saved()).toBe(4);
  });

  it('GitHub: pull requests and other branches check and build but never deploy', () => {
    const workflow = parse(readFileSync(path.join(workspace, '.github/workflows/nianbao.yml'), 'utf8')) as { jobs: Record<string, { if?: string; steps: { uses?: string }[] }> };
    const deployJobs = Object.entries(workflow.jobs).filter(([, job]) => job.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@')));
    expect(deployJobs.map(([name]) => name)).toEqual(['deploy']);
    const deployIf = deployJobs[0]![1].if;
    expect(githubCondition(deployIf, { event: 'push', branch: 'main', defaultBranch: 'main' })).toBe(true);
    expect(githubCondition(deployIf, { event: 'pull_request', branch: 'main', defaultBranch: 'main' })).toBe(false);
    expect(githubCondition(deployIf, { event: 'push', branch: 'feature', defaultBranch: 'main' })).toBe(false);
    for (const [name, job] of Object.entries(workflow.jobs)) if (name !== 'deploy') expect(job.if, name).toBeUndefined();
    // the output cache is saved by pushes only, also after a failed build, on any branch (each branch's caches are its own)
    const save = workflow.jobs.build!.steps.find((s) => s.uses?.startsWith('actions/cache/save@')) as { if?: string };
    expect(githubCondition(save.if, { event: 'push', branch: 'main', defaultBranch: 'main' }, true)).toBe(true);
    expect(githubCondition(save.if, { event: 'push', branch: 'feature', defaultBranch: 'main' })).toBe(true);
    expect(githubCondition(save.if, { event: 'pull_request', branch: 'feature', defaultBranch: 'main' })).toBe(false);
    // current majors of every action
    const majors = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined));
    for (const uses of majors) expect(Number(/@v(\d+)$/.exec(uses)?.[1]), uses).toBeGreaterThanOrEqual(5);
  });
});
