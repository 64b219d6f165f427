/**
 * YAML text → data with positions. Syntax problems are turned into Chinese diagnostics here, the
 * common Chinese-keyboard traps (full-width colon, tab indentation) named as such.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { DataPath } from '../validate/types.js';

export interface YamlProblem {
  readonly line: number;
  readonly col: number;
  readonly rule: string;
  readonly message: string;
  /** false when the problem leaves the structure unusable (exit 2) */
  readonly fatal: boolean;
}

export interface LoadedYaml {
  readonly doc: Document.Parsed;
  readonly data: unknown;
  readonly problems: readonly YamlProblem[];
  /** line:col of the node at a path (nearest existing ancestor when missing); 1:1 for the root */
  locate(path: DataPath): { line: number; col: number };
  /** line:col of the key of a mapping entry (for unknown keys) */
  locateKey(path: DataPath): { line: number; col: number };
}

// A key, then a full-width colon: `received： [..]` written with a Chinese input method.
const FULLWIDTH_KEY = /^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_]*)\s*：/;
// Any short key before a full-width colon (`规章：`): only taken as such where YAML broke on that line,
// since narrative text is full of full-width colons.
const FULLWIDTH_ANY_KEY = /^(\s*(?:-\s+)?)([^\s#'"[\]{},:：|>-][^:：#\s]{0,30})\s*：/;

// `key: -` (a dash where a figure belongs), or a dash as an item of a flow row `[0, -, 0]`
const LONE_DASH_VALUE = /^\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*):\s+-(?=\r?$|\s+#|\s*\r?$)/;
const LONE_DASH_ITEM = /(?<=[[,]\s*)-(?=\s*[,\]])/g;

const SYNTAX_HINTS: Record<string, string> = {
  MISSING_CHAR: '缺少配对的引号或括号',
  UNEXPECTED_TOKEN: '此处有多余或不该出现的符号（如连续的逗号 “, ,” 表示漏填了一个数：没有发生的填 0）',
  BLOCK_AS_IMPLICIT_KEY: '缩进有误，或键后缺少冒号与空格',
  MULTILINE_IMPLICIT_KEY: '缩进有误，或键后缺少冒号与空格（“键: 值”，冒号后要有空格）',
  BAD_INDENT: '缩进不一致：同一层级的键要对齐',
  MISSING_KEY: '缺少键名',
  UNEXPECTED_FLOW_COLLECTION: '方括号或花括号位置有误',
  BAD_DIRECTIVE: '无效的指令行',
  MULTIPLE_DOCS: '文件中有多个 YAML 文档（“---” 分隔）：一个文件只写一份报告',
  IMPOSSIBLE: '无法解析',
};

export interface LoadOptions {
  /** Keys whose value is a single figure: a lone `-` after them is a placeholder, not a list. */
  readonly cellKeys?: ReadonlySet<string>;
}

/**
 * A lone `-` where a figure belongs (`issued: -`, `[0, -, 0]`) means "nothing" to a clerk but starts
 * a list in YAML, which breaks the parse. It is swapped for DASH_STANDIN (one character, so every
 * column stays put) and reported by the cell checks as the placeholder it is.
 */
export const DASH_STANDIN = '\uE000';

function standInDashes(text: string, cellKeys: ReadonlySet<string> | undefined): string {
  return text
    .split('\n')
    .map((line) => {
      const value = LONE_DASH_VALUE.exec(line);
      if (value && (!cellKeys || cellKeys.has(value[1]))) return `${line.slice(0, value.index + value[0].length - 1)}${DASH_STANDIN}${line.slice(value.index + value[0].length)}`;
      if (!/^[^#]*\[/.test(line)) return line;
      return line.replace(LONE_DASH_ITEM, DASH_STANDIN);
    })
    .join('\n');
}

export function loadYaml(source: string, options: LoadOptions = {}): LoadedYaml {
  const text = standInDashes(source, options.cellKeys);
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml must not print warnings (e.g. about odd keys) to the user's terminal
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const lines = text.split(/\r?\n/);
  const problems: YamlProblem[] = [];

  // Lines that continue a multi-line text (block scalars, wrapped narrative): never keys.
  const textLines = new Set<number>();
  visit(doc, {
    Scalar(_, node) {
      if (!node.range) return;
      const first = lineCounter.linePos(node.range[0]).line;
      const last = lineCounter.linePos(node.range[1]).line;
      for (let l = first + 1; l <= last; l++) textLines.add(l);
    },
  });

  const fullwidthLines = new Set<number>();
  lines.forEach((content, i) => {
    const m = FULLWIDTH_KEY.exec(content);
    if (!m || textLines.has(i + 1)) return;
    fullwidthLines.add(i + 1);
    problems.push({
      line: i + 1,
      col: content.indexOf('：', m[1].length) + 1,
      rule: 'FULLWIDTH-COLON',
      message: `「${m[2]}：」用了全角冒号「：」（中文输入法）：键后应写半角冒号加空格，如「${m[2]}: 」`,
      fatal: true,
    });
  });

  const errorLines = new Set(doc.errors.map((e) => lineCounter.linePos(e.pos[0]).line));
  lines.forEach((content, i) => {
    if (fullwidthLines.has(i + 1) || textLines.has(i + 1) || !(errorLines.has(i + 1) || errorLines.has(i + 2))) return;
    const m = FULLWIDTH_ANY_KEY.exec(content);
    if (!m) return;
    fullwidthLines.add(i + 1);
    const ascii = /^[\x00-\x7f]+$/.test(m[2]) ? '' : '；键名要用英文（如 rules、received），可对照 nianbao init 生成的模板';
    problems.push({
      line: i + 1,
      col: content.indexOf('：', m[1].length) + 1,
      rule: 'FULLWIDTH-COLON',
      message: `「${m[2]}：」用了全角冒号「：」（中文输入法）：键后应写半角冒号加空格${ascii}`,
      fatal: true,
    });
  });

  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    if (fullwidthLines.has(line) || fullwidthLines.has(line - 1)) continue;
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^\s*(?:-\s+)?["']?([^:"'\s]+)/.exec(lines[line - 1]?.slice(col - 1) ?? '')?.[1] ?? '';
      problems.push({ line, col, rule: 'YAML-DUP-KEY', message: `键「${key}」在同一层级重复出现：每个键只能写一次，请删除或合并重复的一项`, fatal: false });
    } else if (error.code === 'TAB_AS_INDENT') {
      problems.push({ line, col, rule: 'YAML-TAB', message: '用了制表符（Tab）缩进：YAML 只能用空格缩进，请把 Tab 换成空格', fatal: true });
    } else {
      const hint = SYNTAX_HINTS[error.code] ?? '格式有误';
      const detail = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      problems.push({ line, col, rule: 'YAML-SYNTAX', message: `YAML 语法错误：${hint}（${detail}）`, fatal: true });
    }
  }
  const fatal = problems.some((p) => p.fatal);
  const data = fatal ? undefined : doc.toJS({ maxAliasCount: 100 });

  const pos = (offset: number | undefined) => (offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset));

  const nodeAt = (path: DataPath): { node: Node | undefined; depth: number } => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (node && typeof node === 'object' && 'range' in node && (node as Node).range) return { node: node as Node, depth };
    }
    return { node: undefined, depth: 0 };
  };

  const keyNode = (path: DataPath): Node | undefined => {
    if (path.length === 0) return undefined;
    const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
    if (!isMap(parent)) return undefined;
    const last = String(path.at(-1));
    const pair = parent.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === last);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  };

  return {
    doc,
    data,
    problems,
    locate(path) {
      const { node, depth } = nodeAt(path);
      // A missing child: point at its parent's key, where the clerk would add it.
      if (depth < path.length) {
        const key = depth > 0 ? keyNode(path.slice(0, depth)) : undefined;
        return pos((key ?? node)?.range?.[0]);
      }
      // An empty value (`key:`) has no text of its own: point at its key.
      if (node && isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1]) {
        const key = keyNode(path);
        if (key) return pos(key.range?.[0]);
      }
      // A collection: point at its key (the line the clerk recognises), not its first item.
      if (node && (isMap(node) || isSeq(node))) {
        const key = keyNode(path);
        if (key) return pos(key.range?.[0]);
      }
      return pos(node?.range?.[0]);
    },
    locateKey(path) {
      const key = keyNode(path);
      return key ? pos(key.range?.[0]) : this.locate(path);
    },
  };
}
