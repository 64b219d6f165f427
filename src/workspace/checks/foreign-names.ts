/**
 * WS-FOREIGN-NAME (FORMAT.md §3.4): the name of another agency of the workspace in a report's
 * narrative (莲花镇 in 兴国镇's report), a sign of text copied from its report.
 *
 * Every report's text is scanned once by one Aho-Corasick automaton over all the workspace's short
 * names (@monyone/aho-corasick, README「跨年度与跨报告检查」), instead of looking for each of a
 * province's thousands of names in each report: the names found are then filtered by what is no sign
 * of copying for this report (its own name, its parent government, the townships under it).
 */
import { AhoCorasick } from '@monyone/aho-corasick/fast';
import type { Diagnostic } from '../../validate/types.js';
import { shortName } from '../config/effective.js';
import { atText, narrativeLabel, narrativeTexts, type ReportEntry } from './entry.js';

type Named = ReportEntry & { readonly name: string };

function quote(text: string, start: number, length: number, context = 12): string {
  const from = Math.max(0, start - context);
  const to = Math.min(text.length, start + length + context);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, '')}${to < text.length ? '…' : ''}`;
}

/** The agency names of a workspace, compiled once into one automaton. */
export class AgencyNames {
  /** short name → the named reports bearing it, in workspace order */
  private readonly byShort = new Map<string, Named[]>();
  private readonly automaton: AhoCorasick;

  constructor(workspace: Iterable<ReportEntry>) {
    for (const other of workspace) {
      if (!other.name) continue;
      const short = shortName(other.name);
      // a one-character name would match everywhere; it is never flagged
      if (short.length < 2) continue;
      const group = this.byShort.get(short);
      if (group) group.push(other as Named);
      else this.byShort.set(short, [other as Named]);
    }
    this.automaton = new AhoCorasick([...this.byShort.keys()]);
  }

  /** WS-FOREIGN-NAME for `entry`: per narrative text, each name in name order, each occurrence in text order. */
  diagnostics(entry: ReportEntry): Diagnostic[] {
    if (!entry.name) return [];
    const own = entry.name;
    const ownShort = shortName(own);
    const parent = entry.parent ?? '';
    // short name → the full name to cite, or null when the name is no sign of copying for this report
    const verdicts = new Map<string, string | null>();
    const foreign = (short: string): string | null => {
      let verdict = verdicts.get(short);
      if (verdict !== undefined) return verdict;
      verdict = null;
      // A name inside our own (兴国 in 兴国镇) or our parent government's is no sign of copying; nor
      // is a county's report naming the townships under it.
      if (!(own.includes(short) || ownShort.includes(short) || parent.includes(short) || short.includes(ownShort))) {
        for (const other of this.byShort.get(short) ?? []) {
          if (other.name === own) continue;
          if (other.parent !== undefined && (other.parent === own || other.parent.includes(ownShort))) continue;
          verdict = other.name; // the last such report names it, as before
        }
      }
      verdicts.set(short, verdict);
      return verdict;
    };
    const out: Diagnostic[] = [];
    for (const { path, key, text } of narrativeTexts(entry.data)) {
      // occurrences by name; the automaton reports overlapping ones, the message counts each name's
      // occurrences left to right without overlap (as String#indexOf from the end of the last one)
      const found = new Map<string, number[]>();
      for (const { begin, keyword } of this.automaton.matchInText(text)) {
        const starts = found.get(keyword);
        if (starts) starts.push(begin);
        else found.set(keyword, [begin]);
      }
      for (const short of [...found.keys()].sort()) {
        const full = foreign(short);
        if (full === null) continue;
        let next = 0;
        for (const index of found.get(short)!.sort((a, b) => a - b)) {
          if (index < next) continue;
          next = index + short.length;
          const passage = quote(text, index, short.length);
          out.push(atText(entry, path, { find: text.slice(index, index + short.length + 8), length: short.length }, 'warning', 'WS-FOREIGN-NAME', `${narrativeLabel(key)}中出现本工作区另一机关的名称「${short}」（${full}）：「${passage}」，疑为从其他报告复制而来`));
        }
      }
    }
    return out;
  }
}

const namesByWorkspace = new WeakMap<readonly ReportEntry[], AgencyNames>();

/** WS-FOREIGN-NAME: names of the workspace's other agencies found in this report's narrative. */
export function foreignNameDiagnostics(entry: ReportEntry, workspace: readonly ReportEntry[]): Diagnostic[] {
  let names = namesByWorkspace.get(workspace);
  if (!names) namesByWorkspace.set(workspace, (names = new AgencyNames(workspace)));
  return names.diagnostics(entry);
}
