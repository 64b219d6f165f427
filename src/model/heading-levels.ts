/**
 * The heading levels of GB/T 9704 (结构层次序数 一、 （一） 1. （1）) read from the start of a narrative
 * paragraph, once, here: the emitters only style a level (src/render/layout.ts, HEADING_LEVELS).
 *
 * A paragraph that is nothing but its heading ("（二）改进措施") becomes a heading block. A paragraph whose
 * heading runs on into body text ("（一）主动公开情况。本年度……") keeps its text and marks its first
 * sentence as a run-in heading (`lead`): GB/T 9704 practice sets that sentence in the level's face and the
 * rest of the paragraph in 仿宋. A first sentence longer than a line is a numbered body sentence, not a
 * heading ("1.本机关全年主动公开……，其中……。"), and is left as body text.
 */
import type { Block, HeadingLevel } from './document.js';

/** The markers by level; 一、 is left to the section headings the templates write (level 1). */
const MARKERS: readonly (readonly [RegExp, HeadingLevel])[] = [
  [/^（[一二三四五六七八九十]{1,3}）/, 2],
  // 1. and the full-width 1．; 1、 is common in county reports, though GB/T 9704 writes 1.; not 1.5 or 2020.
  [/^\d{1,2}[.．、](?!\d)/, 3],
  [/^[（(]\d{1,2}[）)]/, 4],
];

/** A heading's sentence ends at the first of these (kept in the heading). */
const SENTENCE_END = /[。：！？；:]/;

/** The longest run-in heading: one line of the 28-character line after the two-character indent. */
export const MAX_HEADING_CHARS = 26;

/** The level a paragraph's text starts with, if any. */
export function headingLevelOf(text: string): { level: HeadingLevel; marker: number } | undefined {
  for (const [pattern, level] of MARKERS) {
    const m = pattern.exec(text);
    if (m) return { level, marker: m[0].length };
  }
  return undefined;
}

/** An indented narrative paragraph as the block it is: a heading, a paragraph with a run-in heading, or body text. */
export function narrativeBlock(text: string): Block {
  const found = headingLevelOf(text);
  if (!found) return { kind: 'paragraph', text, indent: true };
  const end = SENTENCE_END.exec(text.slice(found.marker));
  const length = end ? found.marker + end.index + 1 : text.length;
  if ([...text.slice(0, length)].length > MAX_HEADING_CHARS) return { kind: 'paragraph', text, indent: true };
  if (length >= text.length) return { kind: 'heading', level: found.level, text };
  return { kind: 'paragraph', text, indent: true, lead: { level: found.level, length } };
}
