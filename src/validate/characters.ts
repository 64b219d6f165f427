/**
 * Characters a report cannot publish as written, found in the YAML text at their line:col with the
 * code point named. The rule (README, Hardening):
 * - refused: bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C: they reorder what
 *   is shown, "21" can read as "12"), lone surrogates (no character at all), control characters and
 *   noncharacters (invalid in docx's XML), and zero-width characters (U+200B–U+200D, U+2060–U+2064,
 *   U+FEFF: invisible, they make two equal-looking names differ); each an error with a hint to delete
 *   it, so `check` and `build` agree: a report with one is never built;
 * - refused: characters the configured PDF fonts cannot draw (emoji, CJK Extension B …), checked
 *   against the fonts the PDF will use (`GlyphCoverage`, given by the caller: the fonts live in the
 *   renderer, above this layer).
 */
import type { Span } from '../diagnostics/diagnostic.js';
import { spanIn } from '../load/yaml.js';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { EditionId } from '../format/official.js';
import { describePath } from './messages.js';
import type { DataPath } from './types.js';

/** Where a text is printed in the PDF: the agency's fields also in the title, everything else in the body. */
export type TextRole = 'title' | 'body';

/** The PDF fonts' glyph coverage, as the renderer's fonts answer it. */
export interface GlyphCoverage {
  /** the characters of `text` the font of `role` has no glyph for */
  missing(role: TextRole, text: string): readonly string[];
  /** the font of a role, for the message */
  fontName(role: TextRole): string;
}

export interface CharacterProblem extends Span {
  readonly rule: string;
  readonly message: string;
  /** how to fix it, when the rule's own hint says less */
  readonly hint?: string;
}

type Kind = 'TEXT-BIDI' | 'TEXT-INVISIBLE' | 'TEXT-SURROGATE' | 'TEXT-CONTROL';

const NAMES: Record<number, string> = {
  0x200b: '零宽空格',
  0x200c: '零宽非连接符',
  0x200d: '零宽连接符',
  0x2060: '零宽不换行空格（词连接符）',
  0xfeff: '零宽不换行空格（BOM）',
  0x200e: '从左到右标记',
  0x200f: '从右到左标记',
  0x061c: '阿拉伯字母标记',
  0x202a: '从左到右嵌入',
  0x202b: '从右到左嵌入',
  0x202c: '方向格式结束',
  0x202d: '从左到右强制',
  0x202e: '从右到左强制',
  0x2066: '从左到右隔离',
  0x2067: '从右到左隔离',
  0x2068: '首字符方向隔离',
  0x2069: '方向隔离结束',
};

function kindOf(cp: number): Kind | undefined {
  if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c) return 'TEXT-BIDI';
  if ((cp >= 0x200b && cp <= 0x200d) || (cp >= 0x2060 && cp <= 0x2064) || cp === 0xfeff) return 'TEXT-INVISIBLE';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'TEXT-SURROGATE';
  // C0 controls but Tab and line breaks, DEL, C1 controls but NEL (a line break), noncharacters
  if ((cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || (cp >= 0x7f && cp <= 0x9f && cp !== 0x85) || (cp & 0xfffe) === 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) return 'TEXT-CONTROL';
  return undefined;
}

/** `U+200B` */
export const codePointLabel = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** What a character of each kind is (the message); what to do about it is the rule's hint. */
const WHAT: Record<Kind, string> = {
  'TEXT-BIDI': '这是改变文字显示方向的控制符，会让文字或数字显示成与实际不同的顺序（如“21”显示为“12”），不允许出现在报告中',
  'TEXT-INVISIBLE': '这是看不见的字符，发布后无法显示，还会使看起来相同的文字实际不同',
  'TEXT-SURROGATE': '这是不完整的字符（孤立的代理码元），不代表任何文字',
  'TEXT-CONTROL': '这是控制字符，不是文字，docx 等格式无法保存',
};

/** A report's string values and keys, with their data paths (keys too: a hidden character in a key is a trap). */
function* scalars(node: unknown, path: DataPath): Generator<{ node: Node & { source?: unknown; value?: unknown }; path: DataPath; isKey: boolean }> {
  // iterative: nesting is bounded by the loader, but a stack keeps this independent of that bound
  const stack: { node: unknown; path: DataPath; isKey: boolean }[] = [{ node, path, isKey: false }];
  while (stack.length) {
    const item = stack.pop()!;
    if (isScalar(item.node)) yield { node: item.node, path: item.path, isKey: item.isKey };
    else if (isMap(item.node)) {
      for (let i = item.node.items.length - 1; i >= 0; i--) {
        const pair = item.node.items[i];
        if (!isPair(pair)) continue;
        const key = isScalar(pair.key) ? String(pair.key.value) : String(i);
        stack.push({ node: pair.value, path: [...item.path, key], isKey: false });
        stack.push({ node: pair.key, path: [...item.path, key], isKey: true });
      }
    } else if (isSeq(item.node)) {
      for (let i = item.node.items.length - 1; i >= 0; i--) stack.push({ node: item.node.items[i], path: [...item.path, i], isKey: false });
    }
  }
}

/**
 * Values whose text is not printed: the schema reference, the previous report's path, the reasons for
 * cross-year differences (read by the workspace check only), and the tables (a figure cell holding
 * text is refused as the wrong type it is).
 */
const UNPRINTED = new Set(['$schema', 'previous', 'corrections', 'active_disclosure', 'applications', 'review_litigation']);

/**
 * Every character of the report's text that cannot be published as written. `text` is the text the
 * document was parsed from (for the exact column of a character written as itself; a character
 * written as an escape `"\u200b"` is placed at its scalar).
 */
export function characterProblems(
  doc: Document.Parsed,
  text: string,
  lineCounter: LineCounter,
  edition: EditionId,
  coverage?: GlyphCoverage,
): CharacterProblem[] {
  const problems: CharacterProblem[] = [];
  for (const { node, path, isKey } of scalars(doc.contents, [])) {
    const value = node.value;
    if (typeof value !== 'string' || !node.range) continue;
    const [start, end] = node.range;
    const source = text.slice(start, end);
    const place = isKey ? `键「${safe(value)}」` : describePath(edition, path);
    const roles: readonly TextRole[] = isKey || UNPRINTED.has(String(path[0])) ? [] : path[0] === 'agency' ? ['title', 'body'] : ['body'];
    for (const found of unpublishable(value, place, roles, coverage, source)) {
      // the character itself where it is written as such; an escape (`"\u200b"`): the whole text
      const i = source.indexOf(found.ch);
      const span = i >= 0 ? spanIn(lineCounter, start + i, start + i + found.ch.length) : spanIn(lineCounter, start, end);
      problems.push({ ...span, rule: found.rule, message: found.message, ...(found.hint ? { hint: found.hint } : {}) });
    }
  }
  return problems;
}

/**
 * The characters of one text that cannot be published as written, each once, in order: `place` names
 * the text in the message; `roles` are the PDF roles that print it (none: the fonts are not asked);
 * `source`, the text as written, tells a character typed as an escape (`"\u200b"`) from one typed as itself.
 */
export function unpublishable(
  value: string,
  place: string,
  roles: readonly TextRole[],
  coverage?: GlyphCoverage,
  source?: string,
): { ch: string; rule: string; message: string; hint?: string }[] {
  const escaped = (ch: string) => (source !== undefined && !source.includes(ch) ? '（以转义序列写出）' : '');
  const found: { ch: string; rule: string; message: string; hint?: string }[] = [];
  const seen = new Set<string>();
  for (const ch of value) {
    const kind = kindOf(ch.codePointAt(0)!);
    if (!kind || seen.has(ch)) continue;
    seen.add(ch);
    const name = NAMES[ch.codePointAt(0)!];
    // written as an escape, the character is not to be seen in the file: say what to delete
    const hint = escaped(ch) ? `删除文字中的转义序列「\\u${codePointLabel(ch).slice(2)}」${kind === 'TEXT-SURROGATE' ? '，或改写出完整的字' : ''}` : undefined;
    found.push({ ch, rule: kind, message: `${place}中有字符 ${codePointLabel(ch)}${name ? `（${name}）` : ''}${escaped(ch)}：${WHAT[kind]}`, ...(hint ? { hint } : {}) });
  }
  if (!coverage) return found;
  const missing = new Map<string, TextRole>();
  for (const role of roles) for (const ch of coverage.missing(role, value)) if (!seen.has(ch) && !missing.has(ch)) missing.set(ch, role);
  for (const [ch, role] of missing) {
    found.push({
      ch,
      rule: 'TEXT-GLYPH',
      message: `${place}中的字符「${ch}」（${codePointLabel(ch)}${escaped(ch)}）在 PDF 字体「${coverage.fontName(role)}」中没有字形，无法生成 PDF`,
      hint: '改用常用字或删去（表情符号不能用于公文）；确需此字时，在工作区 nianbao.yaml 的 fonts 中配置包含它的字体',
    });
  }
  return found;
}

/** A key as shown in a message: invisible and control characters as their code points. */
function safe(text: string): string {
  let out = '';
  for (const ch of text) out += kindOf(ch.codePointAt(0)!) ? `<${codePointLabel(ch)}>` : ch;
  return out;
}
