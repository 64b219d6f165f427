/** The rule data of format/rules.yaml, read once (cell types; the rules themselves live in the schemas). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { formatDir } from '../format/paths.js';

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
  cached ??= parse(readFileSync(path.join(formatDir, 'rules.yaml'), 'utf8')) as RulesFile;
  return cached;
}
