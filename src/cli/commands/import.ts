/**
 * `nianbao import <文件或文件夹…> [-o 文件|文件夹] [--workspace] [--format plain|json]`: published reports
 * (HTML, docx, PDF) → the YAML contract, figures as printed, every unread cell named with its place.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { importFile as importOne, type ImportOutcome } from '../../import/file.js';
import { reportSchemaRef } from '../../workspace/scaffold/scaffold.js';
import { describePlace, importedYaml, IMPORT_EXTENSIONS, type ImportNote } from '../../import/index.js';
import { safeFileName } from '../../render/write.js';
import { UserError } from '../../diagnostics/errors.js';
import { writeNew } from './init.js';

const USAGE = '用法：nianbao import <文件或文件夹…> [-o 文件|文件夹] [--workspace] [--format plain|json]';

/** Every importable file under the inputs (folders recursively, hidden folders and node_modules left out), sorted. */
export async function collectSources(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name.startsWith('~$') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((IMPORT_EXTENSIONS as readonly string[]).includes(path.extname(entry.name).toLowerCase())) files.push(full);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isDirectory()) await walk(input);
    else files.push(input);
  }
  return files;
}

const noteLine = (file: string, n: ImportNote) => `${file}: ${n.severity === 'error' ? '错误' : '警告'} ${n.place ? `${describePlace(n.place)} ` : ''}${n.message}`;

export async function runImport(args: string[]): Promise<number> {
  const inputs: string[] = [];
  let out: string | undefined;
  let format: 'plain' | 'json' = 'plain';
  let workspace = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const m = /^(-o|--output|--format)(?:=(.*))?$/.exec(arg);
    if (m) {
      const value = m[2] ?? args[++i];
      if (value === undefined) throw new UserError(`${m[1]} 后缺少值。\n${USAGE}`, 2);
      if (m[1] === '--format') {
        if (value !== 'plain' && value !== 'json') throw new UserError(`--format 只能是 plain 或 json，收到「${value}」。`, 2);
        format = value;
      } else out = value;
    } else if (arg === '--workspace') workspace = true;
    else if (arg.startsWith('-')) throw new UserError(`无法识别的参数「${arg}」。\n${USAGE}`, 2);
    else inputs.push(arg);
  }
  if (inputs.length === 0) throw new UserError(`请指定要导入的文件或文件夹。\n${USAGE}`, 2);
  const files = await collectSources(inputs);
  if (files.length === 0) throw new UserError(`「${inputs.join('」「')}」中没有 .html、.htm、.docx 或 .pdf 文件。`, 2);
  const manyOut = workspace || files.length > 1 || (await stat(inputs[0]).catch(() => undefined))?.isDirectory() || (out !== undefined && (await stat(out).catch(() => undefined))?.isDirectory());
  if (manyOut && !workspace && out === undefined) throw new UserError(`导入多个文件时请用 -o 指定输出文件夹（或用 --workspace 写入工作区）。\n${USAGE}`, 2);

  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    const target0 = !manyOut ? out : undefined;
    let outcome = await importOne(file, (edition) => reportSchemaRef(edition, target0));
    if (outcome.usable && outcome.report) {
      let target = target0;
      if (workspace) {
        const { year, agency } = outcome.report;
        if (year === undefined || !agency) {
          outcome = { ...outcome, usable: false, notes: [...outcome.notes, { severity: 'error', message: '标题中没有读出机关和年度，无法放入工作区 reports/<年度>/<机关>.yaml' }] };
        } else target = path.join(out ?? '.', 'reports', String(year), `${safeFileName(agency)}.yaml`);
      } else if (manyOut) target = path.join(out!, `${path.basename(file, path.extname(file))}.yaml`);
      if (outcome.usable && target !== undefined) {
        if (target !== target0) outcome = { ...outcome, yaml: importedYaml(outcome.report!, { schemaRef: reportSchemaRef(outcome.report!.edition, target), source: path.basename(file) }) };
        try {
          await writeNew(target, outcome.yaml!, 'nianbao import');
          outcome = { ...outcome, output: target };
        } catch (error) {
          outcome = { ...outcome, usable: false, output: undefined, notes: [...outcome.notes, { severity: 'error', message: error instanceof Error ? error.message : String(error) }] };
        }
      }
    }
    outcomes.push(outcome);
  }

  if (format === 'json') {
    const summary = outcomes.map((o) => ({
      file: o.file,
      usable: o.usable,
      ...(o.output ? { output: o.output } : {}),
      ...(o.report ? { edition: o.report.edition, year: o.report.year ?? null, agency: o.report.agency ?? null, figures: o.report.figures.size } : {}),
      unreadable: o.notes.filter((n) => n.severity === 'error').length,
      notes: o.notes.map((n) => ({ severity: n.severity, message: n.message, ...(n.place ? { place: n.place } : {}), ...(n.path ? { path: n.path } : {}) })),
      ...(!o.output && o.yaml ? { yaml: o.yaml } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ files: summary }, null, 2)}\n`);
  } else {
    for (const o of outcomes) {
      if (!o.output && o.yaml) process.stdout.write(o.yaml);
      if (o.output) process.stderr.write(`${o.file} → ${o.output}（${o.report!.edition} 版${o.report!.year ? `，${o.report!.year} 年度` : ''}${o.report!.agency ? `，${o.report!.agency}` : ''}）\n`);
      for (const n of o.notes) process.stderr.write(`${noteLine(o.file, n)}\n`);
    }
    if (outcomes.length > 1) {
      const bad = outcomes.filter((o) => !o.usable).length;
      const partial = outcomes.filter((o) => o.usable && o.notes.some((n) => n.severity === 'error')).length;
      process.stderr.write(`导入 ${outcomes.length} 个文件：${outcomes.length - bad - partial} 个完整，${partial} 个有未读出的格，${bad} 个未能导入\n`);
    }
  }
  if (outcomes.some((o) => !o.usable)) return 2;
  return outcomes.some((o) => o.notes.some((n) => n.severity === 'error')) ? 1 : 0;
}
