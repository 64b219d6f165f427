/**
 * The plain object the templates see. Everything a default template may print is here, every
 * optional field present as null (templates run in strict mode, so a typo is an error, not a blank),
 * narrative already split into paragraphs with placeholders substituted. Never user-compiled: the
 * narrative reaches the templates as data only.
 */
import { edition as editionInfo, OVERVIEW_TOPICS, SECTIONS, TITLE_SUFFIX, type TableId } from '../../format/official.js';
import { substitutePlaceholders } from '../../format/placeholders.js';
import type { Narrative, Report } from '../../format/report.js';

/** Which narrative field fills a text section (sections 二–四 are tables). */
const SECTION_NARRATIVE: Readonly<Record<number, keyof Narrative>> = { 1: 'overview', 5: 'problems', 6: 'other' };

export interface TemplateSection {
  no: number;
  heading: string;
  /** the heading without its numeral, e.g. 总体情况 */
  name: string;
  table: TableId | null;
  paragraphs: string[];
  /** 一、总体情况 written as the five （一）…（五） topics; null when written as one text */
  topics: { key: string; heading: string; paragraphs: string[] }[] | null;
}

export interface TemplateContext {
  title: string;
  titleSuffix: string;
  year: number;
  period: { start: string; end: string };
  date: string | null;
  edition: { id: string; notice: string; noticeTitle: string; formatName: string };
  agency: Record<string, string | number | null> & {
    name: string;
    office: string | null;
    phone: string | null;
    address: string | null;
    postcode: string | null;
    website: string | null;
    /** 上级政府 (a workspace default), e.g. 云溪县人民政府 */
    parent: string | null;
  };
  contact: { label: string; value: string }[];
  /** the number of sections as the report writes it (六), from the last section's numeral */
  sectionCount: string;
  preface: string[] | null;
  sections: TemplateSection[];
}

/**
 * Text as every output can hold it: control characters (invalid in the XML of docx, of the template
 * markup, and meaningless in a report) removed, a lone surrogate replaced by U+FFFD.
 */
export function plainText(text: string): string {
  return text
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/g, '');
}

/** Line breaks of any kind (CR LF, LF, CR, NEL, LS, PS) separate paragraphs. */
const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/;

/** Narrative text → paragraphs: one per non-empty line, trimmed (a typed 　　 indent is dropped). */
export function paragraphs(text: string | undefined, report: Report): string[] {
  if (text === undefined) return [];
  return plainText(substitutePlaceholders(text, report))
    .split(LINE_BREAK)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

/** 2025-01-20 → 2025年1月20日 (GB/T 9704: Arabic numerals, no leading zeros). */
export function formatDate(iso: string): string {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(iso.trim());
  if (!m) return iso;
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/** A one-line field (agency name, phone …): plain text, line breaks and runs of white space as one space. */
function oneLine(value: string): string {
  return plainText(value).split(LINE_BREAK).map((s) => s.trim()).filter(Boolean).join(' ');
}

function text(value: unknown): string | null {
  if (typeof value === 'string') return oneLine(value) || null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

export function templateContext(report: Report): TemplateContext {
  const info = editionInfo(report.format);
  const narrative = report.narrative ?? {};
  const agency: TemplateContext['agency'] = { name: '', office: null, phone: null, address: null, postcode: null, website: null, parent: null };
  // Extra agency fields (a workspace's defaults) stay available to county templates, as plain text.
  for (const [key, value] of Object.entries(report.agency)) agency[key] = text(value);
  agency.name = oneLine(report.agency.name);

  const contact: TemplateContext['contact'] = [];
  for (const [label, value] of [
    ['地址', agency.address],
    ['邮编', agency.postcode],
    ['电话', agency.phone],
  ] as const) {
    if (typeof value === 'string') contact.push({ label, value });
  }

  const sections = SECTIONS.map((section): TemplateSection => {
    const key = SECTION_NARRATIVE[section.no];
    const value = key ? narrative[key] : undefined;
    const topics =
      value !== undefined && typeof value === 'object'
        ? OVERVIEW_TOPICS.map((topic) => ({ key: topic.key, heading: topic.heading, paragraphs: paragraphs(value[topic.key], report) })).filter(
            (topic) => topic.paragraphs.length > 0,
          )
        : null;
    return {
      no: section.no,
      heading: section.heading,
      name: section.heading.replace(/^[一二三四五六七八九十]+、/, ''),
      table: section.kind === 'table' && section.table ? section.table : null,
      paragraphs: typeof value === 'string' ? paragraphs(value, report) : [],
      topics,
    };
  });

  const preface = paragraphs(narrative.preface, report);
  return {
    title: `${agency.name}${report.year}年${TITLE_SUFFIX}`,
    titleSuffix: TITLE_SUFFIX,
    year: report.year,
    period: { start: `${report.year}年1月1日`, end: `${report.year}年12月31日` },
    date: report.date ? formatDate(report.date) : null,
    edition: { id: info.id, notice: info.notice, noticeTitle: info.noticeTitle, formatName: info.formatName },
    agency,
    contact,
    sectionCount: SECTIONS.at(-1)!.heading.split('、')[0],
    preface: preface.length > 0 ? preface : null,
    sections,
  };
}
