/**
 * The workspace check's memory of each report's own checks, in `.nianbao-cache/check/` at the workspace
 * root: parsing and checking a report alone is most of a check's time, and a county's push changes one
 * report of hundreds. A report's result is taken from the cache only when everything it was computed
 * from is the same: the file's bytes, its path, the whole workspace configuration with the bytes of the
 * county's font files (their glyphs are checked), and nianbao's own code (code-digest.ts). The
 * cross-report checks (last year's report, other agencies' names, 内容雷同, output clashes) always run
 * on every report; only their inputs come from here.
 *
 * Not in the output folder: that is published, and a report that fails its check must not be.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { codeDigest } from '../../code-digest.js';
import type { Diagnostic, Span } from '../../diagnostics/diagnostic.js';
import type { Report } from '../../format/report.js';
import { hashCountyFonts, type WorkspaceConfig } from '../config/config.js';

export const CACHE_DIR = '.nianbao-cache';
const CHECK_DIR = 'check';
/** Bumped when what a cache file holds changes shape. */
const FORMAT = 1;

/** What a report's own checks found, as the workspace check keeps it after the first pass. */
export interface OwnResult {
  readonly report?: Report;
  readonly data: unknown;
  readonly diagnostics: readonly Diagnostic[];
  /** the report-text and section checks the workspace adds to a report's own */
  readonly local: readonly Diagnostic[];
  readonly namePosition: Span;
}

/** `refresh`: results are written but none is read (`build --force`). */
export type CacheMode = 'use' | 'refresh';

export class OwnCheckCache {
  private readonly dir: string;
  private readonly inputs: string;
  private writable = true;
  /** keys read or written in this run: the rest is removed by `prune` */
  private readonly used = new Set<string>();
  hits = 0;

  constructor(
    config: WorkspaceConfig,
    private readonly mode: CacheMode = 'use',
  ) {
    this.dir = path.join(config.root, CACHE_DIR, CHECK_DIR);
    this.inputs = inputsDigest(config);
  }

  /** The key of a report's result: the shared inputs, where the file is and is shown, and its bytes. */
  key(display: string, rel: string, bytes: Uint8Array): string {
    return createHash('sha256').update(this.inputs).update(`\0${display}\0${rel}\0`).update(bytes).digest('hex');
  }

  get(key: string): OwnResult | undefined {
    if (this.mode !== 'use') return undefined;
    let stored: { format?: unknown; key?: unknown; result?: OwnResult };
    try {
      stored = v8.deserialize(readFileSync(this.file(key))) as typeof stored;
    } catch {
      // none yet, or unreadable (a Node.js that writes another serialization, a damaged file): checked anew
      return undefined;
    }
    if (stored?.format !== FORMAT || stored.key !== key || !stored.result || !Array.isArray(stored.result.diagnostics)) return undefined;
    this.used.add(key);
    this.hits++;
    return stored.result;
  }

  /** Kept for the next run; a workspace that cannot be written to (a read-only checkout) just has no cache. */
  put(key: string, result: OwnResult): void {
    this.used.add(key);
    if (!this.writable) return;
    const file = this.file(key);
    const temp = `${file}.${process.pid}.tmp`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(temp, v8.serialize({ format: FORMAT, key, result }));
      renameSync(temp, file);
    } catch {
      this.writable = false;
      try {
        rmSync(temp, { force: true });
      } catch {
        // nothing was written
      }
    }
  }

  /** Removes the results no report of this run used (after a check of the whole workspace only). */
  prune(): void {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      // another run's file still being written is left alone
      if (name.endsWith('.tmp') || this.used.has(name.replace(/\.bin$/, ''))) continue;
      rmSync(path.join(this.dir, name), { force: true });
    }
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.bin`);
  }
}

/** What every report's result depends on besides its own file. */
function inputsDigest(config: WorkspaceConfig): string {
  const hash = createHash('sha256').update(`format ${FORMAT}\0code ${codeDigest()}\0config ${JSON.stringify(config)}\0`);
  hashCountyFonts(hash, config);
  return hash.digest('hex');
}
