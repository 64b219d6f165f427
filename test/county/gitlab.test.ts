/**
 * The generated GitLab CI file, run job by job by test/ci-sim.ts in clean copies of a workspace made
 * by `init --workspace` (county suite, vitest.county.config.ts).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { gitlabRulesAllow, simulateGitlab } from '../ci-sim.js';
import { tempDir } from '../workspace-fixtures.js';
import { buildSummary, expectCompleteSite, jobsLog } from './helpers.js';

const { workspace } = inject('county');

describe('GitLab CI of a county workspace', () => {
  it('GitLab: parallel shards and a pages job publishing public/ with one complete site; each shard caches its output folder, so the next push renders only the changed report; merge requests do not publish', () => {
    const repo = path.join(tempDir('nianbao-gl-repo-'), '云溪县年报');
    cpSync(workspace, repo, { recursive: true });
    const cacheDir = tempDir('nianbao-gl-cache-');
    const result = simulateGitlab(repo, tempDir('nianbao-gl-'), { event: 'push', branch: 'main', defaultBranch: 'main', cacheDir });
    expect(result.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(result)).toEqual(['check: success', 'build 1/2: success', 'build 2/2: success', 'pages: success']);
    // shards go by a hash of the report's path: 2020/青石镇 in 1/2, the other three in 2/2
    expect(buildSummary(result)).toEqual({ 'build 1/2': 1, 'build 2/2': 3 });
    expectCompleteSite(result.site);

    const edited = path.join(repo, 'reports/2020/红椿镇.yaml');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('date: "2021-01-22"', 'date: "2021-01-23"'));
    const second = simulateGitlab(repo, tempDir('nianbao-gl-'), { event: 'push', branch: 'main', defaultBranch: 'main', cacheDir });
    expect(second.jobs.find((j) => j.name === 'build 2/2')!.log).toContain('cache: restored nianbao-out-2-of-2 (protected)');
    expect(buildSummary(second), jobsLog(second)).toEqual({ 'build 1/2': 0, 'build 2/2': 1 });
    expectCompleteSite(second.site);
    expect(readFileSync(path.join(second.site!, '2020/红椿镇.html'), 'utf8').replaceAll('<wbr>', '')).toContain('2021年1月23日');
    const config = parse(readFileSync(path.join(workspace, '.gitlab-ci.yml'), 'utf8')) as { pages: { rules: { if?: string }[] } };
    expect(gitlabRulesAllow(config.pages.rules, { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' })).toBe(true);
    expect(gitlabRulesAllow(config.pages.rules, { CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'x', CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'merge_request_event' })).toBe(false);
    expect(gitlabRulesAllow(config.pages.rules, { CI_COMMIT_BRANCH: 'feature', CI_DEFAULT_BRANCH: 'main' })).toBe(false);
  });
});
