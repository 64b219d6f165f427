/**
 * `upgrade`'s second half: the workspace's tooling brought to the running nianbao (files.ts says which
 * files are tooling). A workspace made by an older nianbao lacked what came later (VS Code's settings,
 * the check's memory in .gitignore), and the README told the clerk to copy them by hand.
 *
 * Nothing the county wrote is overwritten: a missing tooling file is added (not a CI file: a county may
 * have deleted or renamed the one it does not use), a .gitignore gets the lines it lacks, and a tooling
 * file that differs from the running nianbao's (a county may have changed its CI) is only named, for the
 * clerk to compare.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic, WriteError } from '../../render/write.js';
import { toPosix } from '../config/discover.js';
import { CI_FILES, IGNORED, isTooling, SCAFFOLD_DIR, scaffoldFiles } from './files.js';

export interface ToolingRefresh {
  /** Tooling files the workspace lacked, now copied from the running nianbao (/ separated). */
  readonly added: readonly string[];
  /** Tooling files the workspace has in another form than the running nianbao's, left as they are. */
  readonly differing: readonly string[];
  /** Lines added to .gitignore (or the lines of a .gitignore written anew). */
  readonly ignored: readonly string[];
  /**
   * Files that could not be written, and why (a file where the folder should be, no permission). The
   * upgrade of the package itself stands: the clerk clears the way and runs `upgrade` again.
   */
  readonly failed: readonly { readonly file: string; readonly reason: string }[];
}

/** A .gitignore line as the folder it names: `out`, `/out` and `out/` all name `out/`. */
function ignoredFolder(line: string): string {
  return `${line.trim().replace(/^\/+/, '').replace(/\/+$/, '')}/`;
}

/** The lines of `IGNORED` missing from a .gitignore's text, and the text with them appended. */
export function withIgnored(text: string): { readonly text: string; readonly added: readonly string[] } {
  const present = new Set(text.split(/\r?\n/).map(ignoredFolder));
  const added = IGNORED.filter((line) => !present.has(line));
  if (added.length === 0) return { text, added };
  const eol = text.includes('\r\n') ? '\r\n' : '\n'; // a .gitignore written on Windows keeps its line ends
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  return { text: `${text}${separator}${added.join(eol)}${eol}`, added };
}

/** Brings the tooling of the workspace at `root` to the running nianbao's; see the module comment. */
export async function refreshTooling(root: string): Promise<ToolingRefresh> {
  const added: string[] = [];
  const differing: string[] = [];
  const failed: { file: string; reason: string }[] = [];
  /** Writes `file`; false (and the reason noted) when it cannot be written. */
  const write = async (file: string, bytes: Uint8Array | string) => {
    try {
      await writeFileAtomic(path.join(root, file), bytes);
      return true;
    } catch (error) {
      if (!(error instanceof WriteError)) throw error;
      failed.push({ file, reason: error.reason });
      return false;
    }
  };
  for (const file of scaffoldFiles().filter(isTooling).map(toPosix)) {
    const ours = readFileSync(path.join(SCAFFOLD_DIR, file));
    const target = path.join(root, file);
    if (!existsSync(target)) {
      if (!CI_FILES.includes(file) && (await write(file, ours))) added.push(file);
    } else if (!statSync(target).isFile() || !readFileSync(target).equals(ours)) differing.push(file);
  }
  const gitignore = path.join(root, '.gitignore');
  const before = existsSync(gitignore) && statSync(gitignore).isFile() ? readFileSync(gitignore, 'utf8') : '';
  const { text, added: missing } = withIgnored(before);
  const ignored = missing.length > 0 && (await write('.gitignore', text)) ? missing : [];
  return { added, differing, ignored, failed };
}
