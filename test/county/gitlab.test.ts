/**
 * The generated GitLab CI file, run job by job by test/ci-sim.ts in clean copies of a workspace made
 * by `init --workspace` (county suite, vitest.county.config.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { gitlabRulesAllow, simulateGitlab } from '../ci-sim.js';
import { tempDir } from '../workspace-fixtures.js';
import { expectCompleteSite, jobsLog } from './helpers.js';

const { workspace } = inject('county');

describe('GitLab CI of a county workspace', () => {
  it('GitLab: parallel shards and a pages job publishing public/ with one complete site; merge requests do not publish', () => {
    const result = simulateGitlab(workspace, tempDir('nianbao-gl-'), { event: 'push', branch: 'main', defaultBranch: 'main' });
    expect(result.jobs.map((j) => `${j.name}: ${j.status}`), jobsLog(result)).toEqual(['check: success', 'build 1/2: success', 'build 2/2: success', 'pages: success']);
    expectCompleteSite(result.site);
    const config = parse(readFileSync(path.join(workspace, '.gitlab-ci.yml'), 'utf8')) as { pages: { rules: { if?: string }[] } };
    expect(gitlabRulesAllow(config.pages.rules, { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' })).toBe(true);
    expect(gitlabRulesAllow(config.pages.rules, { CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'x', CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'merge_request_event' })).toBe(false);
    expect(gitlabRulesAllow(config.pages.rules, { CI_COMMIT_BRANCH: 'feature', CI_DEFAULT_BRANCH: 'main' })).toBe(false);
  });
});
