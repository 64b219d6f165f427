/**
 * The generated GitHub workflow, run job by job by test/ci-sim.ts in clean copies of a workspace made
 * by `init --workspace` (county suite, vitest.county.config.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { githubCondition, simulateGithub } from '../ci-sim.js';
import { tempDir } from '../workspace-fixtures.js';
import { expectCompleteSite, jobsLog } from './helpers.js';

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

  it('GitHub: pull requests and other branches check and build but never deploy', () => {
    const workflow = parse(readFileSync(path.join(workspace, '.github/workflows/nianbao.yml'), 'utf8')) as { jobs: Record<string, { if?: string; steps: { uses?: string }[] }> };
    const deployJobs = Object.entries(workflow.jobs).filter(([, job]) => job.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@')));
    expect(deployJobs.map(([name]) => name)).toEqual(['deploy']);
    const deployIf = deployJobs[0]![1].if;
    expect(githubCondition(deployIf, { event: 'push', branch: 'main', defaultBranch: 'main' })).toBe(true);
    expect(githubCondition(deployIf, { event: 'pull_request', branch: 'main', defaultBranch: 'main' })).toBe(false);
    expect(githubCondition(deployIf, { event: 'push', branch: 'feature', defaultBranch: 'main' })).toBe(false);
    for (const [name, job] of Object.entries(workflow.jobs)) if (name !== 'deploy') expect(job.if, name).toBeUndefined();
    // current majors of every action
    const majors = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => u !== undefined));
    for (const uses of majors) expect(Number(/@v(\d+)$/.exec(uses)?.[1]), uses).toBeGreaterThanOrEqual(5);
  });
});
