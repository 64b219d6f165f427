/**
 * nianbao.yaml: the county's defaults and settings for every report of a workspace. Loading it
 * checks every key (unknown keys, wrong types) and every path: a path must stay inside the
 * workspace folder, so a shared CI runner never reads or writes outside the checkout.
 */
import { spanOn, WHOLE_FILE } from '../../diagnostics/diagnostic.js';
import type { Hash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { readFailureReason, UserError } from '../../diagnostics/errors.js';
import type { FontOverrides } from '../../render/docx/index.js';
import { FONT_ROLES, type FontRole } from '../../render/layout.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../render/formats.js';
import { fontFileProblem } from '../../render/pdf/font-files.js';
import { pdfGlyphCoverage } from '../../render/pdf/coverage.js';
import { unpublishable } from '../../validate/characters.js';
import { ruleHint } from '../../validate/diagnostic.js';
import { YamlSource, type Position } from './source.js';
import { readTuning, type Tuning } from '../checks/tuning.js';

export const CONFIG_FILE = 'nianbao.yaml';

export { OUTPUT_FORMATS, type OutputFormat };
/** Keys of a role under `fonts`: the PDF font file (and face of a .ttc), the face name the docx names. */
const FONT_SETTING_KEYS: readonly string[] = ['file', 'face', 'word'];

/** Agency keys a county may default (the report's own `agency` keys always win). */
export const AGENCY_DEFAULT_KEYS = ['parent', 'office', 'phone', 'address', 'postcode', 'website'] as const;
export type AgencyDefaultKey = (typeof AGENCY_DEFAULT_KEYS)[number];

export interface FontSetting {
  /** Absolute path, checked to lie inside the workspace. */
  readonly file: string;
  readonly face?: string;
}

export interface WorkspaceConfig {
  /** Absolute, real path of the workspace folder (where nianbao.yaml is). */
  readonly root: string;
  /** Absolute path of nianbao.yaml. */
  readonly configFile: string;
  /** Defaults for `agency` (strings may use {name} {short} {year}). */
  readonly agency: Partial<Record<AgencyDefaultKey, string>>;
  /** Absolute folders searched (recursively) for report files. */
  readonly reports: readonly string[];
  /** Absolute county template folder (overrides the bundled templates file by file), if any. */
  readonly templates?: string;
  /** PDF font files per role. */
  readonly fonts: Partial<Record<FontRole, FontSetting>>;
  /**
   * Face names the docx names per role (`word:` under a role of `fonts`); roles left out keep the
   * official names (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312, 宋体). docx embeds no font.
   */
  readonly wordFonts: FontOverrides;
  /** Absolute output folder. */
  readonly output: string;
  /** Output path pattern relative to the output folder, without extension. */
  readonly fileName: string;
  readonly formats: readonly OutputFormat[];
  /**
   * 内容雷同 thresholds: the share of a text's 5-character passages found in the same agency's previous
   * report, and in another agency's report.
   */
  readonly similarity: { readonly previous: number; readonly others: number };
  /** severities, section rules and waivers (src/workspace/checks/tuning.ts) */
  readonly tuning: Tuning;
}

export const DEFAULTS = {
  reports: ['reports'],
  output: 'out',
  fileName: '{year}/{short}',
  formats: OUTPUT_FORMATS,
  // Evaluators deduct when more than half of a report repeats last year's; another agency's is held to 80%.
  similarity: { previous: 0.5, others: 0.8 },
} as const;

const SIMILARITY_RANGE = '0.3 到 1 之间的数';

/** `checks.similarity`: one share for both comparisons, or `{ previous, others }`. */
function similarityOf(source: YamlSource, value: unknown): WorkspaceConfig['similarity'] {
  const share = (v: unknown, path: string[]) => {
    if (typeof v !== 'number' || v < 0.3 || v > 1) throw configError(source, source.locate(path), `「${path.join('.')}」应为${SIMILARITY_RANGE}（内容雷同的判定阈值：相同文字所占的比例）`);
    return v;
  };
  if (typeof value === 'number') return { previous: share(value, ['checks', 'similarity']), others: value };
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw configError(source, source.locate(['checks', 'similarity']), '「checks.similarity」应为一个数，或 { previous: 0.5, others: 0.8 }（与本机关上年报告、与其他机关报告比较的阈值）');
  }
  const out: { previous: number; others: number } = { ...DEFAULTS.similarity };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (key !== 'previous' && key !== 'others') throw configError(source, source.locateKey(['checks', 'similarity', key]), `「checks.similarity」下未知的键「${key}」。可用：previous（本机关上年报告）、others（其他机关报告）`);
    out[key] = share(v, ['checks', 'similarity', key]);
  }
  return out;
}

/** Placeholders allowed in `file_name` and in agency defaults. */
export const PLACEHOLDERS = ['{name}', '{short}', '{year}', '{file}'] as const;

const TOP_KEYS = ['agency', 'reports', 'templates', 'fonts', 'output', 'file_name', 'formats', 'checks', 'waivers'] as const;

/** Walks up from `start` (a file or folder) to the nearest folder holding nianbao.yaml. */
export function findWorkspaceRoot(start: string): string | undefined {
  let dir = path.resolve(start);
  if (existsSync(dir) && !isDirectory(dir)) dir = path.dirname(dir);
  for (;;) {
    if (existsSync(path.join(dir, CONFIG_FILE))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** An error in nianbao.yaml: exit 2, with file:line:col. */
function configError(source: YamlSource, at: Position, message: string, hint?: string): UserError {
  return new UserError(`${source.file}:${at.line}:${at.col} 错误 WS-CONFIG ${message}${hint ? `\n  = 提示：${hint}` : ''}`, 2);
}

/** How to mend a folder path of nianbao.yaml that names nothing. */
const MISSING_FOLDER_HINT = '路径相对于工作区文件夹（nianbao.yaml 所在的文件夹）：核对拼写，或先建好这个文件夹';

/**
 * Resolves a workspace-relative path and refuses anything that leaves the workspace: absolute
 * paths, `..` escapes, and symbolic links pointing outside.
 */
export function resolveInside(root: string, value: string, describe: () => { source: YamlSource; at: Position; key: string }): string {
  const fail = (why: string) => {
    const { source, at, key } = describe();
    return configError(source, at, `「${key}」的路径「${value}」${why}。nianbao.yaml 中的路径必须是工作区（${root}）内的相对路径。`);
  };
  if (value.trim() === '') throw fail('为空');
  if (path.isAbsolute(value) || /^[a-zA-Z]:[\\/]/.test(value) || value.startsWith('\\\\')) throw fail('是绝对路径');
  const absolute = path.resolve(root, value);
  if (!isWithin(root, absolute)) throw fail('超出了工作区文件夹');
  // A symbolic link inside the workspace may still lead out of it: check the real path of the
  // longest existing prefix.
  let probe = absolute;
  while (!existsSync(probe) && probe !== root) probe = path.dirname(probe);
  if (!isWithin(root, realpathSync(probe))) throw fail('经符号链接指向了工作区之外');
  return absolute;
}

export function isWithin(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Reads and checks nianbao.yaml in `root`. Errors are CliErrors with file:line:col. */
export function loadWorkspaceConfig(rootDir: string): WorkspaceConfig {
  const root = realpathSync(path.resolve(rootDir));
  const configFile = path.join(root, CONFIG_FILE);
  const display = path.relative(process.cwd(), configFile) || CONFIG_FILE;
  let source: YamlSource;
  try {
    source = YamlSource.read(configFile, display);
  } catch (error) {
    const why = readFailureReason(error) ?? (error as Error).message;
    throw new UserError(`无法读取 ${display}：${why}`, 2);
  }
  const firstError = source.doc.errors[0];
  if (firstError) {
    const [offset] = firstError.pos;
    const lines = source.text.slice(0, offset).split('\n');
    throw configError(source, spanOn(lines.length, lines.at(-1)!.length + 1), `YAML 语法错误：${firstError.message.split('\n')[0]}`);
  }
  const raw = source.data() ?? {};
  if (typeof raw !== 'object' || Array.isArray(raw) || raw === null) throw configError(source, WHOLE_FILE, 'nianbao.yaml 应为键值映射（例如 output: out）');
  const data = raw as Record<string, unknown>;
  const at = (...p: (string | number)[]) => source.locate(p);
  const where = (key: string, ...p: (string | number)[]) => () => ({ source, at: at(...p), key });

  for (const key of Object.keys(data)) {
    if (!(TOP_KEYS as readonly string[]).includes(key)) {
      throw configError(source, source.locateKey([key]), `未知的设置「${key}」。可用的设置：${TOP_KEYS.join('、')}`);
    }
  }

  const str = (value: unknown, key: string, ...p: (string | number)[]): string => {
    if (typeof value !== 'string') throw configError(source, at(...p), `「${key}」应为文字（字符串）`);
    return value;
  };

  // agency defaults
  const agency: Partial<Record<AgencyDefaultKey, string>> = {};
  if (data.agency !== undefined && data.agency !== null) {
    if (typeof data.agency !== 'object' || Array.isArray(data.agency)) throw configError(source, at('agency'), '「agency」应为键值映射（例如 website: https://…）');
    for (const [key, value] of Object.entries(data.agency as Record<string, unknown>)) {
      if (key === 'name') throw configError(source, source.locateKey(['agency', key]), '「agency.name」不能设默认值：每份报告必须写明自己的机关名称');
      if (!(AGENCY_DEFAULT_KEYS as readonly string[]).includes(key)) {
        throw configError(source, source.locateKey(['agency', key]), `「agency」下未知的键「${key}」。可设默认值的键：${AGENCY_DEFAULT_KEYS.join('、')}`);
      }
      agency[key as AgencyDefaultKey] = typeof value === 'number' ? String(value) : str(value, `agency.${key}`, 'agency', key);
    }
  }

  const list = (value: unknown, key: string): string[] => {
    if (value === undefined || value === null) return [];
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) return value.map((v, i) => str(v, `${key}[${i + 1}]`, key, i));
    throw configError(source, at(key), `「${key}」应为一个路径或路径列表`);
  };

  const reportDirs = list(data.reports, 'reports');
  const reportAt = (i: number) => (Array.isArray(data.reports) ? ['reports', i] : ['reports']);
  const reports = (reportDirs.length > 0 ? reportDirs : [...DEFAULTS.reports]).map((dir, i) => resolveInside(root, dir, where('reports', ...reportAt(i))));
  // a folder named in nianbao.yaml that is not there: said at its line (a missing default folder is the
  // check's "no reports" message)
  reportDirs.forEach((dir, i) => {
    if (!existsSync(reports[i])) throw configError(source, at(...reportAt(i)), `报告文件夹「${dir}」不存在`, MISSING_FOLDER_HINT);
  });

  const templates = data.templates === undefined || data.templates === null ? undefined : resolveInside(root, str(data.templates, 'templates', 'templates'), where('templates', 'templates'));
  if (templates !== undefined && !existsSync(templates)) throw configError(source, at('templates'), `模板文件夹「${String(data.templates)}」不存在`, MISSING_FOLDER_HINT);

  const fonts: Partial<Record<FontRole, FontSetting>> = {};
  const wordFonts: Record<string, { eastAsia?: string; latin?: string }> = {};
  if (data.fonts !== undefined && data.fonts !== null) {
    if (typeof data.fonts !== 'object' || Array.isArray(data.fonts)) throw configError(source, at('fonts'), '「fonts」应为键值映射（例如 body: fonts/仿宋.ttf）');
    for (const [role, value] of Object.entries(data.fonts as Record<string, unknown>)) {
      if (!(FONT_ROLES as readonly string[]).includes(role)) throw configError(source, source.locateKey(['fonts', role]), `「fonts」下未知的字体角色「${role}」。可用：${FONT_ROLES.join('、')}`);
      const shape = `「fonts.${role}」应为字体文件路径，或 { file: 路径, face: 字体名, word: Word 中的字体名 }`;
      let file: string | undefined;
      let face: string | undefined;
      if (typeof value === 'string') file = value;
      else if (value && typeof value === 'object' && !Array.isArray(value)) {
        const setting = value as Record<string, unknown>;
        for (const key of Object.keys(setting)) {
          if (!FONT_SETTING_KEYS.includes(key)) throw configError(source, source.locateKey(['fonts', role, key]), `「fonts.${role}」下未知的键「${key}」。可用：${FONT_SETTING_KEYS.join('、')}`);
        }
        if (setting.file !== undefined) file = str(setting.file, `fonts.${role}.file`, 'fonts', role, 'file');
        if (setting.face !== undefined) face = str(setting.face, `fonts.${role}.face`, 'fonts', role, 'face');
        if (setting.word !== undefined) wordFonts[role] = wordFaces(setting.word, role);
        if (file === undefined && face !== undefined) throw configError(source, at('fonts', role), `「fonts.${role}」有 face 而没有 file：face 是 file 所指字体集（.ttc）中的字体名`);
        if (file === undefined && setting.word === undefined) throw configError(source, at('fonts', role), shape);
      } else throw configError(source, at('fonts', role), shape);
      if (file === undefined) continue;
      const absolute = resolveInside(root, file, where(`fonts.${role}`, ...(typeof value === 'string' ? ['fonts', role] : ['fonts', role, 'file'])));
      if (!existsSync(absolute)) throw configError(source, at('fonts', role), `字体文件「${file}」不存在`);
      // before anything reads it: a FIFO or a device would block the build forever
      const problem = isDirectory(absolute) ? '是一个文件夹，不是文件' : fontFileProblem(absolute);
      if (problem) throw configError(source, at('fonts', role), `字体文件「${file}」${problem}`);
      fonts[role as FontRole] = face === undefined ? { file: absolute } : { file: absolute, face };
    }
  }

  const output = resolveInside(root, data.output === undefined || data.output === null ? DEFAULTS.output : str(data.output, 'output', 'output'), where('output', 'output'));
  if (output === root) throw configError(source, at('output'), '「output」不能是工作区根目录本身，请使用子文件夹（例如 out）');

  const fileName = data.file_name === undefined || data.file_name === null ? DEFAULTS.fileName : str(data.file_name, 'file_name', 'file_name');
  checkFileNamePattern(fileName, () => at('file_name'), source);

  let formats: OutputFormat[] = [...DEFAULTS.formats];
  if (data.formats !== undefined && data.formats !== null) {
    const given = list(data.formats, 'formats');
    for (const [i, f] of given.entries()) {
      if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) throw configError(source, at('formats', i), `未知的输出格式「${f}」。可用：${OUTPUT_FORMATS.join('、')}`);
    }
    if (given.length === 0) throw configError(source, at('formats'), '「formats」至少要有一种格式');
    formats = OUTPUT_FORMATS.filter((f) => given.includes(f));
  }

  let similarity: WorkspaceConfig['similarity'] = DEFAULTS.similarity;
  let checks: Record<string, unknown> | undefined;
  if (data.checks !== undefined && data.checks !== null) {
    if (typeof data.checks !== 'object' || Array.isArray(data.checks)) throw configError(source, at('checks'), '「checks」应为键值映射（例如 similarity: { previous: 0.5, others: 0.8 }）');
    checks = data.checks as Record<string, unknown>;
    for (const [key, value] of Object.entries(checks)) {
      if (key === 'similarity') similarity = similarityOf(source, value);
      else if (key !== 'severity' && key !== 'sections') throw configError(source, source.locateKey(['checks', key]), `「checks」下未知的键「${key}」。可用：similarity、severity、sections`);
    }
  }
  const tuning = readTuning(source, checks, data.waivers, (position, message) => configError(source, position, message));

  // the defaults are printed in every report: held to the same character rule as a report's own text
  const glyphs = pdfGlyphCoverage(fonts);
  for (const [key, value] of Object.entries(agency)) {
    const [problem] = unpublishable(value, `「agency.${key}」`, ['title', 'body'], glyphs);
    // a config error is one text: the fix (a diagnostic's hint) follows the message
    if (problem) throw configError(source, at('agency', key), `${problem.rule}：${problem.message}；${problem.hint ?? ruleHint(problem.rule)}`);
  }

  return { root, configFile, agency, reports, ...(templates ? { templates } : {}), fonts, wordFonts, output, fileName, formats, similarity, tuning };

  /** `word: 方正仿宋_GBK` (the East Asian face) or `word: { eastAsia: …, latin: … }`. */
  function wordFaces(value: unknown, role: string): { eastAsia?: string; latin?: string } {
    const faceName = (v: unknown, key: string, ...p: (string | number)[]): string => {
      const name = str(v, key, ...p).trim();
      // A face name is written into the docx as is: no empty names, no line breaks or control characters.
      if (name === '' || /[\u0000-\u001f\u007f]/.test(name)) throw configError(source, at(...p), `「${key}」应为字体名称（例如 方正仿宋_GBK），不能为空或含控制字符`);
      return name;
    };
    if (typeof value === 'string') return { eastAsia: faceName(value, `fonts.${role}.word`, 'fonts', role, 'word') };
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const faces: { eastAsia?: string; latin?: string } = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        if (key !== 'eastAsia' && key !== 'latin') throw configError(source, source.locateKey(['fonts', role, 'word', key]), `「fonts.${role}.word」下未知的键「${key}」。可用：eastAsia（中文字体）、latin（西文和数字字体）`);
        faces[key] = faceName(v, `fonts.${role}.word.${key}`, 'fonts', role, 'word', key);
      }
      if (faces.eastAsia !== undefined || faces.latin !== undefined) return faces;
    }
    throw configError(source, at('fonts', role, 'word'), `「fonts.${role}.word」应为 Word 中的字体名（例如 方正仿宋_GBK），或 { eastAsia: 中文字体名, latin: 西文字体名 }`);
  }
}

function checkFileNamePattern(pattern: string, at: () => Position, source: YamlSource): void {
  const control = /[\u0000-\u001f\u007f]/.exec(pattern);
  if (control) {
    const code = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw configError(source, at(), `「file_name」在第 ${control.index + 1} 个字符处含有控制字符 ${code}${code === 'U+0000' ? '（空字符 NUL）' : ''}，文件名中不能有控制字符；请删除它`);
  }
  const unknown = pattern.match(/\{[^}]*\}/g)?.filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown && unknown.length > 0) throw configError(source, at(), `「file_name」中未知的占位符 ${unknown.join('、')}。可用：${PLACEHOLDERS.join('、')}`);
  if (path.isAbsolute(pattern) || pattern.split(/[\\/]/).some((part) => part === '..' || part === '')) {
    throw configError(source, at(), `「file_name」「${pattern}」必须是输出文件夹内的相对路径（不能以 / 开头，不能含 ..）`);
  }
  if (!pattern.includes('{name}') && !pattern.includes('{short}') && !pattern.includes('{file}')) {
    throw configError(source, at(), `「file_name」「${pattern}」应包含 {name}、{short} 或 {file}，否则各机关的报告会互相覆盖`);
  }
}

/**
 * The county's PDF font files into `hash`, role by role: the role, the file where the workspace names
 * it, its face and its bytes (a checkout does not keep modification times, so the bytes are what tells
 * a changed font). For the digests of results made with them: the check's memory and the build's manifest.
 */
export function hashCountyFonts(hash: Hash, config: WorkspaceConfig): void {
  for (const [role, font] of Object.entries(config.fonts).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!font) continue;
    hash.update(`font ${role} ${path.relative(config.root, font.file)} ${font.face ?? ''}\0`).update(readFileSync(font.file));
  }
}
