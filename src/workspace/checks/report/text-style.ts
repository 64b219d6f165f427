/**
 * What a reader notices in the narrative, as warnings (word lists and patterns in
 * format/text-checks.yaml):
 * - TX-YEAR: a sentence opening with a past year (「2023年，…」 in a 2024 report): last year's text
 *   kept; comparisons (较2023年, 2023年以来) are not flagged;
 * - S5-PREVIOUS: 五 says nothing of last year's problems and how they were dealt with;
 * - TEXT-PUNCT: half-width , ; : ( ) between Chinese characters;
 * - TEXT-DOUBLED: a character typed twice (的的, 了了);
 * - TEXT-PAIRS: an unbalanced “ ” 《 》 （ ） within a paragraph;
 * - TEXT-NUMBERING: one list numbered in two schemes (一是… then 2.…).
 */
import type { Diagnostic } from '../../../validate/types.js';
import { isUnfilled } from '../../../validate/narrative-text.js';
import { atText, narrativeLabel, narrativeTexts, type ReportEntry } from '../entry.js';
import { parseNumber, textChecksData } from './narrative.js';

const CJK = '[\\u3400-\\u9fff]';

let compiled:
  | {
      year: RegExp;
      doubled: RegExp[];
      halfwidth: RegExp;
      numbering: { scheme: string; pattern: RegExp }[];
    }
  | undefined;

function patterns() {
  if (compiled) return compiled;
  const data = textChecksData();
  const marks = Object.keys(data.halfwidth)
    .map((m) => m.replace(/[()]/g, '\\$&'))
    .join('');
  return (compiled = {
    year: new RegExp(data.year_opening, 'g'),
    doubled: data.doubled.map((d) => new RegExp(d, 'g')),
    halfwidth: new RegExp(`(?<=${CJK})[${marks}](?=${CJK})|(?<=${CJK})\\((?=[^)\\n]*\\))|\\)(?=${CJK})`, 'g'),
    numbering: Object.entries(data.numbering).map(([scheme, pattern]) => ({ scheme, pattern: new RegExp(pattern) })),
  });
}

/** A short quote around a match, for messages. */
function around(text: string, index: number, length: number, context = 6): string {
  const from = Math.max(0, index - context);
  return text.slice(from, Math.min(text.length, index + length + context)).replace(/\s+/g, '');
}

export function textStyleDiagnostics(entry: ReportEntry): Diagnostic[] {
  if (!entry.data) return [];
  const out: Diagnostic[] = [];
  const { year: yearPattern, doubled, halfwidth, numbering } = patterns();
  const data = textChecksData();
  const texts = narrativeTexts(entry.data).filter((t) => !isUnfilled(t.text));
  for (const { path, key, text } of texts) {
    const section = narrativeLabel(key);
    const warn = (passage: string, rule: string, message: string, hint?: string) => out.push(atText(entry, path, passage, 'warning', rule, message, hint));

    if (entry.year !== undefined) {
      for (const m of text.matchAll(yearPattern)) {
        const year = Number(m[1]);
        if (year >= entry.year) continue;
        const opening = m[0].replace(/^[。；！\n\s]+/, '');
        warn(opening, 'TX-YEAR', `${section}中的句子以「${opening}」开头：这是 ${entry.year} 年度的报告，却把 ${year} 年当作本年来写，疑为沿用往年报告的文字`, `核对这句是否为本年情况；与往年比较时可写「较${year}年」`);
      }
    }
    for (const pattern of doubled) {
      for (const m of text.matchAll(pattern)) {
        warn(text.slice(m.index, m.index + m[0].length + 4), 'TEXT-DOUBLED', `${section}中「${around(text, m.index, m[0].length)}」有重复的「${m[0]}」，疑为多打了一个字`);
      }
    }
    for (const m of text.matchAll(halfwidth)) {
      const full = data.halfwidth[m[0]] ?? m[0];
      warn(text.slice(m.index, m.index + 5), 'TEXT-PUNCT', `${section}中「${around(text, m.index, 1, 4)}」用了半角「${m[0]}」，中文正文应使用全角「${full}」`);
    }
    for (const paragraph of paragraphsOf(text)) {
      for (const [open, close] of data.pairs) {
        const lone = unbalanced(paragraph.text, open, close);
        if (lone === undefined) continue;
        const quote = around(paragraph.text, lone.index, 1, 8);
        warn(paragraph.text.slice(lone.index, lone.index + 8), 'TEXT-PAIRS', `${section}中「${quote}」的「${lone.mark}」没有配对的「${lone.mark === open ? close : open}」`);
      }
    }
    // one list numbered in two schemes: an item following the previous item's number in another scheme,
    // where its own scheme has no item before it (（二） after 一是 under （一） is the next heading, not a slip)
    let last: { scheme: string; n: number } | undefined;
    const seen = new Set<string>();
    for (const paragraph of paragraphsOf(text)) {
      const marker = numbering.map(({ scheme, pattern }) => ({ scheme, m: pattern.exec(paragraph.text) })).find((x) => x.m);
      if (!marker?.m) continue;
      const n = parseNumber(marker.m[1]);
      if (n === undefined) continue;
      if (last && n === last.n + 1 && marker.scheme !== last.scheme && !seen.has(`${marker.scheme}\0${n - 1}`)) {
        const passage = paragraph.text.slice(0, 12);
        warn(passage, 'TEXT-NUMBERING', `${section}的同一组条目用了两种编号：上一条是「${last.scheme}」式，这一条「${marker.m[0]}」是「${marker.scheme}」式`, `改为「${last.scheme}」式，使同一组条目编号一致`);
      }
      last = { scheme: marker.scheme, n };
      seen.add(`${marker.scheme}\0${n}`);
    }
  }

  const problems = texts.find((t) => t.key === 'problems');
  if (problems && entry.year !== undefined) {
    const plain = problems.text.replace(/[\s。.]/g, '');
    const words = [...data.previous_problems, `${entry.year - 1}年`];
    if (plain !== '无' && plain !== '暂无' && !words.some((w) => problems.text.includes(w))) {
      out.push(
        atText(entry, problems.path, '', 'warning', 'S5-PREVIOUS', `${narrativeLabel('problems')}没有说明上年度报告所列问题的整改情况（未提到「上年」「去年」「${entry.year - 1}年」「整改」等）；评估时通常要求写明上年问题的改进情况`),
      );
    }
  }
  return out;
}

function paragraphsOf(text: string): { text: string }[] {
  return text
    .split('\n')
    .map((p) => ({ text: p.trim() }))
    .filter((p) => p.text !== '');
}

/** The first mark of a pair left without its partner in a paragraph (an extra closer, or an opener never closed). */
function unbalanced(text: string, open: string, close: string): { index: number; mark: string } | undefined {
  const stack: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === open) stack.push(i);
    else if (text[i] === close) {
      if (stack.length === 0) return { index: i, mark: close };
      stack.pop();
    }
  }
  return stack.length ? { index: stack[0], mark: open } : undefined;
}
