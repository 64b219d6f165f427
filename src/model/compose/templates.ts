/**
 * The Handlebars template set: templates/default/*.hbs, each file also a partial named by its base
 * name, overridden file by file by county folders searched first. `report.hbs` is the entry.
 *
 * Templates emit a tiny XML-like markup (see markup.ts); Handlebars' `{{x}}` escaping keeps data from
 * adding structure, and `{{{x}}}` is refused so no template can switch that off. Every file is checked
 * when loaded (Handlebars syntax, known partials, well-formed markup), so a template error names its
 * file and line before any report is built. Compiled once per process and folder list.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../../format/paths.js';
import { ELEMENTS } from './markup.js';

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export const DEFAULT_TEMPLATE_DIR = path.join(templatesDir, 'default');
const ENTRY = 'report';
const COMPILE_OPTIONS = { strict: true, knownHelpersOnly: true } as const;

interface TemplateFile {
  readonly name: string;
  readonly file: string;
  readonly source: string;
}

export type RenderTemplates = (context: object) => string;

const cache = new Map<string, RenderTemplates>();

/** The compiled template set for these override folders (searched in order, then the default). */
export function loadTemplates(templateDirs: readonly string[] = []): RenderTemplates {
  const dirs = [...templateDirs.map((d) => path.resolve(d)), DEFAULT_TEMPLATE_DIR];
  const key = dirs.join('\0');
  let render = cache.get(key);
  if (!render) {
    render = compileSet(collect(dirs));
    cache.set(key, render);
  }
  return render;
}

/** Drops every compiled template set: the live preview calls it when a template file changes on disk. */
export function forgetTemplates(): void {
  cache.clear();
}

/** The winning file for every template name: the first folder that has it. */
function collect(dirs: readonly string[]): Map<string, TemplateFile> {
  const files = new Map<string, TemplateFile>();
  for (const dir of dirs) {
    if (!existsSync(dir)) throw new TemplateError(`模板目录不存在：${dir}`);
    if (!statSync(dir).isDirectory()) throw new TemplateError(`模板目录不是文件夹（是一个文件）：${dir}`);
    for (const entry of readdirSync(dir).sort()) {
      if (!entry.endsWith('.hbs')) continue;
      const name = entry.slice(0, -'.hbs'.length);
      if (files.has(name)) continue;
      const file = path.join(dir, entry);
      files.set(name, { name, file, source: readTemplate(dir, file) });
    }
  }
  if (!files.has(ENTRY)) throw new TemplateError(`模板目录中没有入口模板 ${ENTRY}.hbs：${dirs.join('，')}`);
  return files;
}

/** Larger than any template could reasonably be (the default set is a few KB). */
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/**
 * A template file's text, refused when it is not a regular file inside its folder: a symbolic link
 * leading out of the template folder (`leak.hbs → /etc/passwd` would be published), a FIFO or device
 * (a read that never ends), or a file too large to be a template.
 */
function readTemplate(dir: string, file: string): string {
  const realDir = realpathSync(dir);
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    throw new TemplateError(`模板 ${file} 是指向不存在文件的符号链接`);
  }
  const rel = path.relative(realDir, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new TemplateError(`模板 ${file} 是指向模板文件夹之外（${real}）的符号链接，不能使用；请把模板文件本身放进模板文件夹`);
  }
  const stat = statSync(real);
  if (!stat.isFile()) throw new TemplateError(`模板 ${file} 不是普通文件（可能是管道或设备），不能读取`);
  if (stat.size > MAX_TEMPLATE_BYTES) throw new TemplateError(`模板 ${file} 大小 ${stat.size} 字节，超过模板文件的上限 ${MAX_TEMPLATE_BYTES} 字节`);
  return readFileSync(real, 'utf8');
}

function lineOf(source: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < source.length; i++) if (source[i] === '\n') line++;
  return line;
}

function fail(t: TemplateFile, line: number, message: string): never {
  throw new TemplateError(`模板 ${t.file} 第${line}行：${message}`);
}

/**
 * Handlebars syntax and partial references; unescaped output, dynamic partials, partial blocks and
 * decorators are refused. Returns the partials the file uses (for the recursion check).
 */
function checkHandlebars(t: TemplateFile, known: ReadonlySet<string>): Map<string, number> {
  const uses = new Map<string, number>();
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(t.source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message)?.[1];
    const lines = message.split('\n');
    fail(t, line ? Number(line) : 1, `Handlebars 语法错误：${lines.length > 1 ? `${lines[0]} ${lines.at(-1)}` : lines[0]}`);
  }
  const visit = (node: hbs.AST.Node | null | undefined): void => {
    if (!node) return;
    const line = node.loc?.start.line ?? 1;
    switch (node.type) {
      case 'Program':
        (node as hbs.AST.Program).body.forEach(visit);
        return;
      case 'MustacheStatement':
        // the parsed form of {{{x}}}, {{&x}}, {{~{x}~}} and every other spelling of unescaped output
        if (!(node as hbs.AST.MustacheStatement).escaped) fail(t, line, '不允许使用 {{{ }}} 或 {{& }}（不转义输出），请改用 {{ }}');
        return;
      case 'BlockStatement': {
        const block = node as hbs.AST.BlockStatement;
        visit(block.program);
        visit(block.inverse);
        return;
      }
      case 'PartialStatement': {
        const partial = node as hbs.AST.PartialStatement;
        if (partial.name.type !== 'PathExpression') fail(t, line, '不允许使用动态 partial');
        const name = (partial.name as hbs.AST.PathExpression).original;
        if (!known.has(name)) fail(t, line, `引用了不存在的 partial「${name}」（可用：${[...known].sort().join('、')}）`);
        if (!uses.has(name)) uses.set(name, line);
        return;
      }
      case 'PartialBlockStatement':
      case 'DecoratorBlock':
      case 'Decorator':
        fail(t, line, `不允许使用 ${node.type}`);
    }
  };
  visit(ast);
  return uses;
}

/**
 * A partial that includes itself, directly or through others, would recurse until the stack runs out:
 * refused with the chain (report → section → report).
 */
function checkRecursion(files: ReadonlyMap<string, TemplateFile>, uses: ReadonlyMap<string, ReadonlyMap<string, number>>): void {
  const done = new Set<string>();
  const walk = (name: string, chain: string[]): void => {
    if (chain.includes(name)) {
      const cycle = [...chain.slice(chain.indexOf(name)), name];
      const from = cycle.at(-2)!;
      fail(files.get(from)!, uses.get(from)!.get(name)!, `partial 递归引用：${cycle.join(' → ')}（模板不能直接或间接引用自身）`);
    }
    if (done.has(name)) return;
    for (const next of [...(uses.get(name)?.keys() ?? [])].sort()) walk(next, [...chain, name]);
    done.add(name);
  };
  for (const name of [...files.keys()].sort()) walk(name, []);
}

/**
 * The markup of one file, with every mustache blanked: known elements only, balanced within the
 * file, allowed attributes, and `<` / `&` only as markup (a literal one is written `&lt;` / `&amp;`).
 */
function checkMarkup(t: TemplateFile): void {
  const blank = t.source.replace(/\{\{!--[\s\S]*?--\}\}|\{\{[\s\S]*?\}\}/g, (m) => m.replace(/[^\n]/g, ' '));
  const stack: { name: string; offset: number }[] = [];
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*\s*=\s*"[^"<>]*")*)\s*(\/?)>/y;
  for (let i = 0; i < blank.length; i++) {
    const ch = blank[i];
    if (ch === '&') {
      if (!/^&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/.test(blank.slice(i, i + 12))) fail(t, lineOf(blank, i), '字符 & 须写作 &amp;');
      continue;
    }
    if (ch !== '<') continue;
    tag.lastIndex = i;
    const m = tag.exec(blank);
    if (!m) fail(t, lineOf(blank, i), `无法识别的标记「${blank.slice(i, i + 20).split('\n')[0]}」（字符 < 须写作 &lt;）`);
    const [whole, closing, name, attrs, selfClosing] = m;
    const spec = ELEMENTS[name];
    if (!spec) fail(t, lineOf(blank, i), `未知的元素 <${name}>（可用：${Object.keys(ELEMENTS).join('、')}）`);
    for (const a of attrs.matchAll(/([A-Za-z][\w-]*)\s*=/g)) {
      if (!spec.attributes.includes(a[1])) fail(t, lineOf(blank, i), `元素 <${name}> 没有属性 ${a[1]}`);
    }
    if (closing) {
      const open = stack.pop();
      if (!open) fail(t, lineOf(blank, i), `多余的结束标记 </${name}>`);
      if (open.name !== name) fail(t, lineOf(blank, i), `结束标记 </${name}> 与第${lineOf(blank, open.offset)}行的 <${open.name}> 不匹配`);
    } else if (!selfClosing) {
      if (spec.empty) fail(t, lineOf(blank, i), `元素 <${name}> 须写成自闭合形式 <${name} … />`);
      stack.push({ name, offset: i });
    }
    i += whole.length - 1;
  }
  const open = stack.pop();
  if (open) fail(t, lineOf(blank, open.offset), `元素 <${open.name}> 没有结束标记`);
}

function compileSet(files: Map<string, TemplateFile>): RenderTemplates {
  const hb = Handlebars.create();
  const known = new Set(files.keys());
  const uses = new Map<string, Map<string, number>>();
  for (const t of files.values()) {
    uses.set(t.name, checkHandlebars(t, known));
    checkMarkup(t);
  }
  checkRecursion(files, uses);
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const t of files.values()) {
    const fn = hb.compile(t.source, COMPILE_OPTIONS);
    // A runtime error (strict mode: a field the context does not have) is tagged with the innermost file.
    const wrapped = ((context: unknown, options?: Handlebars.RuntimeOptions) => {
      try {
        return fn(context, options);
      } catch (error) {
        throw toTemplateError(error, t);
      }
    }) as Handlebars.TemplateDelegate;
    compiled.set(t.name, wrapped);
    hb.registerPartial(t.name, wrapped);
  }
  const entry = compiled.get(ENTRY)!;
  return (context) => entry(context);
}

function toTemplateError(error: unknown, t: TemplateFile): TemplateError {
  if (error instanceof TemplateError) return error;
  const e = error as { message?: string; lineNumber?: number; column?: number };
  const message = e.message ?? String(error);
  const missing = /^"([^"]+)" not defined in/.exec(message);
  const line = e.lineNumber ?? 1;
  const col = e.column !== undefined ? `第${e.column + 1}列` : '';
  if (missing) return new TemplateError(`模板 ${t.file} 第${line}行${col}：字段「${missing[1]}」不存在（严格模式）`);
  return new TemplateError(`模板 ${t.file} 第${line}行${col}：${message.replace(/ - \d+:\d+$/, '')}`);
}
