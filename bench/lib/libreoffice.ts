/**
 * The comparison a user would otherwise reach for: LibreOffice converting our docx to PDF. Each file
 * is converted by its own `soffice` call (what a script per report does) with a private profile
 * directory, after one unmeasured call that creates the profile.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function findSoffice(): string | undefined {
  for (const name of ['soffice', 'libreoffice']) {
    try {
      const found = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      // not installed
    }
  }
  return undefined;
}

export interface SofficeResult {
  file: string;
  ms: number;
  ok: boolean;
}

export function convertEach(soffice: string, docxFiles: string[]): SofficeResult[] {
  const profile = mkdtempSync(path.join(tmpdir(), 'nianbao-lo-profile-'));
  const out = mkdtempSync(path.join(tmpdir(), 'nianbao-lo-out-'));
  const run = (file: string) => {
    const start = process.hrtime.bigint();
    const result = spawnSync(soffice, ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'pdf', '--outdir', out, file], { encoding: 'utf8', timeout: 120_000 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const pdf = path.join(out, path.basename(file).replace(/\.docx$/, '.pdf'));
    return { file, ms, ok: result.status === 0 && existsSync(pdf) };
  };
  try {
    if (docxFiles.length) run(docxFiles[0]); // creates the profile; not measured
    return docxFiles.map(run);
  } finally {
    rmSync(profile, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}
