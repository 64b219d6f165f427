/**
 * The report's typography as Word paragraph styles. Every role's faces (East Asian and Latin apart),
 * size, zh-CN language, character spacing and paragraph layout live once in styles.xml; the paragraphs
 * of document.xml name their style and their runs carry no properties. That is how Word users expect a
 * 公文 template to work (change 正文 once, every body paragraph follows), and it keeps document.xml
 * small: the docx package spends most of a render serialising properties repeated on every run.
 */
import { AlignmentType, LineRuleType, type ICharacterStyleOptions, type IParagraphStyleOptions, type IParagraphStylePropertiesOptions, type IRunStylePropertiesOptions } from 'docx';
import { HEADING_LEVELS, LINE_GRID_ROLES, ROLE_SIZE, SIGNATURE, TABLE_PITCH_EM, TABLE_SIZE, type FontRole } from '../layout.js';
import type { HeadingLevel } from '../../model/document.js';
import { LANGUAGE, runFont, type FontNames } from './fonts.js';
import { BODY_CHAR_SPACING_TWIPS, charWidth, halfPoints, LINE_PITCH_TWIPS, twips } from './units.js';

/** Style ids written into document.xml (ASCII, as Word's own ids are); the names are what Word shows. */
export const STYLE = {
  title: 'NbTitle',
  heading1: 'NbHeading1',
  heading2: 'NbHeading2',
  heading3: 'NbHeading3',
  heading4: 'NbHeading4',
  body: 'NbBody',
  bodyFlush: 'NbBodyFlush',
  signature: 'NbSignature',
  pageNumber: 'NbPageNumber',
} as const;

/** The paragraph style of a heading level, and the character style of a run-in heading of that level. */
export const HEADING_STYLE: Record<HeadingLevel, string> = { 1: STYLE.heading1, 2: STYLE.heading2, 3: STYLE.heading3, 4: STYLE.heading4 };
export const LEAD_STYLE: Record<HeadingLevel, string> = { 1: 'NbLead1', 2: 'NbLead2', 3: 'NbLead3', 4: 'NbLead4' };
const HEADING_LEVEL_LIST: readonly HeadingLevel[] = [1, 2, 3, 4];
const LEVEL_NAMES: Record<HeadingLevel, string> = { 1: '一级', 2: '二级', 3: '三级', 4: '四级' };

/** The run properties of a heading level (layout.ts: face by role, weight). */
function levelRun(level: HeadingLevel, fonts: FontNames): IRunStylePropertiesOptions {
  const { role, bold } = HEADING_LEVELS[level];
  return { ...roleRun(role, fonts), ...(bold ? { bold: true } : {}) };
}

/** Character styles: a run-in heading at the start of a body paragraph, in its level's face and weight. */
export function characterStyles(fonts: FontNames): ICharacterStyleOptions[] {
  return HEADING_LEVEL_LIST.map((level) => ({ id: LEAD_STYLE[level], name: `年报${LEVEL_NAMES[level]}标题（段首）`, quickFormat: true, run: levelRun(level, fonts) }));
}

/** The table paragraph style for a type size in points (五号 and 小五 tables). */
export function tableStyleId(size: number): string {
  return `NbTable${halfPoints(size)}`;
}

/** Body text: exact line pitch of the 22-line grid, no space before or after. */
export const EXACT_LINE = { line: LINE_PITCH_TWIPS, lineRule: LineRuleType.EXACT, before: 0, after: 0 } as const;
const INDENT_TWO_CHARS = { firstLineChars: 200, firstLine: 2 * charWidth(ROLE_SIZE.body) } as const;
const NO_INDENT = { firstLine: 0, firstLineChars: 0 } as const;

/**
 * The run properties of a role. The title, table text and page number keep their natural glyph width
 * (no snapping to the 3号 character grid, which would spread them).
 */
function roleRun(role: FontRole, fonts: FontNames, size = ROLE_SIZE[role]): IRunStylePropertiesOptions {
  return {
    font: runFont(fonts[role]),
    size: halfPoints(size),
    language: LANGUAGE,
    ...(LINE_GRID_ROLES.has(role) ? { characterSpacing: BODY_CHAR_SPACING_TWIPS } : { snapToGrid: false }),
  };
}

/**
 * `w:overflowPunct` written out: Word's own default for Chinese text (a line-end ，。 may hang into the
 * margin). LibreOffice reads this flag the other way round (hanging only when it is 0 or absent) and,
 * without it, hangs a line-end comma past the 版心 or drops it from the page altogether (seen in 7.4).
 * The docx package writes a style's paragraph properties with the same code as a paragraph's, but its
 * style type leaves this flag out, hence the widening here.
 */
function withPunctuation(paragraph: StyleParagraph): IParagraphStylePropertiesOptions {
  const withFlag: IParagraphStylePropertiesOptions & { overflowPunctuation: true } = { ...paragraph, overflowPunctuation: true };
  return withFlag;
}

/** A style's paragraph properties, with `w:widowControl`, also left out of the style type (and written by the same code). */
type StyleParagraph = IParagraphStylePropertiesOptions & { readonly widowControl?: boolean };

function style(id: string, name: string, run: IRunStylePropertiesOptions, paragraph: StyleParagraph): IParagraphStyleOptions {
  return { id, name, basedOn: 'Normal', quickFormat: true, run, paragraph: withPunctuation(paragraph) };
}

/** The paragraph styles of a report with these fonts. */
export function paragraphStyles(fonts: FontNames): IParagraphStyleOptions[] {
  const tableSizes = [...new Set(Object.values(TABLE_SIZE))];
  return [
    style(STYLE.title, '年报标题', roleRun('title', fonts), { alignment: AlignmentType.CENTER, spacing: EXACT_LINE, keepNext: true }),
    ...HEADING_LEVEL_LIST.map((level) =>
      style(HEADING_STYLE[level], `年报${LEVEL_NAMES[level]}标题`, levelRun(level, fonts), { alignment: AlignmentType.JUSTIFIED, spacing: EXACT_LINE, indent: INDENT_TWO_CHARS, keepNext: true, outlineLevel: level - 1 }),
    ),
    // widow and orphan control stated (absent, Word and LibreOffice apply none): a paragraph never leaves
    // one line alone on either side of a page break, so the one before the 落款 brings two lines along
    style(STYLE.body, '年报正文', roleRun('body', fonts), { alignment: AlignmentType.JUSTIFIED, spacing: EXACT_LINE, indent: INDENT_TWO_CHARS, widowControl: true }),
    style(STYLE.bodyFlush, '年报正文（顶格）', roleRun('body', fonts), { alignment: AlignmentType.JUSTIFIED, spacing: EXACT_LINE, indent: NO_INDENT, widowControl: true }),
    // 落款 right-aligned, 右空二字 (GB/T 9704 7.3.5.2); each line states its own indent (layout.ts, signatureIndents)
    style(STYLE.signature, '年报落款', roleRun('body', fonts), { alignment: AlignmentType.RIGHT, spacing: EXACT_LINE, indent: { ...NO_INDENT, right: SIGNATURE.rightChars * charWidth(ROLE_SIZE.body) }, keepLines: true }),
    // Table text: its own exact pitch (a third above the type size) instead of the body's 29 pt; the
    // paragraph mark gets the table size too, so an empty cell (a vMerge continuation) is no taller
    // than a line of table text. Centred: headers, block titles and figures; row labels say left.
    ...tableSizes.map((size) =>
      style(tableStyleId(size), `年报表格（${size}磅）`, roleRun('table', fonts, size), {
        alignment: AlignmentType.CENTER,
        spacing: { line: twips(Math.ceil(size * TABLE_PITCH_EM)), lineRule: LineRuleType.EXACT, before: 0, after: 0 },
        indent: NO_INDENT,
      }),
    ),
    // `— 1 —` in 4号 宋体, single spacing (the footer is outside the line grid)
    style(STYLE.pageNumber, '年报页码', roleRun('pageNumber', fonts), { spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 }, indent: NO_INDENT }),
  ];
}
