/**
 * Issue 18: a batch build killed at random points (SIGKILL, SIGINT) never leaves a report with a mixed
 * set of files. The workspace is built once (the old set), then changed and rebuilt in a child process
 * that is killed after a random delay across the build's duration; after what the next build does
 * first (finishing or removing what the killed one left), every report's HTML, docx and PDF are either
 * all old or all new. The next complete build leaves no temporary file, journal or lock.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/format/paths.js';
import { recoverOutput } from '../../src/render/write.js';
import { initWorkspace } from '../../src/workspace/scaffold/scaffold.js';
import { tempDir } from '../workspace-fixtures.js';
import { MANIFEST_FILE } from '../../src/workspace/batch/manifest.js';

const RUN_CLI = path.join(packageRoot, 'test', 'helpers', 'run-cli.ts');

/** The build in a child process, and its exit code (listened for at once: it may end before it is killed). */
function startBuild(root: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', RUN_CLI, 'build', root], { cwd: packageRoot, stdio: 'ignore', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
  return { child, exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

/** Every file below `dir`: relative path → sha256. */
function hashes(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else out.set(path.relative(dir, full).split(path.sep).join('/'), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** A report's set: "2021/红椿镇" → "html=…,docx=…,pdf=…" (index.html and hidden files left out). */
function sets(files: Map<string, string>): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const [file, hash] of [...files].sort()) {
    if (file === 'index.html' || path.basename(file).startsWith('.')) continue;
    const base = file.replace(/\.(html|docx|pdf)$/, '');
    out.set(base, [...(out.get(base) ?? []), `${path.extname(file)}=${hash}`]);
  }
  return new Map([...out].map(([k, v]) => [k, v.join(',')]));
}

/** A small seeded generator, so that a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('a batch build killed at random points', () => {
  it('leaves every report entirely old or entirely new, and no temporary file after the next build', async () => {
    const root = path.join(tempDir(), 'ws');
    await initWorkspace(root, '0.1.0');
    const out = path.join(root, 'out');

    const started = Date.now();
    expect(await startBuild(root).exited).toBe(0);
    const duration = Date.now() - started;
    const oldFiles = hashes(out);
    const oldSets = sets(oldFiles);
    expect(oldSets.size).toBe(4);
    const saved = path.join(tempDir(), 'old-out');
    cpSync(out, saved, { recursive: true });

    // the new version: a county default every report prints
    const configFile = path.join(root, 'nianbao.yaml');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace('address: "云溪县{short}人民政府"', 'address: "云溪县{short}人民政府新址"'));

    const next = random(18);
    const snapshots: { signal: string; delay: number; files: Map<string, string> }[] = [];
    // Kills anywhere in the build's duration; once the build starts writing (its first temporary file
    // appears) and a random time later; and the moment a commit journal appears, when a report's renames
    // are under way: where a mixed set would be left without the journal.
    const rounds = [
      { signal: 'SIGKILL', on: undefined },
      { signal: 'SIGINT', on: undefined },
      { signal: 'SIGKILL', on: /(^|\/)\.nianbao-\d+-[0-9a-f]+\.tmp$/ },
      { signal: 'SIGINT', on: /(^|\/)\.nianbao-\d+-[0-9a-f]+\.tmp$/ },
      { signal: 'SIGKILL', on: /^\.nianbao-commit-/ },
      { signal: 'SIGKILL', on: /^\.nianbao-commit-/ },
      { signal: 'SIGKILL', on: /^\.nianbao-commit-/ },
    ] as const;
    for (const { signal, on } of rounds) {
      rmSync(out, { recursive: true, force: true });
      cpSync(saved, out, { recursive: true });
      const { child, exited } = startBuild(root);
      let delay = Math.round(next() * duration);
      if (on) {
        const deadline = Date.now() + 5 * duration;
        const seen = () => readdirSync(out, { recursive: true }).some((f) => on.test(String(f).split(path.sep).join('/')));
        while (Date.now() < deadline && child.exitCode === null && !seen()) await new Promise((resolve) => setImmediate(resolve));
        delay = on.source.includes('commit') ? 0 : Math.round(next() * 1000);
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill(signal);
      await exited;
      // what the next build does before anything else (it also takes over the dead build's lock)
      recoverOutput(out, true);
      snapshots.push({ signal: `${signal}${on ? ` on ${on.source}` : ''}`, delay, files: hashes(out) });
    }

    // the next build, complete
    expect(await startBuild(root).exited).toBe(0);
    const newFiles = hashes(out);
    const newSets = sets(newFiles);
    expect([...newSets.keys()]).toEqual([...oldSets.keys()]);
    for (const [report, set] of newSets) expect(set).not.toBe(oldSets.get(report));
    // nothing left over: no temporary file, no journal, no lock
    expect([...newFiles.keys()].filter((f) => path.basename(f).startsWith('.') && path.basename(f) !== MANIFEST_FILE)).toEqual([]);

    for (const { signal, delay, files } of snapshots) {
      const where = `${signal} after ${delay} ms`;
      expect([...files.keys()].filter((f) => /\.nianbao-.*\.(tmp|json)$/.test(f) && path.basename(f) !== MANIFEST_FILE), where).toEqual([]);
      const now = sets(files);
      expect([...now.keys()], where).toEqual([...oldSets.keys()]);
      for (const [report, set] of now) expect([oldSets.get(report), newSets.get(report)], `${where}: ${report}`).toContain(set);
      if (process.env.KILL_LOG) console.log(where, [...now].map(([r, s]) => (s === oldSets.get(r) ? "old" : "new")).join(" "));
    }
  }, 600_000);
});

describe('two builds into one output folder', () => {
  it('the second is refused while the first runs, naming its pid; after the first is killed its lock is taken over', async () => {
    const root = path.join(tempDir(), 'ws');
    await initWorkspace(root, '0.1.0');
    const lock = path.join(root, 'out', '.nianbao.lock');
    const { child, exited } = startBuild(root);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && child.exitCode === null && !existsSync(lock)) await new Promise((resolve) => setTimeout(resolve, 5));
    const second = spawnSync(process.execPath, ['--import', 'tsx', RUN_CLI, 'build', root, '--html'], { cwd: packageRoot, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } });
    const stillRunning = child.exitCode === null;
    child.kill('SIGKILL');
    await exited;
    expect(stillRunning).toBe(true);
    expect(second.status).toBe(2);
    expect(second.stderr).toBe(`无法写入「${path.join(root, 'out')}」：另一个 nianbao 生成进程（pid ${child.pid}）正在写入这个输出文件夹；请等它结束后再试（若确认没有其他生成进程，可删除 ${lock}）\n`);
    // the killed build's lock stays behind, and the next build takes it over
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(child.pid));
    expect(await startBuild(root).exited).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 300_000);
});
