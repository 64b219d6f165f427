/**
 * What `nianbao config <report>` shows: a report's effective values once nianbao.yaml applies, and
 * where each came from.
 */
import path from 'node:path';
import type { Agency } from '../../format/report.js';
import { findPrevious } from '../checks/check.js';
import { AGENCY_DEFAULT_KEYS, type OutputFormat, type WorkspaceConfig } from './config.js';
import { discoverReports, toPosix } from './discover.js';
import { mergeAgency, outputFiles, reportStem, type ValueSource } from './effective.js';
import { entryFromSource } from '../checks/entry.js';
import { YamlSource } from './source.js';

export interface EffectiveView {
  readonly report: string;
  readonly workspace: string;
  readonly agency: readonly { key: string; value: string; from: ValueSource }[];
  readonly previous: { file: string; how: 'named' | 'found' } | null;
  readonly templates: string | null;
  readonly fonts: Readonly<Record<string, string>>;
  /** Face names written into the docx, per role (only those nianbao.yaml changes). */
  readonly wordFonts: Readonly<Record<string, string>>;
  readonly outputs: Partial<Record<OutputFormat, string>>;
}

export function effectiveView(config: WorkspaceConfig, reportFile: string): EffectiveView {
  const abs = path.resolve(reportFile);
  const rel = (p: string) => toPosix(path.relative(config.root, p));
  const source = YamlSource.read(abs, reportFile);
  const entry = { ...entryFromSource(abs, source, config), rel: rel(abs) };
  const agency = (entry.data?.agency ?? {}) as Agency;
  const merged = mergeAgency(config, agency, entry.year ?? '', reportStem(abs));
  const keys = ['name', ...AGENCY_DEFAULT_KEYS, ...Object.keys(merged.agency).filter((k) => k !== 'name' && !(AGENCY_DEFAULT_KEYS as readonly string[]).includes(k))];
  const shownAgency = keys
    .filter((k) => merged.sources[k] !== undefined)
    .map((k) => ({ key: k, value: String(merged.agency[k]), from: merged.sources[k] }));
  const others = discoverReports(config).map((f) => (f === abs ? entry : { ...entryFromSource(f, YamlSource.read(f, rel(f)), config), rel: rel(f) }));
  const found = findPrevious(entry, others, config);
  return {
    report: rel(abs),
    workspace: config.root,
    agency: shownAgency,
    previous: found.previous ? { file: found.previous.rel ?? found.previous.file, how: entry.data?.previous !== undefined ? 'named' : 'found' } : null,
    templates: config.templates ? rel(config.templates) : null,
    fonts: Object.fromEntries(Object.entries(config.fonts).map(([role, f]) => [role, `${rel(f!.file)}${f!.face ? `（${f!.face}）` : ''}`])),
    wordFonts: Object.fromEntries(Object.entries(config.wordFonts).map(([role, f]) => [role, [f!.eastAsia, f!.latin].filter(Boolean).join(' / ')])),
    outputs: entry.name && entry.year !== undefined ? Object.fromEntries(Object.entries(outputFiles(config, entry.name, entry.year, abs)).map(([f, p]) => [f, rel(p)])) : {},
  };
}

export function formatEffectiveView(view: EffectiveView): string {
  const width = Math.max(...view.agency.map((a) => a.key.length), 4);
  const lines = [
    `报告：${view.report}`,
    `工作区：${view.workspace}`,
    '机关（agency，右侧为取值来源）：',
    ...view.agency.map((a) => `  ${a.key.padEnd(width)}  ${a.value}    ← ${a.from === 'report' ? '报告' : 'nianbao.yaml 默认值'}`),
    `上年报告：${view.previous ? `${view.previous.file}（${view.previous.how === 'named' ? '由 previous 指定' : '按机关名称和年度找到'}）` : '未找到（不做跨年度核对）'}`,
    `模板：${view.templates ? `${view.templates}（县级，覆盖同名默认模板）` : '默认模板'}`,
    `PDF 字体：${Object.keys(view.fonts).length > 0 ? Object.entries(view.fonts).map(([r, f]) => `${r}=${f}`).join('，') : '默认（随附的 Noto 字体）'}`,
    `Word 字体：${Object.keys(view.wordFonts).length > 0 ? `${Object.entries(view.wordFonts).map(([r, f]) => `${r}=${f}`).join('，')}（其余为公文标准字体名）` : '公文标准字体名（仿宋_GB2312、方正小标宋简体、黑体、楷体_GB2312）'}`,
    '输出文件：',
    ...(Object.keys(view.outputs).length > 0 ? Object.entries(view.outputs).map(([f, p]) => `  ${f.padEnd(4)}  ${p}`) : ['  （报告缺少机关名称或年度，无法确定）']),
  ];
  return `${lines.join('\n')}\n`;
}
