/**
 * Runs a workspace's generated CI files here, as far as that can be done without GitHub or GitLab:
 * every job's `run:`/`script:` steps in order, each job instance (matrix value, parallel index) in a
 * clean copy of the workspace (a checkout: no node_modules/, no out/), with artifacts uploaded and
 * downloaded by copying folders. `uses:` steps other than checkout, the artifact/Pages actions and
 * actions/cache/restore + save are refused, so a new action in the workflow cannot pass unnoticed, and
 * so is any `${{ }}` expression the simulation does not know. The site that the Pages step would publish
 * is left in a folder for the test to inspect.
 *
 * Caches outlive a run: they are kept in `SimContext.cacheDir`, so that consecutive runs (pushes) of one
 * workspace see each other's caches as the CI services would. GitHub (actions/cache): a saved key is
 * never overwritten; a restore takes the exact key, else the newest cache whose key starts with a
 * restore key, looking in the run's own scope (a branch, or a pull request's merge ref) before the
 * default branch's; restored files get new modification times. GitLab (`cache:`): restored as the job
 * starts and saved as it ends (when `when:` says), overwriting; the default branch's caches are kept
 * apart from other branches' and merge requests' (GitLab's separate caches for protected branches).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

export interface SimJob {
  readonly name: string;
  readonly status: 'success' | 'failure' | 'skipped';
  /** What ran, for the failure message of a test. */
  readonly log: string;
}

export interface SimResult {
  readonly jobs: readonly SimJob[];
  /** The folder the Pages step published, if it ran. */
  readonly site?: string;
  /** GitHub: deploy-pages ran. GitLab: the pages job succeeded. */
  readonly deployed: boolean;
}

export interface SimContext {
  /** 'push' or 'pull_request' (GitLab: 'merge_request_event'). */
  readonly event: string;
  readonly branch: string;
  readonly defaultBranch: string;
  /** The commit (github.sha); `sim` unless given. */
  readonly sha?: string;
  /** Where caches are kept between runs; a run without it starts from no cache and keeps none. */
  readonly cacheDir?: string;
}

// ---------------------------------------------------------------- caches kept between runs

interface CacheMeta {
  readonly key: string;
  readonly scope: string;
  readonly paths: readonly string[];
  /** Creation order: the newest match wins a prefix restore. */
  readonly serial: number;
}

/** The caches of one simulated repository: one folder per saved cache, its files under data/. */
class CacheStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  list(): (CacheMeta & { data: string })[] {
    return readdirSync(this.dir)
      .filter((e) => existsSync(path.join(this.dir, e, 'meta.json')))
      .map((e) => ({ ...(JSON.parse(readFileSync(path.join(this.dir, e, 'meta.json'), 'utf8')) as CacheMeta), data: path.join(this.dir, e, 'data') }));
  }

  find(key: string, scope: string) {
    return this.list().find((c) => c.key === key && c.scope === scope);
  }

  /** Copies `present` of `paths` (relative to `workspace`) into a new cache, replacing one of the same key and scope. */
  save(key: string, scope: string, workspace: string, paths: readonly string[], present: readonly string[] = paths): void {
    this.remove(key, scope);
    const serial = Math.max(0, ...this.list().map((c) => c.serial)) + 1;
    const entry = path.join(this.dir, String(serial));
    mkdirSync(path.join(entry, 'data'), { recursive: true });
    for (const p of present) copyFiltered(path.resolve(workspace, p), path.join(entry, 'data', p), () => false);
    writeFileSync(path.join(entry, 'meta.json'), JSON.stringify({ key, scope, paths, serial } satisfies CacheMeta));
  }

  remove(key: string, scope: string): void {
    const found = this.find(key, scope);
    if (found) rmSync(path.dirname(found.data), { recursive: true, force: true });
  }
}

/** Restores a cache's files into the workspace: copied anew, so with new modification times, as a CI download has. */
function restoreCache(data: string, workspace: string): void {
  cpSync(data, workspace, { recursive: true, preserveTimestamps: false });
}

/** A clean checkout: what git would hold (no node_modules/, out/ or .nianbao-cache/). */
function checkout(source: string, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  cpSync(source, dir, { recursive: true, filter: (p) => !['node_modules', 'out', 'public', '.nianbao-cache'].includes(path.basename(p)) || path.dirname(p) !== source });
}

function sh(script: string, cwd: string, env: Record<string, string>): { ok: boolean; log: string } {
  const result = spawnSync('bash', ['-e', '-o', 'pipefail', '-c', script], { cwd, encoding: 'utf8', env: { ...process.env, ...env, CI: 'true' }, maxBuffer: 64 << 20 });
  return { ok: result.status === 0, log: `$ ${script}\n${result.stdout}${result.stderr}exit ${result.status}\n` };
}

/** Every file under dir, relative, / separated. */
export function listTree(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? listTree(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** Copies `from` into `to`, leaving out the files whose path relative to the workspace is excluded. */
function copyFiltered(from: string, to: string, excluded: (abs: string) => boolean): void {
  if (!existsSync(from)) return;
  if (statSync(from).isFile()) {
    mkdirSync(path.dirname(to), { recursive: true });
    if (!excluded(from)) cpSync(from, to);
    return;
  }
  mkdirSync(to, { recursive: true });
  cpSync(from, to, { recursive: true, filter: (p) => !excluded(p) });
}

const wildcard = (pattern: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

// ---------------------------------------------------------------- GitHub Actions

interface GhStep {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  id?: string;
}
interface GhJob {
  needs?: string | string[];
  if?: string;
  strategy?: { matrix?: Record<string, unknown[]> };
  steps: GhStep[];
}

/**
 * The `if:` expressions the generated workflow uses: terms joined by `&&`, each a `==`/`!=` comparison
 * over github.event_name, github.ref_name and github.event.repository.default_branch, or one of the
 * status functions always(), success(), failure(), !cancelled() (a simulated run is never cancelled).
 * Without a status function the condition holds only while no earlier step failed, as on GitHub.
 */
export function githubCondition(expression: string | undefined, context: SimContext, failed = false): boolean {
  if (expression === undefined) return !failed;
  const values: Record<string, string> = { 'github.event_name': context.event, 'github.ref_name': context.branch, 'github.event.repository.default_branch': context.defaultBranch };
  const text = expression.replace(/^\$\{\{\s*|\s*\}\}$/g, '').trim();
  const term = (t: string) => {
    const v = t.trim();
    if (/^'.*'$/.test(v)) return v.slice(1, -1);
    if (v in values) return values[v]!;
    throw new Error(`ci-sim: unsupported expression part «${v}» in «${expression}»`);
  };
  let statusChecked = false;
  const result = text.split('&&').every((raw) => {
    const part = raw.trim();
    const status: Record<string, boolean> = { 'always()': true, 'success()': !failed, 'failure()': failed, '!cancelled()': true };
    if (part in status) {
      statusChecked = true;
      return status[part];
    }
    const m = /^(.*?)(==|!=)(.*)$/.exec(part);
    if (!m) throw new Error(`ci-sim: unsupported condition «${part}»`);
    return (term(m[1]!) === term(m[3]!)) === (m[2] === '==');
  });
  return result && (statusChecked || !failed);
}

function matrixInstances(job: GhJob): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  let combos: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) throw new Error(`ci-sim: matrix.${key} is not a list`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })));
  }
  return combos;
}

/** What a step's `${{ }}` may name besides matrix values. */
interface GhValues {
  readonly 'github.sha': string;
  readonly 'runner.os': string;
  readonly 'strategy.job-index': string;
  readonly 'strategy.job-total': string;
}

function githubSubstitute(text: string, matrix: Record<string, string>, values: GhValues): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, inner: string) => {
    const name = inner.trim();
    const m = /^matrix\.(\w+)$/.exec(name);
    if (m) {
      if (!(m[1]! in matrix)) throw new Error(`ci-sim: matrix.${m[1]} is not defined`);
      return matrix[m[1]!]!;
    }
    if (name in values) return values[name as keyof GhValues];
    throw new Error(`ci-sim: unsupported expression «${name}» in «${text}»`);
  });
}

/** Runs .github/workflows/<file> of `workspace` under `work`. */
export function simulateGithub(workspace: string, workflowFile: string, work: string, context: SimContext): SimResult {
  const workflow = parse(readFileSync(path.join(workspace, workflowFile), 'utf8')) as { jobs: Record<string, GhJob> };
  const caches = new CacheStore(context.cacheDir ?? path.join(work, 'cache'));
  // a pull request runs on its merge ref: its caches are its own; it may read the default branch's
  const scope = context.event === 'pull_request' ? `pull/${context.branch}/merge` : context.branch;
  const scopes = [scope, context.defaultBranch];
  const artifacts = path.join(work, 'artifacts');
  const pages = path.join(work, 'pages');
  mkdirSync(artifacts, { recursive: true });
  const status = new Map<string, SimJob['status']>();
  const results: SimJob[] = [];
  let deployed = false;
  let site: string | undefined;
  const needsOf = (job: GhJob) => (job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs]);
  const pending = Object.keys(workflow.jobs);
  while (pending.length > 0) {
    const index = pending.findIndex((name) => needsOf(workflow.jobs[name]!).every((n) => status.has(n)));
    if (index < 0) throw new Error(`ci-sim: jobs ${pending.join(', ')} wait for each other`);
    const [name] = pending.splice(index, 1) as [string];
    const job = workflow.jobs[name]!;
    const needsOk = needsOf(job).every((n) => status.get(n) === 'success');
    if (!needsOk || !githubCondition(job.if, context)) {
      status.set(name, 'skipped');
      results.push({ name, status: 'skipped', log: '' });
      continue;
    }
    let jobOk = true;
    const instances = matrixInstances(job);
    for (const [jobIndex, matrix] of instances.entries()) {
      const values: GhValues = { 'github.sha': context.sha ?? 'sim', 'runner.os': 'Linux', 'strategy.job-index': String(jobIndex), 'strategy.job-total': String(instances.length) };
      const substitute = (text: string) => githubSubstitute(text, matrix, values);
      const label = Object.keys(matrix).length > 0 ? `${name} (${Object.values(matrix).join(', ')})` : name;
      const dir = path.join(work, 'jobs', label.replace(/[^\w-]+/g, '_'), 'ws');
      mkdirSync(dir, { recursive: true });
      let failed = false;
      let log = '';
      for (const step of job.steps) {
        if (!githubCondition(step.if, context, failed)) continue;
        const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, substitute(String(v))]));
        if (step.run !== undefined) {
          const ran = sh(substitute(step.run), dir, { GITHUB_ACTIONS: 'true' });
          log += ran.log;
          if (!ran.ok) failed = true;
          continue;
        }
        const action = step.uses?.replace(/@.*$/, '');
        log += `uses ${step.uses}\n`;
        if (action === 'actions/checkout') checkout(workspace, dir);
        else if (action === 'actions/setup-node') {
          // the Node running the test stands in for the version asked for
          if (!inputs['node-version']) throw new Error('ci-sim: setup-node without node-version');
        } else if (action === 'actions/upload-artifact') {
          const lines = inputs.path!.split('\n').map((l) => l.trim()).filter(Boolean);
          const includes = lines.filter((l) => !l.startsWith('!'));
          const excludes = lines.filter((l) => l.startsWith('!')).map((l) => path.resolve(dir, l.slice(1)));
          if (includes.length !== 1) throw new Error('ci-sim: upload-artifact with more than one path');
          // the artifact's root is the uploaded folder itself (upload-artifact's least common ancestor)
          copyFiltered(path.resolve(dir, includes[0]!), path.join(artifacts, inputs.name!), (p) => excludes.includes(path.resolve(p)));
        } else if (action === 'actions/download-artifact') {
          const target = path.resolve(dir, inputs.path ?? '.');
          const pattern = wildcard(inputs.pattern ?? inputs.name ?? '*');
          for (const artifact of readdirSync(artifacts).filter((a) => pattern.test(a)).sort()) {
            copyFiltered(path.join(artifacts, artifact), inputs['merge-multiple'] === 'true' ? target : path.join(target, artifact), () => false);
          }
        } else if (action === 'actions/cache/restore') {
          const lines = (input: string) => (inputs[input] ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
          if (lines('path').length === 0 || !inputs.key) throw new Error('ci-sim: actions/cache/restore needs a path and a key');
          // a cache matches only a restore of the same paths (GitHub's cache version)
          const all = caches.list().filter((c) => c.paths.join('\n') === lines('path').join('\n'));
          const exact = scopes.map((sc) => all.find((c) => c.key === inputs.key && c.scope === sc)).find(Boolean);
          const newest = (prefix: string) => scopes.map((sc) => all.filter((c) => c.scope === sc && c.key.startsWith(prefix)).sort((a, b) => b.serial - a.serial)[0]).find(Boolean);
          const hit = exact ?? lines('restore-keys').map(newest).find(Boolean);
          if (hit) restoreCache(hit.data, dir);
          log += hit ? `cache: restored ${hit.key} (${hit.scope})\n` : `cache: no cache for ${inputs.key}\n`;
        } else if (action === 'actions/cache/save') {
          const paths = (inputs.path ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
          if (paths.length === 0 || !inputs.key) throw new Error('ci-sim: actions/cache/save needs a path and a key');
          // a key once saved is never replaced (GitHub's caches are immutable); paths that are missing are left out,
          // and none present saves nothing (a warning); a restore then needs the same paths (the cache's version)
          const present = paths.filter((p) => existsSync(path.resolve(dir, p)));
          if (caches.find(inputs.key, scope)) log += `cache: ${inputs.key} exists, not saved\n`;
          else if (present.length === 0) log += `cache: ${paths.join(', ')} missing, not saved\n`;
          else {
            caches.save(inputs.key, scope, dir, paths, present);
            log += `cache: saved ${inputs.key} (${scope})\n`;
          }
        } else if (action === 'actions/upload-pages-artifact') {
          rmSync(pages, { recursive: true, force: true });
          copyFiltered(path.resolve(dir, inputs.path ?? '_site'), pages, () => false);
        } else if (action === 'actions/deploy-pages') {
          if (!existsSync(pages)) failed = true;
          else {
            deployed = true;
            site = pages;
          }
        } else throw new Error(`ci-sim: action ${step.uses} is not simulated`);
        if (failed) break;
      }
      results.push({ name: label, status: failed ? 'failure' : 'success', log });
      if (failed) jobOk = false;
    }
    status.set(name, jobOk ? 'success' : 'failure');
  }
  return { jobs: results, deployed, ...(site ? { site } : existsSync(pages) ? { site: pages } : {}) };
}

// ---------------------------------------------------------------- GitLab CI

interface GlCache {
  key?: string;
  paths?: string[];
  when?: 'on_success' | 'on_failure' | 'always';
  policy?: 'pull' | 'push' | 'pull-push';
}

interface GlJob {
  cache?: GlCache | GlCache[];
  stage?: string;
  script: string[];
  before_script?: string[];
  parallel?: number;
  needs?: (string | { job: string })[];
  rules?: { if?: string; when?: string }[];
  artifacts?: { paths?: string[]; exclude?: string[]; when?: string };
}

const GITLAB_KEYWORDS = new Set(['image', 'stages', 'cache', 'default', 'variables', 'workflow', 'include', 'services', 'before_script', 'after_script']);

/** `$NAME` and `${NAME}` in a cache key; a variable the job does not have is refused. */
function gitlabExpand(text: string, env: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (!(name in env)) throw new Error(`ci-sim: variable ${name} in «${text}» is not simulated`);
    return env[name]!;
  });
}

/** `rules: - if: $A == $B` (`==`/`!=` of variables or quoted strings, joined by &&). */
export function gitlabRulesAllow(rules: GlJob['rules'], variables: Record<string, string>): boolean {
  if (!rules) return true;
  for (const rule of rules) {
    const matches =
      rule.if === undefined ||
      rule.if.split('&&').every((part) => {
        const m = /^(.*?)(==|!=)(.*)$/.exec(part);
        if (!m) throw new Error(`ci-sim: unsupported rule «${part}»`);
        const term = (t: string) => {
          const v = t.trim();
          if (/^\$\w+$/.test(v)) return variables[v.slice(1)] ?? '';
          if (/^(".*"|'.*')$/.test(v)) return v.slice(1, -1);
          throw new Error(`ci-sim: unsupported rule part «${v}»`);
        };
        return (term(m[1]!) === term(m[3]!)) === (m[2] === '==');
      });
    if (matches) return rule.when !== 'never';
  }
  return false;
}

/** Runs .gitlab-ci.yml of `workspace` under `work`. */
export function simulateGitlab(workspace: string, work: string, context: SimContext): SimResult {
  const config = parse(readFileSync(path.join(workspace, '.gitlab-ci.yml'), 'utf8')) as Record<string, unknown> & { stages?: string[]; cache?: GlCache | GlCache[]; default?: { before_script?: string[]; cache?: GlCache | GlCache[] } };
  const caches = new CacheStore(context.cacheDir ?? path.join(work, 'cache'));
  // the default branch is protected: its caches are kept apart from other branches' and merge requests'
  const cacheScope = context.event !== 'pull_request' && context.branch === context.defaultBranch ? 'protected' : 'non_protected';
  const stages = config.stages ?? ['build', 'test', 'deploy'];
  const variables: Record<string, string> = {
    CI_PIPELINE_SOURCE: context.event === 'pull_request' ? 'merge_request_event' : context.event,
    CI_DEFAULT_BRANCH: context.defaultBranch,
    ...(context.event === 'pull_request' ? { CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: context.branch } : { CI_COMMIT_BRANCH: context.branch }),
  };
  const jobs = Object.entries(config).filter(([name, value]) => !GITLAB_KEYWORDS.has(name) && !name.startsWith('.') && typeof value === 'object') as [string, GlJob][];
  for (const [name, job] of jobs) if (!stages.includes(job.stage ?? 'test')) throw new Error(`ci-sim: job ${name} has unknown stage ${job.stage}`);
  const artifactsOf = new Map<string, string[]>(); // job name → artifact folders (one per parallel instance)
  const stageOf = new Map(jobs.map(([name, job]) => [name, job.stage ?? 'test']));
  const status = new Map<string, SimJob['status']>();
  const results: SimJob[] = [];
  let site: string | undefined;
  let deployed = false;
  for (const stage of stages) {
    const earlierFailed = [...status.values()].includes('failure');
    for (const [name, job] of jobs.filter(([, j]) => (j.stage ?? 'test') === stage)) {
      const needs = job.needs?.map((n) => (typeof n === 'string' ? n : n.job));
      const blocked = needs ? needs.some((n) => status.get(n) !== 'success') : earlierFailed;
      if (!gitlabRulesAllow(job.rules, variables) || blocked) {
        status.set(name, 'skipped');
        results.push({ name, status: 'skipped', log: '' });
        continue;
      }
      const count = job.parallel ?? 1;
      let jobOk = true;
      for (let i = 1; i <= count; i++) {
        const label = count > 1 ? `${name} ${i}/${count}` : name;
        const dir = path.join(work, 'jobs', label.replace(/[^\w-]+/g, '_'), 'ws');
        checkout(workspace, dir);
        const env: Record<string, string> = { ...variables, GITLAB_CI: 'true', ...(count > 1 ? { CI_NODE_INDEX: String(i), CI_NODE_TOTAL: String(count) } : {}) };
        const jobCaches = [job.cache ?? config.default?.cache ?? config.cache ?? []].flat().map((c) => {
          if (!c.key || !c.paths?.length) throw new Error(`ci-sim: job ${name} has a cache without key or paths`);
          return { ...c, key: gitlabExpand(c.key, env) };
        });
        let cacheLog = '';
        for (const c of jobCaches) {
          const found = c.policy === 'push' ? undefined : caches.find(c.key, cacheScope);
          if (found) restoreCache(found.data, dir);
          cacheLog += found ? `cache: restored ${c.key} (${cacheScope})\n` : `cache: no cache for ${c.key}\n`;
        }
        // then (as the runner does, after the caches) the artifacts of the needed jobs, or of every job of the
        // earlier stages: never of a job of the same stage
        const sources = needs ?? [...artifactsOf.keys()].filter((n) => stageOf.get(n) !== stage);
        for (const source of sources) for (const folder of artifactsOf.get(source) ?? []) copyFiltered(folder, dir, () => false);
        const script = [...(job.before_script ?? config.default?.before_script ?? []), ...job.script].join('\n');
        const ran = sh(script, dir, env);
        for (const c of jobCaches) {
          const when = c.when ?? 'on_success';
          if (c.policy === 'pull' || !(when === 'always' || (when === 'on_success') === ran.ok)) continue;
          const present = c.paths!.filter((p) => existsSync(path.resolve(dir, p)));
          if (present.length === 0) continue;
          caches.save(c.key, cacheScope, dir, present);
          cacheLog += `cache: saved ${c.key} (${cacheScope})\n`;
        }
        const store = path.join(work, 'artifacts', label.replace(/[^\w-]+/g, '_'));
        if (job.artifacts?.paths && (ran.ok || job.artifacts.when === 'always')) {
          const excludes = (job.artifacts.exclude ?? []).map((e) => path.resolve(dir, e));
          for (const p of job.artifacts.paths) copyFiltered(path.resolve(dir, p), path.resolve(store, p), (abs) => excludes.includes(path.resolve(abs)));
          artifactsOf.set(name, [...(artifactsOf.get(name) ?? []), store]);
        }
        results.push({ name: label, status: ran.ok ? 'success' : 'failure', log: cacheLog + ran.log });
        if (!ran.ok) jobOk = false;
        else if (name === 'pages') {
          site = path.join(store, 'public');
          deployed = existsSync(site);
        }
      }
      status.set(name, jobOk ? 'success' : 'failure');
    }
  }
  return { jobs: results, deployed, ...(site ? { site } : {}) };
}
