/**
 * `nianbao init`'s template with its narrative prompts answered, so a test can start from a report
 * that passes `check` (the prompts themselves are NARRATIVE-UNFILLED errors). Lines stay where they are.
 */
import { initTemplate, type InitOptions } from '../../src/cli/commands/init.js';
import { UNFILLED_MARK } from '../../src/validate/narrative-text.js';

export function filledTemplate(options: InitOptions): string {
  return initTemplate(options).split(UNFILLED_MARK).join('本机关如实报告');
}
