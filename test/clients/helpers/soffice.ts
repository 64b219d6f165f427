/**
 * LibreOffice headless conversion, batched: one `soffice` start (≈1 s) converts many files. Each call
 * uses a fresh user profile in a temporary folder, so parallel runs and a desktop LibreOffice do not
 * interfere, and nothing is left in the home directory.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { run } from './run.js';

export interface ConvertOptions {
  /** target filter, e.g. `pdf` (default) or `docx` */
  readonly to?: string;
  /** a fonts.conf to use instead of the system one (maps Word font names to installed faces) */
  readonly fontconfigFile?: string;
  readonly timeout?: number;
}

export interface Converted {
  readonly input: string;
  readonly output: string;
}

/** Converts `inputs` into `outDir`; throws unless every input produced its output file. */
export async function sofficeConvert(inputs: readonly string[], outDir: string, options: ConvertOptions = {}): Promise<{ converted: Converted[]; stdout: string; stderr: string }> {
  const to = options.to ?? 'pdf';
  const profile = mkdtempSync(path.join(tmpdir(), 'nianbao-lo-'));
  const env = { ...process.env, ...(options.fontconfigFile ? { FONTCONFIG_FILE: options.fontconfigFile } : {}), HOME: profile };
  try {
    const { stdout, stderr } = await run(
      'soffice',
      ['--headless', '--norestore', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--convert-to', to, '--outdir', outDir, ...inputs],
      { env, timeout: options.timeout ?? 300_000 },
    );
    const converted = inputs.map((input) => ({ input, output: path.join(outDir, `${path.parse(input).name}.${to.split(':')[0]}`) }));
    const missing = converted.filter((c) => !existsSync(c.output));
    if (missing.length > 0) throw new Error(`soffice did not write ${missing.map((m) => m.output).join(', ')}\n${stdout}\n${stderr}`);
    return { converted, stdout, stderr };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
