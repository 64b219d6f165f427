/**
 * Report → document model: the templates (templates/default, overridden by county folders) write
 * the text and order as markup, which is read into the format-neutral blocks every emitter renders.
 */
import type { ReportDocument } from './document.js';
import type { Report } from '../format/report.js';
import { templateContext } from './compose/context.js';
import { MarkupError, parseMarkup } from './compose/markup.js';
import { loadTemplates, TemplateError } from './compose/templates.js';

export { TemplateError } from './compose/templates.js';

export interface BuildDocumentOptions {
  /** County template folders, searched in order before templates/default. */
  readonly templateDirs?: readonly string[];
}

export function buildDocument(report: Report, options: BuildDocumentOptions = {}): ReportDocument {
  const templateDirs = options.templateDirs ?? [];
  const render = loadTemplates(templateDirs);
  const context = templateContext(report);
  const markup = render(context);
  let blocks;
  try {
    blocks = parseMarkup(markup, report);
  } catch (error) {
    if (error instanceof MarkupError) {
      const where = templateDirs.length > 0 ? `（模板目录：${templateDirs.join('、')}）` : '';
      throw new TemplateError(`${error.message}${where}`);
    }
    throw error;
  }
  const title = blocks.find((b) => b.kind === 'title');
  return {
    meta: {
      title: title && title.kind === 'title' ? title.lines.join('') : context.title,
      author: context.agency.name,
      year: report.year,
      edition: report.format,
      lang: 'zh-CN',
    },
    blocks,
  };
}
