/**
 * Cross-report text checks (FORMAT.md §3.4 DUP; 国办公开办函〔2021〕30号 names 内容雷同 as
 * sanctionable): a narrative section nearly identical to the same section of last year's report or of a
 * sibling's (WS-SIMILAR), a warning that quotes the passage. Another agency's name in a report's text
 * (WS-FOREIGN-NAME) is foreign-names.ts, re-exported here.
 */
import type { Diagnostic } from '../../validate/types.js';
import { atText, narrativeLabel, narrativeTexts, type ReportEntry } from './entry.js';

export { foreignNameDiagnostics } from './foreign-names.js';

const SHINGLE = 5;
/** How far the index reads a text's rarest passages, in multiples of the share a report may miss (tuned on the bench workspace). */
const PREFIX_READ = 2;
/** Sections shorter than this (after removing white space) are too short to call copied. */
const MIN_LENGTH = 50;

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

/**
 * Shingle sets by text, for the comparisons pair by pair (last year's report, the passage to quote, the
 * siblings outside an index). Few: a set of strings per section of every report of a province would
 * hold hundreds of megabytes, and the index keeps its own numbers.
 */
const shingleCache = new Map<string, Set<string>>();

function shingles(text: string): Set<string> {
  const cached = shingleCache.get(text);
  if (cached) return cached;
  if (shingleCache.size > 2_000) shingleCache.clear();
  const set = passagesOf(text);
  shingleCache.set(text, set);
  return set;
}

function passagesOf(text: string): Set<string> {
  const set = new Set<string>();
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
  /** every passage of the index, numbered, so that a report's section is kept as a few numbers */
  private readonly passageIds = new Map<string, number>();
  /** per report id: section key → the numbers of the passages it holds, ascending (what candidates are counted against) */
  private readonly sections: Map<string, Int32Array>[] = [];
  /** per report id: the number of the last query that made it a candidate */
  private seen = new Int32Array(0);
  /** per report id: the positions of the current query's text it holds among the passages read */
  private prefixHits = new Int32Array(0);
  private queries = 0;

  constructor(entries: Iterable<ReportEntry>) {
    for (const entry of entries) {
      const id = this.members.length;
      this.ids.set(entry, id);
      this.members.push(entry);
      const sections = new Map<string, Int32Array>();
      this.sections.push(sections);
      for (const { key, text } of narrativeTexts(entry.data)) {
        let byPassage = this.postings.get(key);
        if (!byPassage) this.postings.set(key, (byPassage = new Map()));
        const held = passagesOf(normalize(text));
        const ids = new Int32Array(held.size);
        let n = 0;
        for (const passage of held) {
          let pid = this.passageIds.get(passage);
          if (pid === undefined) this.passageIds.set(passage, (pid = this.passageIds.size));
          ids[n++] = pid;
        }
        sections.set(key, ids.sort());
        for (const passage of held) {
          const list = byPassage.get(passage);
          if (list) list.push(id);
          else byPassage.set(passage, [id]);
        }
      }
    }
    this.seen = new Int32Array(this.members.length);
    this.prefixHits = new Int32Array(this.members.length);
  }

  has(entry: ReportEntry): boolean {
    return this.ids.has(entry);
  }

  /** per section key, text and threshold: the indexed reports at or over it, highest share first */
  private readonly overCache = new Map<string, readonly { entry: ReportEntry; share: number }[]>();

  /**
   * The indexed reports whose section `key` holds at least `threshold` of `text`'s passages, highest
   * share first. Kept per distinct text: a thousand reports with the same text ask once, not a thousand times.
   *
   * Only the postings of the text's rarest passages are read (prefix filtering): a report that holds
   * none of passages covering more than (1 − threshold) of the text's positions cannot reach the
   * threshold, so the candidates are the reports holding one of them, each then counted exactly as
   * `overlap` counts. Passages every report shares (the boilerplate of a county's reports) are never
   * walked, which made a province's workspace quadratic: each section met every report of it.
   */
  over(key: string, text: string, threshold: number): readonly { entry: ReportEntry; share: number }[] {
    const cacheKey = `${key}\0${threshold}\0${normalize(text)}`;
    let list = this.overCache.get(cacheKey);
    if (!list) {
      list = this.candidatesOver(key, text, threshold).sort(byShare);
      this.overCache.set(cacheKey, list);
    }
    return list;
  }

  private candidatesOver(key: string, text: string, threshold: number): { entry: ReportEntry; share: number }[] {
    const plain = normalize(text);
    const total = plain.length - SHINGLE + 1;
    const byPassage = this.postings.get(key);
    // no passage, or a threshold every report meets: nothing to filter by
    if (total <= 0 || !byPassage || !(threshold > 0)) {
      const share = this.shares(key, text);
      return this.members.map((entry) => ({ entry, share: share(entry) })).filter((m) => m.share >= threshold);
    }
    // positions per distinct passage, rarest passages (fewest reports) first
    const positions = new Map<string, number>();
    for (let i = 0; i < total; i++) {
      const passage = plain.slice(i, i + SHINGLE);
      positions.set(passage, (positions.get(passage) ?? 0) + 1);
    }
    const passages: { posting: readonly number[] | undefined; pid: number; count: number }[] = [];
    for (const [passage, count] of positions) passages.push({ posting: byPassage.get(passage), pid: this.passageIds.get(passage) ?? -1, count });
    passages.sort((a, b) => (a.posting?.length ?? 0) - (b.posting?.length ?? 0) || a.pid - b.pid);
    // candidates marked with this query's number: nothing allocated or cleared per report of the index
    const query = ++this.queries;
    const candidates: number[] = [];
    // The prefix is read on to twice the share a report may miss (PREFIX_READ), counting each candidate's
    // hits in it: a report holding one rare passage by chance is dropped below without being compared.
    const allowedMisses = total * (1 - threshold);
    let covered = 0;
    for (const { posting, count } of passages) {
      // a report missing every passage so far holds at most total − covered positions: below the threshold
      const needed = (total - covered) / total >= threshold;
      if (!needed && covered >= PREFIX_READ * allowedMisses) break;
      covered += count;
      for (const id of posting ?? []) {
        if (this.seen[id] !== query) {
          // only reports met while the prefix was still needed are candidates
          if (!needed) continue;
          this.seen[id] = query;
          this.prefixHits[id] = 0;
          candidates.push(id);
        }
        this.prefixHits[id] += count;
      }
    }
    // the text's passages by number, ascending (a passage no report holds is never a hit)
    const mine = passages.filter((p) => p.pid >= 0).sort((a, b) => a.pid - b.pid);
    const found: { entry: ReportEntry; share: number }[] = [];
    for (const id of candidates) {
      // misses among the passages read are misses of the whole text: at most covered − hits of them, the rest unknown
      if ((this.prefixHits[id] + (total - covered)) / total < threshold) continue;
      const theirs = this.sections[id].get(key);
      if (theirs === undefined) continue;
      // both ascending: one merge counts the positions whose passage their section holds
      let hits = 0;
      let i = 0;
      let j = 0;
      while (i < mine.length && j < theirs.length) {
        const { pid, count } = mine[i];
        if (pid === theirs[j]) {
          hits += count;
          i++;
          j++;
        } else if (pid < theirs[j]) i++;
        else j++;
      }
      const share = hits / total;
      if (share >= threshold) found.push({ entry: this.members[id], share });
    }
    return found;
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
  const previous = others.filter((o) => o.relation === 'previous').map((o) => o.entry);
  const siblings = others.filter((o) => o.relation === 'sibling').map((o) => o.entry);
  const indexed = index ? new Set(siblings.filter((s) => index.has(s))) : new Set<ReportEntry>();
  return findings(entry, previous, limits, (key, text) => {
    const matched: { entry: ReportEntry; share: number }[] = [];
    if (index && indexed.size > 0) for (const found of index.over(key, text, limits.others)) if (indexed.has(found.entry)) matched.push(found);
    for (const other of siblings) {
      if (indexed.has(other)) continue;
      const their = textOf(other, key);
      if (their === undefined) continue;
      const { share } = overlap(text, their);
      if (share >= limits.others) matched.push({ entry: other, share });
    }
    return matched;
  });
}

/**
 * WS-SIMILAR in a workspace: `entry` against last year's report and every other agency's report of the
 * index (those with a name, not `entry`'s), found through the index only: nothing is done per report of
 * the workspace, so checking all of them grows with their number, not its square.
 */
export function workspaceSimilarity(entry: ReportEntry, previous: ReportEntry | undefined, thresholds: SimilarityThresholds, index: SectionIndex): Diagnostic[] {
  const sibling = (other: ReportEntry) => other !== entry && other.name !== undefined && other.name !== entry.name;
  return findings(entry, previous ? [previous] : [], thresholds, (key, text) => index.over(key, text, thresholds.others).filter((found) => sibling(found.entry)));
}

const textOf = (other: ReportEntry, key: string) => narrativeTexts(other.data).find((t) => t.key === key)?.text;

/** The findings of `similarityDiagnostics`, with the other agencies' reports over the threshold given by `matching`. */
function findings(
  entry: ReportEntry,
  previous: readonly ReportEntry[],
  limits: SimilarityThresholds,
  matching: (key: string, text: string) => { entry: ReportEntry; share: number }[],
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const mine = narrativeTexts(entry.data).filter((t) => t.key !== 'preface' && normalize(t.text).length >= MIN_LENGTH);
  if (mine.length === 0) return out;
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
          passage,
          'warning',
          'WS-SIMILAR',
          `${section}与上年（${other.year ?? ''}年）本机关报告（${other.rel ?? other.file}）的同一部分内容雷同：${percent(share)} 的文字相同（超过 ${percent(limits.previous)}），例如「${shorten(passage)}」`,
        ),
      );
    }
    const matched = matching(key, text);
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
    out.push(atText(entry, path, passage, 'warning', 'WS-SIMILAR', `${section}与${who}，例如「${shorten(passage)}」`));
  }
  return out;
}

function shorten(passage: string): string {
  return passage.length > 40 ? `${passage.slice(0, 40)}…` : passage;
}
