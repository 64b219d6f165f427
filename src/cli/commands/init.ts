/**
 * `nianbao init --format 2021 --year 2024 --agency 某某镇人民政府 [-o 文件]`: writes a complete report
 * template: every table cell 0, every key commented with its official Chinese label (from the
 * schema titles, i.e. from the grids), the `$schema` line for editor completion, narrative
 * prompts as block scalars. `nianbao check` of it as written reports exactly the unfilled narrative
 * sections (NARRATIVE-UNFILLED) and nothing else. An existing file is never overwritten.
 */
import { statSync } from 'node:fs';
import { link, mkdir, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { edition as editionInfo, EDITION_IDS, editionForYear, OVERVIEW_TOPICS, type EditionId } from '../../format/official.js';
import { q, tableLines, withComment } from '../../import/contract-yaml.js';
import { schemaAt } from '../../validate/schemas.js';
import { reportSchemaRef, runInitWorkspace } from '../../workspace/scaffold/scaffold.js';
import { UserError } from '../../diagnostics/errors.js';
import { UNFILLED_MARK } from '../../validate/narrative-text.js';

const USAGE = '用法：nianbao init --year 2024 --agency 某某镇人民政府 [--format 2021] [-o 文件]';

export interface InitOptions {
  readonly edition: EditionId;
  readonly year: number;
  readonly agency: string;
  /** the `$schema` reference written on the first line */
  readonly schemaRef: string;
}

/**
 * A narrative entry as a block scalar (`key: |-`, the text indented below, one paragraph per line):
 * there `#`, `"` and `:` are plain text, so nothing the clerk types is lost or breaks the file.
 */
function block(indent: string, key: string, prompt: string, comment: string | undefined): string[] {
  return [withComment(`${indent}${key}: |-`, comment), `${indent}  ${prompt}`];
}

/** The template text (deterministic: same options → same bytes). */
export function initTemplate(options: InitOptions): string {
  const { edition, year, agency } = options;
  const e = editionInfo(edition);
  const title = (p: string[]) => schemaAt(edition, p)?.title as string | undefined;
  const rowCommentTable3 = schemaAt(edition, ['applications'])?.description as string;
  const rowCommentTable4 = schemaAt(edition, ['review_litigation'])?.description as string;
  const out: string[] = [
    `# yaml-language-server: $schema=${options.schemaRef}`,
    `# ${agency}${year}年政府信息公开工作年度报告`,
    `# 格式：${e.formatName}（${e.notice}）。表格的每一格都要填写，没有发生的填 0（空白不等于 0）。`,
    '# 单元格只写数字，不写单位或文字（如 905万 应写 905，增53 应写 53，减少写负数如 -8）。',
    '# 正文写在「|-」下一行起的缩进处，每段一行；把「请在此填写…」换成实际情况（留着会被 check 报错）。',
    '# 写完后运行 nianbao check 本文件 校验勾稽关系。',
    '',
    withComment(`format: ${q(edition)}`, title(['format'])),
    withComment(`year: ${year}`, title(['year'])),
    withComment('agency:', title(['agency'])),
    withComment(`  name: ${q(agency)}`, title(['agency', 'name'])),
    ...['office', 'phone', 'address', 'postcode', 'website', 'parent'].map((k) => withComment(`  # ${k}: ""`, `${title(['agency', k])}（可选，填写时去掉行首的 #）`)),
    withComment(`# date: ${q(`${year + 1}-01-20`)}`, `${title(['date'])}（可选）`),
    '',
    withComment('narrative:', title(['narrative'])),
    withComment('  # preface: ""', `${title(['narrative', 'preface'])}（可选；不写时按机关信息生成）`),
    withComment('  overview:', title(['narrative', 'overview'])),
    ...OVERVIEW_TOPICS.flatMap((t) => block('    ', t.key, `${UNFILLED_MARK}“${t.heading.replace(/^（.）/, '')}”的情况。`, t.heading)),
    ...block('  ', 'problems', `${UNFILLED_MARK}存在的主要问题及改进情况（含上年度问题的整改情况）。`, title(['narrative', 'problems'])),
    ...block('  ', 'other', `${UNFILLED_MARK}其他需要报告的事项（含收取信息处理费的情况）。`, title(['narrative', 'other'])),
    '',
    ...tableLines(edition, 'active_disclosure'),
    '',
    `# ${rowCommentTable3}`,
    ...tableLines(edition, 'applications'),
    '',
    `# ${rowCommentTable4}`,
    ...tableLines(edition, 'review_litigation'),
  ];
  return `${out.join('\n')}\n`;
}

/** Writes without ever replacing an existing file: a temp file, then a hard link (fails if the name exists). Missing folders are created. */
export async function writeNew(file: string, text: string, command = 'nianbao init'): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fail = (error: unknown): never => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' && statSync(file, { throwIfNoEntry: false })?.isDirectory()) throw new UserError(`无法写入「${file}」：这是一个已有的文件夹。请换一个文件名。`, 2);
    if (code === 'EEXIST') throw new UserError(`文件「${file}」已存在，${command} 不会覆盖它：请换一个文件名，或先删除旧文件。`, 2);
    if (code === 'ENOENT') throw new UserError(`无法写入「${file}」：文件夹「${path.dirname(file)}」不存在。`, 2);
    if (code === 'EACCES' || code === 'EPERM') throw new UserError(`无法写入「${file}」：没有写入权限。`, 2);
    throw new UserError(`无法写入「${file}」（${code ?? String(error)}）。`, 2);
  };
  // A clerk names reports/2024/红椿镇.yaml before the year's folder exists: create it, as git and editors would.
  await mkdir(path.dirname(file), { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST' || error.code === 'ENOTDIR') throw new UserError(`无法写入「${file}」：「${path.dirname(file)}」不是文件夹。`, 2);
    fail(error);
  });
  await writeFile(temp, text, { flag: 'wx' }).catch(fail);
  try {
    await link(temp, file);
  } catch (error) {
    fail(error);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

export async function runInit(args: string[]): Promise<number> {
  // `init --workspace [DIR]`: the example county workspace (src/workspace/scaffold/scaffold.ts).
  if (args.some((a) => a === '--workspace' || a.startsWith('--workspace='))) return runInitWorkspace(args);
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const m = /^(--format|--year|--agency|-o|--output)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UserError(`无法识别的参数「${arg}」。\n${USAGE}`, 2);
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new UserError(`${m[1]} 后缺少值。\n${USAGE}`, 2);
    opts[m[1] === '--output' ? '-o' : m[1]] = value;
  }
  const year = Number(opts['--year']);
  if (!opts['--year'] || !Number.isInteger(year)) throw new UserError(`请用 --year 指定报告年度（如 --year 2024）。\n${USAGE}`, 2);
  const required = editionForYear(year);
  if (!required) throw new UserError(`报告年度 ${year} 早于 2019 年：nianbao 只支持国办公开办函〔2019〕60号及以后的格式。`, 2);
  const format = opts['--format'] ?? required;
  if (!(EDITION_IDS as readonly string[]).includes(format)) throw new UserError(`--format 只能是 2019 或 2021，收到「${format}」。`, 2);
  if (format !== required) {
    throw new UserError(`${year} 年度报告应使用 ${required} 版格式（${editionInfo(required).notice}），不能用 --format ${format}。`, 2);
  }
  const agency = opts['--agency']?.trim();
  if (!agency) throw new UserError(`请用 --agency 指定机关名称（如 --agency 某某镇人民政府）。\n${USAGE}`, 2);
  const out = opts['-o'];
  const text = initTemplate({ edition: format as EditionId, year, agency, schemaRef: reportSchemaRef(format, out) });
  if (out === undefined || out === '-') {
    process.stdout.write(text);
  } else {
    await writeNew(out, text);
    process.stderr.write(`已生成 ${out}：填写数字后运行 nianbao check ${out}\n`);
  }
  return 0;
}
