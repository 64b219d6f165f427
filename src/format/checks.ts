/**
 * The registry of checks: format/checks.yaml (every rule besides the 勾稽关系) and the table rules of
 * format/rules.yaml (which live in the schemas), as one list with a stable id, default severity,
 * scope, whether a county may tune it, and a Chinese description. `nianbao rules` prints it; the
 * workspace applies a county's severities and waivers against it.
 */
import { readFormatFile } from './data-files.js';

export type CheckScope = 'cell' | 'report' | 'workspace';

export interface CheckInfo {
  readonly id: string;
  readonly severity: 'error' | 'warning';
  readonly scope: CheckScope;
  /** a county may change its severity and waive its findings */
  readonly tunable: boolean;
  readonly description: string;
  /** a message as printed, or the table rule's message template */
  readonly example: string;
  /** how to fix any finding of the rule, said apart from what is wrong (a finding may bring its own) */
  readonly hint: string;
  /** where it is defined: the table rules are in the schemas */
  readonly source: 'rules.yaml' | 'checks.yaml';
}

interface ChecksFile {
  checks: Omit<CheckInfo, 'source'>[];
}

interface TableRule {
  id: string;
  severity: 'error' | 'warning';
  description: string;
  message: string;
  hint: string;
}

let registry: readonly CheckInfo[] | undefined;

export function checkRegistry(): readonly CheckInfo[] {
  if (registry) return registry;
  const table = readFormatFile<{ rules: TableRule[] }>('rules.yaml').rules.map(
    (r): CheckInfo => ({ id: r.id, severity: r.severity, scope: 'cell', tunable: r.severity === 'warning', description: r.description, example: r.message, hint: r.hint, source: 'rules.yaml' }),
  );
  const others = readFormatFile<ChecksFile>('checks.yaml').checks.map((c): CheckInfo => ({ ...c, source: 'checks.yaml' }));
  return (registry = [...table, ...others]);
}

export function checkInfo(id: string): CheckInfo | undefined {
  return checkRegistry().find((c) => c.id === id);
}
