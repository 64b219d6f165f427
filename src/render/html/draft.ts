/**
 * The marks of a draft in HTML: a banner on screen and on the first printed page, 草稿 across every
 * printed page (a fixed element repeats on each page in print), each offending figure highlighted
 * with a numbered marker and described by its problem (`aria-describedby`, so a screen reader reads
 * the problem with the cell; the marker and the outline carry it without colour), and the list of
 * problems, each linking to its cell (and to the editor, in the preview). Nothing here is used for a
 * final document.
 */
import type { DraftInfo, FilledCell } from '../../model/document.js';
import { DRAFT_TEXT, editorLink, positionText } from '../../model/draft-marks.js';
import { SEVERITY_LABEL } from '../../validate/types.js';
import { fontStack } from './css.js';

type Escape = (text: string) => string;

export function draftStyles(): string {
  // In print: the band in every page's top margin (a page margin box, as the page numbers) carries the
  // words; the diagonal 草稿 is a fixed element, which Chromium repeats on every printed page.
  return `
@page { @top-center { content: "${DRAFT_TEXT.banner}"; font-family: ${fontStack('heading1')}; font-size: 12pt; vertical-align: bottom; padding-bottom: 4mm; } }
.draft-banner { border: 3px double #000; padding: 0.4em 0.8em; margin: 0 0 1em; text-align: center; font-weight: bold; letter-spacing: 0.2em; background: #fff3cd; }
.draft-watermark { display: none; }
td[id] { scroll-margin-top: 3em; }
td.draft-problem { outline: 3px dashed #b00020; outline-offset: -3px; background: #fde7ea; }
td.draft-problem .draft-marker { font-size: 0.75em; vertical-align: super; font-weight: bold; margin-left: 0.15em; }
.draft-problems { margin-top: 2em; border-top: 3px double #000; padding-top: 0.5em; }
.draft-problems h2 { text-indent: 0; }
.draft-problems li { margin: 0.3em 0; }
.draft-problems .where { font-weight: bold; }
.draft-problems .severity-error { text-decoration: underline; }
@media print {
  .draft-watermark { display: block; position: fixed; top: 35%; left: 0; right: 0; text-align: center; font-size: 140pt; color: rgba(0, 0, 0, 0.16); transform: rotate(-35deg); z-index: 1000; pointer-events: none; }
  td.draft-problem { background: none; }
}`;
}

/** The banner at the top of the page and the print watermark. */
export function draftBanner(escape: Escape): string {
  return `<div class="draft-banner" role="note">${escape(DRAFT_TEXT.banner)}</div>\n<div class="draft-watermark" aria-hidden="true">${escape(DRAFT_TEXT.mark)}</div>`;
}

/** A figure cell of a draft: its anchor id, and when it has problems, their markers and descriptions. */
export function draftDataCell(cell: FilledCell, text: string, spans: string, anchor: string): string {
  const ids = cell.problems ?? [];
  if (ids.length === 0) return `<td id="${anchor}"${spans}>${text}</td>`;
  const numbers = ids.map((id) => Number(id.replace(/^problem-/, '')));
  const marker = `<span class="draft-marker" aria-hidden="true">※${numbers.join(',')}</span>`;
  return `<td id="${anchor}"${spans} class="draft-problem" aria-describedby="${ids.join(' ')}">${text}${marker}</td>`;
}

/** The list of open problems, each linking to its cell and (in the preview) to the YAML in the editor. */
export function draftProblemList(draft: DraftInfo, escape: Escape): string {
  const count = draft.problems.length;
  const intro = count > 0 ? DRAFT_TEXT.appendixIntro(count) : DRAFT_TEXT.noProblems;
  const items = draft.problems.map((p) => {
    const position = positionText(p);
    const editor = draft.editorFile
      ? ` <a class="editor" href="${escape(editorLink(draft.editorFile, p.line, p.col))}">${escape(position)}</a>`
      : ` <span class="position">${escape(position)}</span>`;
    const cell = p.cell ? ` <a class="cell" href="#${p.cell}">${escape(p.where ?? '表格')}</a>` : p.where ? ` <span class="where">${escape(p.where)}</span>` : '';
    return `<li id="${p.id}" data-rule="${escape(p.rule)}"><span class="severity-${p.severity}">${escape(SEVERITY_LABEL[p.severity])}</span> <code>${escape(p.rule)}</code>${editor}${cell}：${escape(p.message)}${p.hint ? ` <span class="hint">提示：${escape(p.hint)}</span>` : ''}</li>`;
  });
  return [
    `<section class="draft-problems" aria-labelledby="draft-problems-heading">`,
    `<h2 id="draft-problems-heading">${escape(DRAFT_TEXT.appendixHeading)}</h2>`,
    `<p>${escape(intro)}</p>`,
    count > 0 ? `<ol>\n${items.join('\n')}\n</ol>` : '',
    `</section>`,
  ]
    .filter(Boolean)
    .join('\n');
}
