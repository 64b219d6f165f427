/**
 * Vitest global setup: every temporary folder the tests and the processes they start make goes under
 * one folder of this run (TMPDIR, which os.tmpdir() and child processes read), removed when the run
 * ends. The tests make thousands of folders (workspaces, packed installs of 2 GB for the county suite);
 * left in the system's temp folder they filled a developer machine's disk.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(path.join(tmpdir(), 'nianbao-test-run-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
