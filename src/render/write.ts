/**
 * Writing output files so that nobody ever sees half of one, nor half of a report's set:
 * - every file goes to a temporary name in its own folder (`.nianbao-<pid>-<random>.tmp`), then is
 *   renamed over its target (atomic on one file system);
 * - a report's files (HTML, docx, PDF) are all written to temporary names first; only when every one is
 *   complete is a commit journal written (`.nianbao-commit-….json` in the output folder, listing the
 *   renames), the renames done and the journal removed. A build killed between two renames leaves the
 *   journal: the next build finishes its renames before anything else (`recoverOutput`), so a report's
 *   set is always entirely old or entirely new, and it removes every stale temporary file;
 * - no file is written through a symbolic link (a linked folder in the output folder could lead
 *   anywhere), nor outside the output folder;
 * - a failure is a `WriteError` naming the path and the reason in Chinese, never an internal error.
 */
import { randomBytes } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { safeSegment } from './file-names.js';

const TEMP = /^\.nianbao-\d+-[0-9a-f]+\.tmp$/;
const JOURNAL = /^\.nianbao-commit-\d+-[0-9a-f]+\.json$/;
export const LOCK_FILE = '.nianbao.lock';

/** A file that could not be written: the path and the reason, in Chinese. */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`无法写入「${path}」：${reason}`);
  }
}

const REASONS: Record<string, string> = {
  EACCES: '没有写入权限',
  EPERM: '操作不被允许（没有权限，或文件被占用）',
  ENOSPC: '磁盘空间已满',
  EDQUOT: '超出磁盘配额',
  EROFS: '所在的文件系统是只读的',
  ENOTDIR: '路径中有一级是文件，不是文件夹（有文件挡在那里）',
  EISDIR: '这个路径已是一个文件夹',
  EEXIST: '这个路径已被另一个文件或文件夹占用',
  ENAMETOOLONG: '文件名或路径超过了系统的长度上限',
  EMFILE: '同时打开的文件过多',
  ENFILE: '同时打开的文件过多',
  EIO: '磁盘读写错误',
  ELOOP: '符号链接层数过多',
  EBUSY: '文件正被占用',
};

/** The Chinese reason of a file-system error (its code kept for searching). */
export function failureReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && REASONS[code]) return `${REASONS[code]}（${code}）`;
  return code ? `系统错误 ${code}` : String((error as Error | undefined)?.message ?? error);
}

function toWriteError(target: string, error: unknown): WriteError {
  return error instanceof WriteError ? error : new WriteError(target, failureReason(error));
}

/** The file operations a write uses; a test injects failing ones (a full disk). */
export interface WriteIo {
  writeFile(file: string, bytes: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
}

const nodeIo: WriteIo = {
  writeFile: (file, bytes) => fsp.writeFile(file, bytes, { flag: 'wx' }),
  rename: (from, to) => fsp.rename(from, to),
};

export interface WriteOptions {
  /**
   * The output folder: targets must lie inside it and are never written through a symbolic link
   * below it; the commit journal is kept there. Default: the first target's folder.
   */
  readonly root?: string;
  readonly io?: WriteIo;
}

function tempName(dir: string, suffix: string): string {
  return path.join(dir, `.nianbao-${suffix}${process.pid}-${randomBytes(6).toString('hex')}.${suffix === '' ? 'tmp' : 'json'}`);
}

function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * Refuses a target outside `root`, one whose existing folders below `root` include a symbolic link, and
 * one that is a folder. Folders not there yet are created afterwards as real folders.
 */
export function checkOutputTarget(root: string, target: string): void {
  if (!isInside(root, target)) throw new WriteError(target, `不在输出文件夹「${root}」之内`);
  let dir = root;
  for (const part of path.relative(root, target).split(path.sep)) {
    dir = path.join(dir, part);
    let stat;
    try {
      stat = lstatSync(dir);
    } catch {
      return;
    }
    if (stat.isSymbolicLink()) throw new WriteError(target, `「${dir}」是符号链接；nianbao 不经符号链接写入输出文件（它可能指向输出文件夹之外）`);
    if (dir === target) {
      if (stat.isDirectory()) throw new WriteError(target, REASONS.EISDIR!);
    } else if (!stat.isDirectory()) throw new WriteError(target, `「${dir}」是一个文件，挡住了要建的文件夹（请移走或改名）`);
  }
}

/** Writes one file atomically (see `writeFilesTogether`). */
export async function writeFileAtomic(target: string, bytes: Uint8Array | string, options: WriteOptions = {}): Promise<void> {
  await writeFilesTogether([{ target, bytes }], options);
}

/**
 * Writes a report's files so that they replace the previous ones together or not at all: every file to
 * a temporary name first (a failure removes them all and leaves the old files untouched), then a commit
 * journal, the renames, and the journal's removal.
 */
export async function writeFilesTogether(files: readonly { target: string; bytes: Uint8Array | string }[], options: WriteOptions = {}): Promise<void> {
  await commitStaged(await stageFiles(files, options), options);
}

/**
 * A report's files written under temporary names beside their targets, not yet in place: plain data, so
 * that a render worker can stage them and the thread that decides (the workspace check's verdict) can
 * commit or discard them later. A build killed meanwhile leaves only temporary files, which the next
 * build removes (`recoverOutput`).
 */
export interface StagedFiles {
  /** the output folder (absolute) */
  readonly root: string;
  readonly files: readonly { readonly temp: string; readonly target: string }[];
  /** folders staging created (the first new one of each target's path): removed with the files when discarded, if empty */
  readonly folders?: readonly string[];
}

/** The first half of `writeFilesTogether`: every file under a temporary name, or none (a `WriteError`). */
export async function stageFiles(files: readonly { target: string; bytes: Uint8Array | string }[], options: WriteOptions = {}): Promise<StagedFiles> {
  const io = options.io ?? nodeIo;
  const root = path.resolve(options.root ?? path.dirname(files[0]?.target ?? '.'));
  const staged: { temp: string; target: string }[] = [];
  const folders: string[] = [];
  for (const { target: given, bytes } of files) {
    const target = path.resolve(given);
    try {
      checkOutputTarget(root, target);
      const made = await fsp.mkdir(path.dirname(target), { recursive: true });
      if (made !== undefined) folders.push(made);
      const temp = tempName(path.dirname(target), '');
      staged.push({ temp, target });
      await io.writeFile(temp, bytes);
    } catch (error) {
      await discardStaged({ root, files: staged, folders });
      throw toWriteError(target, error);
    }
  }
  return { root, files: staged, ...(folders.length > 0 ? { folders } : {}) };
}

/**
 * Staged files that will not be published (their reports failed a later check): removed, with the folders
 * staging made for them when nothing else has come to live there. Several reports are discarded together,
 * every file before any folder: two reports staged into one new folder record it only once (the one whose
 * mkdir made it), and that folder is empty only when both reports' files are gone.
 */
export async function discardStaged(staged: StagedFiles | readonly StagedFiles[]): Promise<void> {
  const all: readonly StagedFiles[] = Array.isArray(staged) ? staged : [staged as StagedFiles];
  await Promise.all(all.flatMap((s) => s.files.map((f) => fsp.rm(f.temp, { force: true }))));
  // from each target's folder up to the first folder staging made, deepest first: a folder is removed
  // only once empty, and one report's new folder may hold another's
  const folders = new Set<string>();
  for (const { files, folders: tops } of all) {
    for (const top of tops ?? []) {
      for (const { target } of files) {
        for (let dir = path.dirname(target); dir === top || isInside(top, dir); dir = path.dirname(dir)) folders.add(dir);
      }
    }
  }
  for (const dir of [...folders].sort((a, b) => b.length - a.length)) await fsp.rmdir(dir).catch(() => undefined);
}

/** The second half of `writeFilesTogether`: the staged files renamed over their targets, together. */
export async function commitStaged(staged: StagedFiles, options: Pick<WriteOptions, 'io'> = {}): Promise<void> {
  const io = options.io ?? nodeIo;
  const { root } = staged;
  if (staged.files.length === 0) return;
  let journal: string | undefined;
  if (staged.files.length > 1) {
    journal = tempName(root, 'commit-');
    const entries = staged.files.map((s) => ({ temp: path.relative(root, s.temp), target: path.relative(root, s.target) }));
    const pending = tempName(root, '');
    try {
      // written under a temporary name first: a journal that exists is always complete
      await io.writeFile(pending, JSON.stringify(entries));
      await io.rename(pending, journal);
    } catch (error) {
      await fsp.rm(pending, { force: true });
      await discardStaged(staged);
      throw toWriteError(journal, error);
    }
  }
  for (const [i, { temp, target }] of staged.files.entries()) {
    try {
      await io.rename(temp, target);
    } catch (error) {
      // Only a file system failing between two renames gets here: the rest is left to the journal
      // (the next build completes it), or removed when there is none.
      if (!journal || i === 0) {
        await discardStaged(staged);
        if (journal) await fsp.rm(journal, { force: true });
      }
      throw toWriteError(target, error);
    }
  }
  if (journal) await fsp.rm(journal, { force: true });
}

/**
 * Run before a build writes into `root`: completes the renames of every commit journal a killed build
 * left (so its reports are entirely new), then removes every temporary file of earlier builds — in
 * `root` only, or in every folder below it too (`recursive`, the workspace output folder). Symbolic
 * links are not followed. Only safe while no other build writes there (`acquireOutputLock`).
 */
export function recoverOutput(root: string, recursive: boolean): void {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const name of names.filter((n) => JOURNAL.test(n)).sort()) {
    const journal = path.join(root, name);
    try {
      const entries = JSON.parse(readFileSync(journal, 'utf8')) as { temp: string; target: string }[];
      for (const { temp, target } of entries) {
        const from = path.resolve(root, temp);
        const to = path.resolve(root, target);
        // a journal names files of this folder only; anything else is not ours to move
        if (!isInside(root, from) || !isInside(root, to) || !TEMP.test(path.basename(from))) continue;
        try {
          checkOutputTarget(root, to);
          renameSync(from, to);
        } catch {
          // already renamed before the build stopped, or no longer possible: the temp file goes below
        }
      }
    } catch {
      // unreadable journal: its temporary files are removed below, the old files stay
    }
    rmQuiet(journal);
  }
  const sweep = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isFile() && TEMP.test(entry.name)) rmQuiet(full);
      else if (recursive && entry.isDirectory()) sweep(full);
    }
  };
  sweep(root);
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // gone already
  }
}

/** A build holding an output folder. */
export interface OutputLock {
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the output folder for this process: `root/.nianbao.lock` holding the pid. Another live
 * process's lock is refused (a `WriteError` saying who holds it) or, with `waitMs`, waited for; the
 * lock of a process that no longer exists (killed) is taken over.
 */
export async function acquireOutputLock(root: string, waitMs = 0): Promise<OutputLock> {
  const file = path.join(root, LOCK_FILE);
  try {
    // (a symbolic link to a folder is fine here: nianbao.yaml's output was checked to stay in the workspace)
    if (statSync(root, { throwIfNoEntry: false })?.isDirectory() === false) throw new WriteError(root, '这是一个文件，不是文件夹（有文件挡在那里）');
    await fsp.mkdir(root, { recursive: true });
  } catch (error) {
    throw toWriteError(root, error);
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return {
        release: () => {
          if (readPid(file) === process.pid) rmQuiet(file);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw toWriteError(file, error);
    }
    const holder = readPid(file);
    if (holder === undefined ? !justCreated(file) : !alive(holder)) {
      // the lock of a dead process (a build killed), or one without a pid for a while: taken over
      rmQuiet(file);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new WriteError(root, `另一个 nianbao 生成进程（pid ${holder ?? '未知'}）正在写入这个输出文件夹；请等它结束后再试（若确认没有其他生成进程，可删除 ${file}）`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A lock file is created first and its pid written just after: a young empty one is being taken. */
function justCreated(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 2000;
  } catch {
    return false;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** A report title made safe as a file name on Windows, macOS and Linux (file-names.ts). */
export function safeFileName(title: string): string {
  return safeSegment(title, 'report');
}
