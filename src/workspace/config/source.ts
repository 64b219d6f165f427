/**
 * A report or config file read with positions, for diagnostics the workspace checks raise: the
 * span of a data path, and of a passage quoted from a narrative text (so a warning about
 * 「莲花镇」 points at the word itself, not at the start of a long block scalar).
 */
import { passageSpan, spanIn } from '../../load/yaml.js';
import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { DataPath } from '../../validate/types.js';
import { WHOLE_FILE, type Span } from '../../diagnostics/diagnostic.js';

/** Where something is written in a workspace file: a span of its text (diagnostics/diagnostic.ts). */
export type Position = Span;

export class YamlSource {
  /** the parsed file with its line index; dropped by `compact`, parsed again when next needed */
  private parsed?: { readonly doc: Document; readonly lines: LineCounter };

  /** The file's text without a byte-order mark, so that offsets match what an editor shows (CRLF stays: offsets still map to lines). */
  readonly text: string;

  /** `parsed`: the same text parsed already (by the report loader), so it is not parsed again. */
  constructor(
    text: string,
    readonly file: string,
    parsed?: { readonly doc: Document; readonly lineCounter: LineCounter },
  ) {
    this.text = text.replace(/^\uFEFF/, '');
    if (parsed) this.parsed = { doc: parsed.doc, lines: parsed.lineCounter };
  }

  get doc(): Document {
    return this.parse().doc;
  }

  private get lines(): LineCounter {
    return this.parse().lines;
  }

  private parse(): { readonly doc: Document; readonly lines: LineCounter } {
    if (!this.parsed) {
      const lines = new LineCounter();
      const doc = parseDocument(this.text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
      this.parsed = { doc, lines };
    }
    return this.parsed;
  }

  /**
   * Lets the parsed file go (a workspace holds a thousand of them while it builds); a later question
   * about a position parses the text again.
   */
  compact(): void {
    this.parsed = undefined;
  }

  static read(absolute: string, display: string): YamlSource {
    return new YamlSource(readFileSync(absolute, 'utf8'), display);
  }

  /** The parsed data (undefined when the file is not YAML at all). */
  data(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 100 });
    } catch {
      return undefined;
    }
  }

  private nodeRange(path: DataPath): [number, number] | undefined {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return [range[0], range[1]];
    }
    return undefined;
  }

  /** The text of a data path, or of its nearest existing ancestor; the whole file (1:1) when nothing matches. */
  locate(path: DataPath): Span {
    const range = this.nodeRange(path);
    return range ? spanIn(this.lines, range[0], range[1]) : WHOLE_FILE;
  }

  /** The key of a mapping entry (for "unknown key" messages); falls back to `locate`. */
  locateKey(path: DataPath): Span {
    const parent = path.length === 1 ? this.doc.contents : this.doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path.at(-1));
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return spanIn(this.lines, range[0], range[1]);
    }
    return this.locate(path);
  }

  /** Whether a data path exists as a node in the file (e.g. to tell a report's own key from a default). */
  has(path: DataPath): boolean {
    return this.doc.hasIn(path);
  }

  /** A passage inside the text at a data path (`passageSpan`: its first `mark` characters), else the whole file. */
  locateText(path: DataPath, passage: string, mark?: number): Span {
    const range = this.nodeRange(path);
    return range ? passageSpan(this.text, this.lines, range, passage, mark) : WHOLE_FILE;
  }

  /** The scalar string at a path, if any. */
  stringAt(path: DataPath): string | undefined {
    const node = this.doc.getIn(path, true);
    return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
  }
}
