/**
 * Cross-report text checks (FORMAT.md §3.4 DUP; 国办公开办函〔2021〕30号 names 内容雷同 as
 * sanctionable): another agency's name of the same workspace in a report's text (WS-FOREIGN-NAME,
 * e.g. 莲花镇 in 兴国镇's report), and a narrative section nearly identical to the same section of
 * last year's report or of a sibling's (WS-SIMILAR). Both are warnings that quote the passage.
 */
import type { Diagnostic } from '../../validate/types.js';
import { shortName } from '../config/effective.js';
import { atText, narrativeLabel, narrativeTexts, type ReportEntry } from './entry.js';

const SHINGLE = 5;
/** Sections shorter than this (after removing white space) are too short to call copied. */
const MIN_LENGTH = 50;

function quote(text: string, start: number, length: number, context = 12): string {
  const from = Math.max(0, start - context);
  const to = Math.min(text.length, start + length + context);
  return `${from > 0 ? '…' : ''}${text.slice(from, to).replace(/\s+/g, '')}${to < text.length ? '…' : ''}`;
}

const namesByWorkspace = new WeakMap<readonly ReportEntry[], { other: ReportEntry & { name: string }; short: string }[]>();

/** The named reports of a workspace with their short names, worked out once per workspace. */
function agencyNames(workspace: readonly ReportEntry[]): { other: ReportEntry & { name: string }; short: string }[] {
  let names = namesByWorkspace.get(workspace);
  if (!names) {
    names = workspace.filter((other): other is ReportEntry & { name: string } => Boolean(other.name)).map((other) => ({ other, short: shortName(other.name) }));
    namesByWorkspace.set(workspace, names);
  }
  return names;
}

/** WS-FOREIGN-NAME: names of the workspace's other agencies found in this report's narrative. */
export function foreignNameDiagnostics(entry: ReportEntry, workspace: readonly ReportEntry[]): Diagnostic[] {
  if (!entry.name) return [];
  const own = entry.name;
  const ownShort = shortName(own);
  const parent = entry.parent ?? '';
  const names = new Map<string, string>(); // short name → full name
  for (const { other, short } of agencyNames(workspace)) {
    if (other.name === own) continue;
    // A name inside our own (兴国 in 兴国镇) or our parent government's is no sign of copying; nor
    // is a county's report naming the townships under it.
    if (short.length < 2 || own.includes(short) || ownShort.includes(short) || parent.includes(short) || short.includes(ownShort)) continue;
    if (other.parent !== undefined && (other.parent === own || other.parent.includes(ownShort))) continue;
    names.set(short, other.name);
  }
  const out: Diagnostic[] = [];
  const sorted = [...names.keys()].sort();
  for (const { path, key, text } of narrativeTexts(entry.data)) {
    for (const short of sorted) {
      let index = text.indexOf(short);
      while (index >= 0) {
        const passage = quote(text, index, short.length);
        const d = atText(entry, path, text.slice(index, index + short.length + 8), 'warning', 'WS-FOREIGN-NAME', `${narrativeLabel(key)}中出现本工作区另一机关的名称「${short}」（${names.get(short)}）：「${passage}」，疑为从其他报告复制而来`);
        out.push(d);
        index = text.indexOf(short, index + short.length);
      }
    }
  }
  return out;
}

/** Texts without white space, kept per text: each section is compared with many siblings. */
const normalized = new Map<string, string>();

function normalize(text: string): string {
  let plain = normalized.get(text);
  if (plain === undefined) {
    if (normalized.size > 20_000) normalized.clear();
    plain = text.replace(/\s+/g, '');
    normalized.set(text, plain);
  }
  return plain;
}

/** Shingle sets by text: a workspace compares each section with many siblings. */
const shingleCache = new Map<string, Set<string>>();

function shingles(text: string): Set<string> {
  const cached = shingleCache.get(text);
  if (cached) return cached;
  if (shingleCache.size > 20_000) shingleCache.clear();
  const set = new Set<string>();
  shingleCache.set(text, set);
  for (let i = 0; i + SHINGLE <= text.length; i++) set.add(text.slice(i, i + SHINGLE));
  return set;
}

/**
 * The sections of a group of reports (one year of a workspace) indexed by passage, so that a section
 * is compared with all of them at once: for each 5-character passage of the section, every report
 * holding it in the same section scores a hit. The hits are exactly those `overlap` counts, pair by
 * pair, and only the pairs over the threshold are then compared in full (for the passage to quote),
 * instead of comparing every pair: a county's year of 200 townships is 40,000 pairs.
 */
export class SectionIndex {
  private readonly ids = new Map<ReportEntry, number>();
  private readonly members: ReportEntry[] = [];
  /** per section key: passage → ids of the reports whose section holds it */
  private readonly postings = new Map<string, Map<string, number[]>>();

  constructor(entries: Iterable<ReportEntry>) {
    for (const entry of entries) {
      const id = this.members.length;
      this.ids.set(entry, id);
      this.members.push(entry);
      for (const { key, text } of narrativeTexts(entry.data)) {
        let byPassage = this.postings.get(key);
        if (!byPassage) this.postings.set(key, (byPassage = new Map()));
        for (const passage of shingles(normalize(text))) {
          const list = byPassage.get(passage);
          if (list) list.push(id);
          else byPassage.set(passage, [id]);
        }
      }
    }
  }

  has(entry: ReportEntry): boolean {
    return this.ids.has(entry);
  }

  /** per section key, text and threshold: the indexed reports at or over it, highest share first */
  private readonly overCache = new Map<string, readonly { entry: ReportEntry; share: number }[]>();

  /**
   * The indexed reports whose section `key` holds at least `threshold` of `text`'s passages, highest
   * share first. Kept per distinct text: a thousand reports with the same text ask once, not a thousand times.
   */
  over(key: string, text: string, threshold: number): readonly { entry: ReportEntry; share: number }[] {
    const cacheKey = `${key}\0${threshold}\0${normalize(text)}`;
    let list = this.overCache.get(cacheKey);
    if (!list) {
      const share = this.shares(key, text);
      const found: { entry: ReportEntry; share: number }[] = [];
      for (const member of this.members) {
        const s = share(member);
        if (s >= threshold) found.push({ entry: member, share: s });
      }
      list = found.sort(byShare);
      this.overCache.set(cacheKey, list);
    }
    return list;
  }

  /** The share of `text`'s passages each indexed report's section `key` holds, as `overlap` computes it. */
  shares(key: string, text: string): (entry: ReportEntry) => number {
    const plain = normalize(text);
    const total = plain.length - SHINGLE + 1;
    const hits = new Int32Array(this.members.length);
    const byPassage = this.postings.get(key);
    if (byPassage && total > 0) {
      for (let i = 0; i < total; i++) {
        const list = byPassage.get(plain.slice(i, i + SHINGLE));
        if (list) for (const id of list) hits[id]++;
      }
    }
    return (entry) => {
      const id = this.ids.get(entry);
      return id === undefined || total <= 0 ? 0 : hits[id] / total;
    };
  }
}

export interface Overlap {
  /** Share of `a`'s passages found in `b` (0–1). */
  readonly share: number;
  /** The longest passage of `a` also in `b`. */
  readonly passage: string;
}

/** How much of text `a` appears, in 5-character passages, in text `b`. */
export function overlap(a: string, b: string): Overlap {
  const na = normalize(a);
  const nb = shingles(normalize(b));
  const total = na.length - SHINGLE + 1;
  if (total <= 0) return { share: 0, passage: '' };
  let hits = 0;
  let bestStart = 0;
  let bestLength = 0;
  let runStart = -1;
  for (let i = 0; i < total; i++) {
    if (nb.has(na.slice(i, i + SHINGLE))) {
      hits++;
      if (runStart < 0) runStart = i;
      const length = i - runStart + SHINGLE;
      if (length > bestLength) {
        bestLength = length;
        bestStart = runStart;
      }
    } else runStart = -1;
  }
  return { share: hits / total, passage: na.slice(bestStart, bestStart + bestLength) };
}

/** 内容雷同 thresholds: against the same agency's previous report, and against other agencies' reports. */
export interface SimilarityThresholds {
  readonly previous: number;
  readonly others: number;
}

/** Reports named in one grouped finding; the rest are counted. */
export const MAX_LISTED = 5;

const byShare = (a: { entry: ReportEntry; share: number }, b: { entry: ReportEntry; share: number }) =>
  b.share - a.share || ((a.entry.rel ?? a.entry.file) < (b.entry.rel ?? b.entry.file) ? -1 : (a.entry.rel ?? a.entry.file) > (b.entry.rel ?? b.entry.file) ? 1 : 0);

const percent = (share: number) => `${Math.round(share * 100)}%`;

/**
 * WS-SIMILAR: each narrative section (the 开头段 excepted: it is boilerplate by design) compared
 * with the same section of last year's report (threshold `previous`) and of the other agencies'
 * reports (threshold `others`). At most two findings per section: one for last year, and one
 * listing the other reports over the threshold (the first MAX_LISTED by share, then a count), so a
 * thousand identical reports give a thousand findings per section, not a million.
 */
export function similarityDiagnostics(
  entry: ReportEntry,
  others: readonly { entry: ReportEntry; relation: 'previous' | 'sibling' }[],
  thresholds: number | SimilarityThresholds,
  index?: SectionIndex,
): Diagnostic[] {
  const limits = typeof thresholds === 'number' ? { previous: thresholds, others: thresholds } : thresholds;
  const out: Diagnostic[] = [];
  const mine = narrativeTexts(entry.data).filter((t) => t.key !== 'preface' && normalize(t.text).length >= MIN_LENGTH);
  if (mine.length === 0) return out;
  const previous = others.filter((o) => o.relation === 'previous').map((o) => o.entry);
  const siblings = others.filter((o) => o.relation === 'sibling').map((o) => o.entry);
  const indexed = index ? new Set(siblings.filter((s) => index.has(s))) : new Set<ReportEntry>();
  const textOf = (other: ReportEntry, key: string) => narrativeTexts(other.data).find((t) => t.key === key)?.text;
  for (const { path, key, text } of mine) {
    const section = narrativeLabel(key);
    for (const other of previous) {
      const their = textOf(other, key);
      if (their === undefined) continue;
      const { share, passage } = overlap(text, their);
      if (share < limits.previous) continue;
      out.push(
        atText(
          entry,
          path,
          passage.slice(0, 8),
          'warning',
          'WS-SIMILAR',
          `${section}与上年（${other.year ?? ''}年）本机关报告（${other.rel ?? other.file}）的同一部分内容雷同：${percent(share)} 的文字相同（超过 ${percent(limits.previous)}），例如「${shorten(passage)}」。请按本年度实际情况撰写`,
        ),
      );
    }
    const matched: { entry: ReportEntry; share: number }[] = [];
    if (index && indexed.size > 0) for (const found of index.over(key, text, limits.others)) if (indexed.has(found.entry)) matched.push(found);
    for (const other of siblings) {
      if (indexed.has(other)) continue;
      const their = textOf(other, key);
      if (their === undefined) continue;
      const { share } = overlap(text, their);
      if (share >= limits.others) matched.push({ entry: other, share });
    }
    if (matched.length === 0) continue;
    matched.sort(byShare);
    const top = matched[0];
    const { passage } = overlap(text, textOf(top.entry, key)!);
    const name = (o: ReportEntry) => o.name ?? o.file;
    const listed = matched.slice(0, MAX_LISTED).map((m) => `${name(m.entry)}（${m.entry.rel ?? m.entry.file}，${percent(m.share)}）`);
    const who =
      matched.length === 1
        ? `${name(top.entry)}的报告（${top.entry.rel ?? top.entry.file}）的同一部分内容雷同：${percent(top.share)} 的文字相同`
        : `其他 ${matched.length} 份报告的同一部分内容雷同（${percent(limits.others)} 以上的文字相同）：${listed.join('、')}${matched.length > MAX_LISTED ? ` 等 ${matched.length} 份` : ''}`;
    out.push(atText(entry, path, passage.slice(0, 8), 'warning', 'WS-SIMILAR', `${section}与${who}，例如「${shorten(passage)}」。请按本年度实际情况撰写`));
  }
  return out;
}

function shorten(passage: string): string {
  return passage.length > 40 ? `${passage.slice(0, 40)}…` : passage;
}
