/**
 * Watching what a preview depends on: the report YAML, nianbao.yaml and the template folders. Through
 * Node's own `fs.watch` on folders (not files: editors save by writing a new file and renaming it over
 * the old one, which ends a watch on the file itself); events are filtered by file type and gathered
 * for a moment, so one save (often several events) is one change.
 */
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface WatchedFolder {
  readonly dir: string;
  readonly recursive: boolean;
}

/** Files whose change changes a preview: YAML (reports, nianbao.yaml) and templates. */
const RELEVANT = /\.(ya?ml|hbs)$/i;

export class FolderWatcher {
  private watchers: FSWatcher[] = [];
  private key = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onChange: () => void,
    private readonly settleMs = 80,
  ) {}

  /** Watches exactly these folders (a folder that does not exist is skipped). */
  set(folders: readonly WatchedFolder[]): void {
    const unique = [...new Map(folders.map((f) => [`${path.resolve(f.dir)}\0${f.recursive}`, f])).values()];
    const key = unique.map((f) => `${f.dir}\0${f.recursive}`).sort().join('\n');
    if (key === this.key) return;
    this.closeWatchers();
    this.key = key;
    for (const folder of unique) {
      try {
        const watcher = watch(folder.dir, { recursive: folder.recursive, persistent: true }, (_event, name) => {
          if (name === null || RELEVANT.test(String(name))) this.changed();
        });
        watcher.on('error', () => {
          // the folder went away (renamed, deleted): the next change of the configuration re-watches
        });
        this.watchers.push(watcher);
      } catch {
        // a folder that does not exist (yet) is not watched
      }
    }
  }

  private changed(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.settleMs);
  }

  private closeWatchers(): void {
    for (const w of this.watchers) w.close();
    this.watchers = [];
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.closeWatchers();
    this.key = '';
  }
}
