/**
 * Test fixtures built from the official grids, so they follow any change of the format data:
 * a report whose every figure differs (a swapped cell cannot pass a placement test), and a
 * hand-assembled document for emitter tests.
 */
import { officialGrid, SECTIONS, OVERVIEW_TOPICS, TABLE_IDS, type EditionId } from '../../src/format/official.js';
import { fillGrid } from '../../src/model/fill.js';
import type { Block, ReportDocument } from '../../src/model/document.js';
import type { Report } from '../../src/format/report.js';

function setPath(target: Record<string, unknown>, dotted: string, value: number): void {
  const keys = dotted.split('.');
  let node: Record<string, unknown> = target;
  keys.slice(0, -1).forEach((key, i) => {
    const nextIsIndex = /^\d+$/.test(keys[i + 1]);
    node[key] ??= nextIsIndex ? [] : {};
    node = node[key] as Record<string, unknown>;
  });
  node[keys.at(-1)!] = value;
}

/** Every data cell gets a different figure (101, 102, …; money cells get a decimal). Not consistent. */
export function distinctReport(edition: EditionId, year = edition === '2019' ? 2020 : 2024): Report {
  const data: Record<string, unknown> = {
    format: edition,
    year,
    agency: { name: '测试镇人民政府', office: '党政办', phone: '0000-1234567', address: '测试镇政府路1号', postcode: '100000' },
    date: `${year + 1}-01-20`,
  };
  let n = 101;
  for (const table of TABLE_IDS) {
    for (const cell of officialGrid(edition, table).dataCells()) {
      const isMoney = /\.(amount)$/.test(cell.path!);
      setPath(data, cell.path!, isMoney ? n++ + 0.25 : n++);
    }
  }
  return data as unknown as Report;
}

/** A document assembled by hand (title, headings, paragraphs, the three tables, signature). */
export function sampleDocument(report: Report, paragraphsPerSection = 2): ReportDocument {
  const edition = report.format;
  const para = (i: number): Block => ({
    kind: 'paragraph',
    indent: true,
    text: `第${i}段：本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息，依法办理政府信息公开申请，不断完善工作机制。`,
  });
  const blocks: Block[] = [{ kind: 'title', lines: [report.agency.name, `${report.year}年政府信息公开工作年度报告`] }, para(0)];
  for (const section of SECTIONS) {
    blocks.push({ kind: 'heading', level: 1, text: section.heading });
    if (section.kind === 'table' && section.table) {
      blocks.push({ kind: 'table', table: section.table, grid: fillGrid(officialGrid(edition, section.table), report) });
    } else if (section.no === 1) {
      for (const topic of OVERVIEW_TOPICS) {
        blocks.push({ kind: 'heading', level: 2, text: topic.heading });
        for (let i = 1; i <= paragraphsPerSection; i++) blocks.push(para(i));
      }
    } else {
      for (let i = 1; i <= paragraphsPerSection; i++) blocks.push(para(i));
    }
  }
  blocks.push({ kind: 'signature', lines: [report.agency.name, `${report.year + 1}年1月20日`] });
  return {
    meta: { title: `${report.agency.name}${report.year}年政府信息公开工作年度报告`, author: report.agency.name, year: report.year, edition, lang: 'zh-CN' },
    blocks,
  };
}

/** A document of the given blocks only, for tests of one layout question (a 2021 report of a test township). */
export function blocksDocument(title: string, blocks: Block[], edition: EditionId = '2021'): ReportDocument {
  return { meta: { title, author: '测试镇人民政府', year: 2024, edition, lang: 'zh-CN' }, blocks };
}
