/**
 * The comparison a user would otherwise reach for: LibreOffice converting a docx to PDF. Measured the
 * same way on both sides, with processes started by the bench (`runMeasured`: wall and CPU time):
 * - cold against cold: one report per process, `soffice --convert-to pdf one.docx` against
 *   `nianbao build one.yaml --pdf`, each after one unmeasured run (LibreOffice's profile exists, the
 *   files are in the page cache on both sides);
 * - marginal against marginal: N reports in one process (`soffice --convert-to pdf a.docx b.docx …`
 *   against `nianbao build folder --pdf`, one thread), minus one report in one process, divided by N − 1:
 *   what each further report costs once the program is running.
 * A cold process is never divided by a warm in-process function.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runMeasured, type RunResult } from './measure.js';

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

export interface Converter {
  /** converts `docxFiles` in one process; ok when every PDF was written */
  convert(docxFiles: string[]): Promise<RunResult & { ok: boolean }>;
  close(): void;
}

/** A LibreOffice with its own profile folder, created by one unmeasured conversion. */
export async function libreOfficeConverter(soffice: string, warmUpWith: string): Promise<Converter> {
  const profile = mkdtempSync(path.join(tmpdir(), 'nianbao-lo-profile-'));
  const out = mkdtempSync(path.join(tmpdir(), 'nianbao-lo-out-'));
  const convert = async (docxFiles: string[]) => {
    for (const f of readdirSync(out)) rmSync(path.join(out, f), { force: true });
    const run = await runMeasured(soffice, ['--headless', `-env:UserInstallation=file://${profile}`, '--convert-to', 'pdf', '--outdir', out, ...docxFiles]);
    const ok = run.code === 0 && docxFiles.every((f) => existsSync(path.join(out, path.basename(f).replace(/\.docx$/, '.pdf'))));
    return { ...run, ok };
  };
  await convert([warmUpWith]);
  return {
    convert,
    close: () => {
      rmSync(profile, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    },
  };
}
