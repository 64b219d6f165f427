/**
 * The narrative as the clerk wrote it, checked before anything is printed: nothing written may be
 * lost to YAML (a ` #` after a plain narrative line starts a comment, and what follows it would
 * silently vanish from the report: NARRATIVE-COMMENT), and nothing `nianbao init` wrote as a
 * prompt may reach a published file (NARRATIVE-UNFILLED). Both are errors: either would print a
 * wrong report.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import { spanIn } from '../load/yaml.js';
import { isScalar, type Document, type LineCounter } from 'yaml';
import { OVERVIEW_TOPICS, SECTIONS } from '../format/official.js';
import type { DataPath, Diagnostic } from './types.js';

/** The narrative texts of a report with their data paths, in document order. */
export interface NarrativeText {
  readonly path: readonly (string | number)[];
  /** preface, overview, overview.<topic>, problems, other */
  readonly key: string;
  readonly text: string;
}

/** Per report data: the workspace checks ask for each report's texts once per other report. */
const textsByData = new WeakMap<object, readonly NarrativeText[]>();

export function narrativeTexts(data: Record<string, unknown> | undefined): readonly NarrativeText[] {
  if (!data) return [];
  let texts = textsByData.get(data);
  if (!texts) textsByData.set(data, (texts = readNarrativeTexts(data)));
  return texts;
}

/** Every narrative path that may hold a text, whether it does or not (for the YAML-level checks). */
export function narrativePaths(data: Record<string, unknown>): { path: DataPath; key: string }[] {
  const n = data.narrative;
  if (!n || typeof n !== 'object' || Array.isArray(n)) return [];
  const narrative = n as Record<string, unknown>;
  const out: { path: DataPath; key: string }[] = [{ path: ['narrative', 'preface'], key: 'preface' }];
  if (narrative.overview && typeof narrative.overview === 'object' && !Array.isArray(narrative.overview)) {
    for (const topic of Object.keys(narrative.overview)) out.push({ path: ['narrative', 'overview', topic], key: `overview.${topic}` });
  } else out.push({ path: ['narrative', 'overview'], key: 'overview' });
  out.push({ path: ['narrative', 'problems'], key: 'problems' }, { path: ['narrative', 'other'], key: 'other' });
  return out;
}

function readNarrativeTexts(data: Record<string, unknown>): NarrativeText[] {
  const out: NarrativeText[] = [];
  for (const { path, key } of narrativePaths(data)) {
    let value: unknown = data;
    for (const part of path) value = (value as Record<string | number, unknown> | undefined)?.[part];
    if (typeof value === 'string' && value.trim() !== '') out.push({ path, key, text: value });
  }
  return out;
}

/** The section a narrative key prints under, for messages. */
export function narrativeLabel(key: string): string {
  if (key === 'preface') return '开头段';
  const no = key.startsWith('overview') ? 1 : key === 'problems' ? 5 : key === 'other' ? 6 : undefined;
  return SECTIONS.find((s) => s.no === no)?.heading ?? key;
}

/** The section with its sub-topic, for messages about one text: 一、总体情况（一）主动公开. */
export function narrativeFullLabel(key: string): string {
  const topic = key.startsWith('overview.') ? OVERVIEW_TOPICS.find((t) => `overview.${t.key}` === key) : undefined;
  return `${narrativeLabel(key)}${topic ? topic.heading : ''}`;
}

/** What `nianbao init` writes where the clerk's text belongs. */
export const UNFILLED_MARK = '请在此填写';

export function isUnfilled(text: string): boolean {
  return text.includes(UNFILLED_MARK);
}

export interface NarrativeSource {
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

type At = (span: Span, rule: string, message: string, hint?: string) => Diagnostic;

/**
 * NARRATIVE-COMMENT: a plain (unquoted) narrative value followed on its line by ` #…`. YAML reads
 * the rest as a comment, so `…机制 #重点 未发生泄密事件。` prints as `…机制`.
 */
export function commentDiagnostics(data: Record<string, unknown>, source: NarrativeSource, at: At): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { path, key } of narrativePaths(data)) {
    const node = source.doc.getIn(path, true);
    if (!isScalar(node) || node.type !== 'PLAIN' || !node.range) continue;
    const end = node.range[1];
    const lineEnd = source.text.indexOf('\n', end);
    const rest = source.text.slice(end, lineEnd < 0 ? undefined : lineEnd);
    const m = /^[ \t]+#/.exec(rest);
    if (!m) continue;
    const hash = end + m[0].length - 1;
    const lost = rest.slice(m[0].length - 1).replace(/\r$/, '').trim();
    // from the # to the line's end: the text that is lost
    const lostEnd = lineEnd < 0 ? source.text.length : lineEnd - (source.text[lineEnd - 1] === '\r' ? 1 : 0);
    out.push(
      at(
        spanIn(source.lineCounter, hash, lostEnd),
        'NARRATIVE-COMMENT',
        `「${narrativeFullLabel(key)}」的文字中「${lost.length > 30 ? `${lost.slice(0, 30)}…` : lost}」被 YAML 当作注释（未加引号的文字中，空格后的 # 开始注释），不会出现在报告中`,
        '改用块格式（键后写「|-」，文字另起一行并缩进，每段一行），或给整段文字加引号；如确是注释，把它移到单独一行',
      ),
    );
  }
  return out;
}

/** NARRATIVE-UNFILLED: a section still holding init's prompt, pointed at the prompt itself. */
export function unfilledDiagnostics(data: Record<string, unknown>, source: NarrativeSource | undefined, at: At, atPath: (path: DataPath) => Span): Diagnostic[] {
  return narrativeTexts(data)
    .filter(({ text }) => isUnfilled(text))
    .map(({ path, key }) => {
      const node = source?.doc.getIn(path, true);
      const range = isScalar(node) ? node.range : undefined;
      const offset = range && source ? source.text.indexOf(UNFILLED_MARK, range[0]) : -1;
      // the prompt's mark itself where it is written as such, else the text
      const span = offset >= 0 && range && offset < range[1] ? spanIn(source!.lineCounter, offset, offset + UNFILLED_MARK.length) : atPath(path);
      return at(span, 'NARRATIVE-UNFILLED', `「${narrativeFullLabel(key)}」还是 nianbao init 写入的提示文字「${UNFILLED_MARK}…」，提示文字会印进发布的报告`, '把提示文字换成本机关本年度的实际情况（每段一行）');
    });
}
