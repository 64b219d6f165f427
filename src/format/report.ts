/**
 * The YAML contract as TypeScript types: what a report file holds once it has passed validation.
 * The JSON Schemas in schemas/ are the authority; these types mirror them for the code.
 */
import type { EditionId } from './official.js';

/** 7 figures: 自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构, 其他, 总计 */
export type ApplicantRow = [number, number, number, number, number, number, number];
/** 5 figures: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计 */
export type OutcomeRow = [number, number, number, number, number];

export interface Agency {
  name: string;
  office?: string;
  phone?: string;
  address?: string;
  postcode?: string;
  website?: string;
  /** 上级政府 etc. may be added by workspace defaults */
  [extra: string]: unknown;
}

export interface OverviewTopics {
  active?: string;
  on_request?: string;
  management?: string;
  platforms?: string;
  oversight?: string;
}

export interface Narrative {
  preface?: string;
  overview?: string | OverviewTopics;
  problems?: string;
  other?: string;
}

export interface ActiveDisclosure2021 {
  rules: { issued: number; repealed: number; in_force: number };
  normative_documents: { issued: number; repealed: number; in_force: number };
  licensing: { decisions: number };
  penalty: { decisions: number };
  coercion: { decisions: number };
  fees: { amount: number };
}

export interface ItemCounts2019 {
  previous_items: number;
  change: number;
  decisions: number;
}

export interface ActiveDisclosure2019 {
  rules: { made: number; published: number; total_published: number };
  normative_documents: { made: number; published: number; total_published: number };
  licensing: ItemCounts2019;
  other_services: ItemCounts2019;
  penalty: ItemCounts2019;
  coercion: ItemCounts2019;
  fees: { previous_items: number; change: number };
  procurement: { items: number; amount: number };
}

export interface Results<Other> {
  granted: ApplicantRow;
  partially_granted: ApplicantRow;
  denied: Record<
    | 'state_secret'
    | 'prohibited_by_law'
    | 'three_safeties_one_stability'
    | 'third_party_rights'
    | 'internal_affairs'
    | 'process_information'
    | 'enforcement_files'
    | 'query_matters',
    ApplicantRow
  >;
  unable: Record<'not_held' | 'needs_creation' | 'still_unclear', ApplicantRow>;
  not_processed: Record<'petitions' | 'repeated' | 'publications' | 'excessive' | 'confirmation', ApplicantRow>;
  other: Other;
  total: ApplicantRow;
}

export interface Applications<Other> {
  received: ApplicantRow;
  carried_over: ApplicantRow;
  results: Results<Other>;
  carried_forward: ApplicantRow;
}

export interface ReviewLitigation {
  review: OutcomeRow;
  litigation_direct: OutcomeRow;
  litigation_after_review: OutcomeRow;
}

interface ReportBase {
  year: number;
  agency: Agency;
  /** 落款日期, ISO yyyy-mm-dd */
  date?: string;
  narrative?: Narrative;
  review_litigation: ReviewLitigation;
  /** Workspace: last year's report file, relative to this one (else found by agency and year). */
  previous?: string;
  /** Workspace: why a figure differs from last year's report (silences that cross-year check). */
  corrections?: { carried_over?: string; in_force?: string; previous_items?: string };
  /**
   * Set by the checker, never written in YAML: a figure's source text by dotted path, where it differs
   * from the number's own rendering (an amount written `12.50`). The published text is the written one.
   */
  figureText?: Readonly<Record<string, string>>;
}

export interface Report2019 extends ReportBase {
  format: '2019';
  active_disclosure: ActiveDisclosure2019;
  applications: Applications<ApplicantRow>;
}

export interface Report2021 extends ReportBase {
  format: '2021';
  active_disclosure: ActiveDisclosure2021;
  applications: Applications<Record<'no_correction' | 'unpaid_fees' | 'other', ApplicantRow>>;
}

export type Report = Report2019 | Report2021;

export function editionOf(report: Report): EditionId {
  return report.format;
}

/**
 * Whatever the report data holds at a path of keys and indices (['applications', 'received', 6]); undefined
 * where the path leaves the data. For data not yet known to be a report (the checks read it whatever its
 * shape).
 */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let node = data;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[key];
  }
  return node;
}

/** Reads a figure by its dotted contract path (e.g. `applications.received.6`). */
export function figureAt(report: Report, dottedPath: string): unknown {
  let node: unknown = report;
  for (const key of dottedPath.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** A figure's published text: as written in the report file, else the number itself (integers, plain decimals). */
export function figureTextAt(report: Report, dottedPath: string): string {
  const written = report.figureText && Object.hasOwn(report.figureText, dottedPath) ? report.figureText[dottedPath] : undefined;
  if (written !== undefined) return written;
  const value = figureAt(report, dottedPath);
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '';
}
