/**
 * What every emitter needs to mark a draft: its words, the printed problem line, the cell anchors and
 * the problem page of the paged formats. Light on purpose (no validator): the renderers load it.
 */
import type { Block, DraftProblem, FilledCell, ReportDocument } from './document.js';
import { SEVERITY_LABEL } from '../validate/types.js';
import { plainText } from './compose/context.js';

/** The words a draft prints, in one place. */
export const DRAFT_TEXT = {
  mark: '草稿',
  banner: '草稿　未经审核，不得发布',
  fileSuffix: '（草稿）',
  appendixHeading: '附：草稿中尚未解决的问题',
  appendixIntro: (n: number) => `本稿为草稿，校验发现以下 ${n} 个问题，修正后方可生成正式文件。`,
  noProblems: '本稿为草稿，校验未发现问题。',
} as const;

/** `vscode://file/…:line:col`: opens the YAML at a problem in VS Code (the preview's links). */
export function editorLink(file: string, line: number, col: number): string {
  return `vscode://file/${encodeURI(file.replace(/\\/g, '/'))}:${line}:${col}`;
}

/** `第41行第22列` */
export function positionText(problem: Pick<DraftProblem, 'line' | 'col'>): string {
  return `第${problem.line}行第${problem.col}列`;
}

/** One line of the printed problem list: `1. 第41行第22列 错误 T3-SUM 表三「…」行「自然人」列：…（提示：…）` */
export function problemLine(problem: DraftProblem, index: number): string {
  // most messages already name their cell (表三「…」行「…」列): it is added only where they do not
  const where = problem.where && !problem.message.includes(problem.where) ? ` ${problem.where}` : '';
  return `${index + 1}. ${positionText(problem)} ${SEVERITY_LABEL[problem.severity]} ${problem.rule}${where}：${problem.message}${problem.hint ? `（提示：${problem.hint}）` : ''}`;
}

/** The id of a table cell in a draft's HTML, for links to it: `cell-table3-r5-c2`. */
export function cellAnchor(table: string, cell: Pick<FilledCell, 'row' | 'col'>): string {
  return `cell-${table}-r${cell.row}-c${cell.col}`;
}

/** The problem page's content: its heading, a sentence, one paragraph per problem. */
export function draftAppendixBlocks(draft: NonNullable<ReportDocument['draft']>): Block[] {
  const problems = draft.problems;
  return [
    { kind: 'heading', level: 1, text: DRAFT_TEXT.appendixHeading },
    { kind: 'paragraph', indent: true, text: problems.length > 0 ? DRAFT_TEXT.appendixIntro(problems.length) : DRAFT_TEXT.noProblems },
    ...problems.map((p, i): Block => ({ kind: 'paragraph', indent: false, text: plainText(problemLine(p, i)) })),
  ];
}

/**
 * What a printed draft (PDF) adds at its end: a page listing the open problems. The HTML lists them
 * itself (with links and `aria-describedby`); the docx starts the page with its heading (draft.ts).
 */
export function withDraftAppendix(doc: ReportDocument): ReportDocument {
  if (!doc.draft) return doc;
  return { ...doc, blocks: [...doc.blocks, { kind: 'pageBreak' }, ...draftAppendixBlocks(doc.draft)] };
}
