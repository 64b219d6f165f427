/** The rule data of format/rules.yaml, read once (cell types; the rules themselves live in the schemas). */
import { readFormatFile } from '../format/data-files.js';

export interface RulesFile {
  cell_types: { signed: string[]; money: string[] };
  rules: {
    id: string;
    keyword: string;
    severity: 'error' | 'warning';
    message: string;
    /** a shared row definition the rule applies to (every row of 表三 / 表四) */
    on?: 'applicant_row' | 'outcome_row';
    /** the contract path(s) of the object the keyword sits on */
    at?: string | string[];
    [arg: string]: unknown;
  }[];
  fields: Record<string, { title: string; description?: string }>;
}

let cached: RulesFile | undefined;

export function readRulesFile(): RulesFile {
  cached ??= readFormatFile<RulesFile>('rules.yaml');
  return cached;
}
