/**
 * Writes the YAML contract in the form `nianbao init` writes it: every key commented with its official
 * label (the schema titles, i.e. the grids), one row of figures per line. `init` writes zeros through
 * `tableLines`; `nianbao import` writes what it read.
 */
import { edition as editionInfo, OVERVIEW_TOPICS, type EditionId } from '../format/official.js';
import { schemaAt, type SchemaNode } from '../validate/schemas.js';
import type { Narrative } from '../format/report.js';
import { type Figure, type ImportedReport } from './interpret.js';

/** A YAML double-quoted string (JSON strings are valid YAML). */
export const q = (text: string): string => JSON.stringify(text);

export function withComment(line: string, comment: string | undefined): string {
  if (!comment) return line;
  return `${line.padEnd(Math.max(line.length + 2, 40))}# ${comment}`;
}

/** A figure as YAML: a number as is, anything else (905万, /, a marker) quoted. */
const figureYaml = (value: Figure | undefined): string => (typeof value === 'number' ? String(value) : q(value ?? ''));

/**
 * The lines of one table key (active_disclosure, applications, review_litigation), walking the
 * edition's schema. `figure(path)` gives a cell's value by contract path; `rowAt(path)` may say that
 * the printed report has a single row where the schema has a group (kept as printed).
 */
export function tableLines(edition: EditionId, key: string, figure: (path: string) => Figure | undefined = () => 0, rowAt: (path: string) => number = () => 0): string[] {
  const lines: string[] = [];
  const walk = (dataPath: string[], depth: number) => {
    const node = schemaAt(edition, dataPath) as SchemaNode;
    const indent = '  '.repeat(depth);
    const name = dataPath.at(-1)!;
    const dotted = dataPath.join('.');
    // nested rows repeat their group's name (三、本年度办理结果·…): the comment keeps the last part
    const title = typeof node.title === 'string' ? (depth > 1 ? node.title.replace(/^.*·/, '') : node.title) : undefined;
    const printedRow = node.type === 'object' ? rowAt(dotted) : 0;
    if (node.type === 'array' || printedRow > 0) {
      const n = printedRow || ((node.minItems as number) ?? 0);
      lines.push(withComment(`${indent}${name}: [${Array.from({ length: n }, (_, i) => figureYaml(figure(`${dotted}.${i}`))).join(', ')}]`, printedRow ? `${title}（原文印成一行）` : title));
    } else if (node.type === 'object') {
      lines.push(withComment(`${indent}${name}:`, title));
      for (const child of Object.keys((node.properties as Record<string, unknown>) ?? {})) walk([...dataPath, child], depth + 1);
    } else {
      lines.push(withComment(`${indent}${name}: ${figureYaml(figure(dotted))}`, [title, node.description && /万元/.test(String(node.description)) && !/万元/.test(title ?? '') ? '单位：万元' : ''].filter(Boolean).join('，')));
    }
  };
  walk([key], 0);
  return lines;
}

/** A narrative text: a literal block when it can be one exactly, else a quoted string. */
function textYaml(indent: string, key: string, text: string): string {
  const lines = text.split('\n');
  const plain = lines.every((l) => l !== '' && l === l.trim() && !/[\u0000-\u0008\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/.test(l));
  if (!plain) return `${indent}${key}: ${q(text)}`;
  return `${indent}${key}: |-\n${lines.map((l) => `${indent}  ${l}`).join('\n')}`;
}

function narrativeLines(narrative: Narrative): string[] {
  const out = ['narrative:'];
  if (narrative.preface) out.push(textYaml('  ', 'preface', narrative.preface));
  const overview = narrative.overview;
  if (typeof overview === 'string') out.push(textYaml('  ', 'overview', overview));
  else if (overview) {
    out.push('  overview:');
    for (const t of OVERVIEW_TOPICS) if (overview[t.key]) out.push(textYaml('    ', t.key, overview[t.key]!));
  }
  if (narrative.problems) out.push(textYaml('  ', 'problems', narrative.problems));
  if (narrative.other) out.push(textYaml('  ', 'other', narrative.other));
  return out.length > 1 ? out : [];
}

/** The contract YAML of an imported report (deterministic: same report → same bytes). */
export function importedYaml(report: ImportedReport, options: { schemaRef: string; source: string }): string {
  const e = editionInfo(report.edition);
  const figure = (p: string) => report.figures.get(p);
  const rowAt = (p: string) => {
    let n = 0;
    while (report.figures.has(`${p}.${n}`)) n++;
    return n;
  };
  const title = (p: string[]) => schemaAt(report.edition, p)?.title as string | undefined;
  const out = [
    `# yaml-language-server: $schema=${options.schemaRef}`,
    `# 由 nianbao import 从「${options.source}」导入。格式：${e.formatName}（${e.notice}）。`,
    '# 数字照原文导入：原文带单位、空白、/ 或 - 的格照原样写出；「？无法读取」表示该格没有读出，请对照原文填写。',
    '',
    withComment(`format: ${q(report.edition)}`, title(['format'])),
    report.year !== undefined ? withComment(`year: ${report.year}`, title(['year'])) : '# year: 未能从标题读出年度',
    withComment('agency:', title(['agency'])),
    withComment(`  name: ${q(report.agency ?? '')}`, title(['agency', 'name'])),
    ...(report.date ? [withComment(`date: ${q(report.date)}`, title(['date']))] : []),
    '',
    ...narrativeLines(report.narrative),
    '',
    ...tableLines(report.edition, 'active_disclosure', figure, rowAt),
    '',
    `# ${schemaAt(report.edition, ['applications'])?.description as string}`,
    ...tableLines(report.edition, 'applications', figure, rowAt),
    '',
    `# ${schemaAt(report.edition, ['review_litigation'])?.description as string}`,
    ...tableLines(report.edition, 'review_litigation', figure, rowAt),
  ];
  return `${out.join('\n')}\n`;
}
