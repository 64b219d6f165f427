/**
 * The incremental batch build's memory: `.nianbao-build.json` in the output folder records, for each
 * report, a digest of everything its files depend on and the files it wrote. A report whose digest is
 * unchanged and whose files are all still there is not rendered again; the files of a report that is
 * gone from the workspace are removed. The check always covers every report: only rendering is skipped.
 *
 * What goes into a digest: the report as it is built (defaults of nianbao.yaml merged), the formats and
 * their target paths, the bytes of every template file that can reach it (the bundled set and the
 * county's folder), the PDF font settings with the bytes of county font files (bundled fonts are named by
 * the nianbao version that ships them), the Word face names, and the nianbao version with a digest of its
 * code (code-digest.ts: a checkout changes between versions). A digest that
 * leaves something out would publish a stale file, so anything in doubt is in.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_TEMPLATE_DIR } from '../../model/compose/templates.js';
import { checkOutputTarget, writeFileAtomic } from '../../render/write.js';
import { version } from '../../version.js';
import { codeDigest } from '../../code-digest.js';
import { hashCountyFonts, isWithin, type WorkspaceConfig } from '../config/config.js';
import { toPosix } from '../config/discover.js';
import type { BuildJob } from './pool.js';

export const MANIFEST_FILE = '.nianbao-build.json';
const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  readonly digest: string;
  /** Output files, relative to the output folder, POSIX separators. */
  readonly files: readonly string[];
}

/** Entries keyed by the report's path relative to the workspace. */
export type Manifest = ReadonlyMap<string, ManifestEntry>;

/** The manifest of the last build, or an empty one (no file, another version of its format, unreadable). */
export function readManifest(config: WorkspaceConfig): Manifest {
  const file = path.join(config.output, MANIFEST_FILE);
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown; reports?: Record<string, ManifestEntry> };
    if (data.version !== MANIFEST_VERSION || typeof data.reports !== 'object' || data.reports === null) return new Map();
    const entries = Object.entries(data.reports).filter(([, e]) => typeof e?.digest === 'string' && Array.isArray(e.files) && e.files.every((f) => typeof f === 'string'));
    return new Map(entries);
  } catch {
    // a missing or damaged manifest only means a full build
    return new Map();
  }
}

export async function writeManifest(config: WorkspaceConfig, manifest: Manifest): Promise<void> {
  const reports = Object.fromEntries([...manifest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFileAtomic(path.join(config.output, MANIFEST_FILE), `${JSON.stringify({ version: MANIFEST_VERSION, nianbao: version, reports }, null, 1)}\n`, { root: config.output });
}

function hashFolder(hash: ReturnType<typeof createHash>, dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir).sort()) {
    const file = path.join(dir, entry);
    if (!entry.endsWith('.hbs') || !statSync(file).isFile()) continue;
    hash.update(`\0${entry}\0`).update(readFileSync(file));
  }
}

/**
 * The part of every digest that all reports of one build share (templates, fonts, version), computed
 * once per build.
 */
export function sharedInputsDigest(config: WorkspaceConfig): string {
  const hash = createHash('sha256').update(`nianbao ${version}\0code ${codeDigest()}\0`);
  for (const dir of [DEFAULT_TEMPLATE_DIR, ...(config.templates ? [config.templates] : [])]) {
    hash.update(`templates ${dir === DEFAULT_TEMPLATE_DIR ? '(bundled)' : path.relative(config.root, dir)}\0`);
    hashFolder(hash, dir);
  }
  hashCountyFonts(hash, config);
  hash.update(`word ${JSON.stringify(config.wordFonts)}\0formats ${config.formats.join(',')}\0`);
  return hash.digest('hex');
}

export function jobDigest(shared: string, job: Omit<BuildJob, 'id'>, config: WorkspaceConfig): string {
  const targets = Object.entries(job.targets).map(([format, target]) => [format, toPosix(path.relative(config.output, target!))]);
  return createHash('sha256').update(shared).update(JSON.stringify({ report: job.report, targets })).digest('hex');
}

/** Output files of an entry, relative to the output folder. */
export function entryFiles(config: WorkspaceConfig, job: Pick<BuildJob, 'targets'>): string[] {
  return Object.values(job.targets).map((target) => toPosix(path.relative(config.output, target!)));
}

/** The report's files are as the last build left them: same digest, and every file still there. */
export function upToDate(config: WorkspaceConfig, previous: ManifestEntry | undefined, digest: string): boolean {
  return previous !== undefined && previous.digest === digest && previous.files.every((f) => existsSync(path.join(config.output, f)));
}

/**
 * Removes the files the last build wrote for reports that are gone (or now write elsewhere), keeping any
 * file some current report still owns. Only files inside the output folder are ever touched.
 */
export async function removeStale(config: WorkspaceConfig, previous: Manifest, current: Manifest): Promise<string[]> {
  const owned = new Set([...current.values()].flatMap((e) => e.files));
  const removed: string[] = [];
  for (const entry of previous.values()) {
    for (const rel of entry.files) {
      if (owned.has(rel)) continue;
      const file = path.resolve(config.output, rel);
      if (!isWithin(config.output, file) || !existsSync(file)) continue;
      try {
        checkOutputTarget(config.output, file); // never through a symbolic link
      } catch {
        continue;
      }
      await rm(file, { force: true });
      removed.push(rel);
    }
  }
  return removed.sort();
}
