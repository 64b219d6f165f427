/**
 * YAML text → data with positions. Syntax problems are turned into Chinese diagnostics here, the
 * common Chinese-keyboard traps (full-width colon, tab indentation) named as such.
 */
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { spanOn, WHOLE_FILE, type DataPath, type Span } from '../diagnostics/diagnostic.js';

export interface YamlProblem extends Span {
  readonly rule: string;
  readonly message: string;
  /** how to fix it, when the rule's own hint says less */
  readonly hint?: string;
  /** false when the problem leaves the structure unusable (exit 2) */
  readonly fatal: boolean;
}

export interface LoadedYaml {
  readonly doc: Document.Parsed;
  /** the text `doc` was parsed from (dash placeholders stood in, see DASH_STANDIN) and its line index */
  readonly text: string;
  readonly lineCounter: LineCounter;
  readonly data: unknown;
  readonly problems: readonly YamlProblem[];
  /**
   * Where the node at a path is written: a scalar's text, a flow row's brackets with its key, a block
   * mapping's or list's key; for a missing path, the key of its nearest existing ancestor (where the
   * clerk adds it); the whole file (1:1) for the root.
   */
  locate(path: DataPath): Span;
  /** The key of a mapping entry (for unknown keys). */
  locateKey(path: DataPath): Span;
  /** A passage quoted from the text at a path (a placeholder in a narrative), else the text's whole span. */
  locateText(path: DataPath, passage: string): Span;
  /** The text of the scalar at a path as the clerk wrote it (`1e309`, not Infinity), if there is one. */
  written(path: DataPath): string | undefined;
  /** Whether the value at a path carries an explicit tag (`!!float 3`): reported as YAML-TAG, its type is no news. */
  tagged(path: DataPath): boolean;
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
  UNEXPECTED_TOKEN: '此处有多余或不该出现的符号（如连续的逗号 “, ,” 表示漏填了一个数）',
  BLOCK_AS_IMPLICIT_KEY: '缩进有误，或键后缺少冒号与空格',
  MULTILINE_IMPLICIT_KEY: '缩进有误，或键后缺少冒号与空格（“键: 值”，冒号后要有空格）',
  BAD_INDENT: '缩进不一致：同一层级的键要对齐',
  MISSING_KEY: '缺少键名',
  UNEXPECTED_FLOW_COLLECTION: '方括号或花括号位置有误',
  BAD_DIRECTIVE: '无效的指令行',
  MULTIPLE_DOCS: '文件中有多个 YAML 文档（“---” 分隔）',
  IMPOSSIBLE: '无法解析',
};

/** A narrative entry written on one line: `  problems: "…"` or `  problems: …` (keys of format/sections.yaml's texts). */
const NARRATIVE_LINE = /^(\s*(?:preface|overview|active|on_request|management|platforms|oversight|problems|other):[ \t]+)(.*)$/;
const BLOCK_FORM = '或改用块格式（键后写「|-」，正文另起一行并缩进，每段一行，其中的引号和冒号都按原样保留）';

/** What to do about a YAML syntax error of a code, when there is more to say than the rule's hint. */
const SYNTAX_FIXES: Record<string, string> = {
  UNEXPECTED_TOKEN: '删去多余的符号；漏填的数补上，没有发生的填 0',
  BLOCK_AS_IMPLICIT_KEY: '同一层级的键对齐；键后写半角冒号加空格，如「name: 」',
  MULTILINE_IMPLICIT_KEY: '同一层级的键对齐；键后写半角冒号加空格，如「name: 」',
  BAD_INDENT: '用空格缩进，使同一层级的键对齐',
  MULTIPLE_DOCS: '一个文件只写一份报告：删去「---」，或把另一份报告存为单独的文件',
};

/**
 * The two ways narrative text breaks YAML on its line, said as such: an ASCII `"` inside a
 * double-quoted text ends the quotes early, and `: ` inside an unquoted text reads as `key: value`.
 */
function narrativeLineProblem(content: string, line: number): YamlProblem | undefined {
  const m = NARRATIVE_LINE.exec(content.replace(/\r$/, ''));
  if (!m || !/[\u3400-\u9fff]/.test(m[2])) return undefined;
  const [, head, value] = m;
  if (value.startsWith('"')) {
    const inner = value.slice(1).search(/(?<!\\)"/);
    if (inner < 0 || inner === value.length - 2) return undefined;
    return {
      ...spanOn(line, head.length + inner + 2),
      rule: 'NARRATIVE-QUOTE',
      message: `正文用半角双引号「"」括起来，文字中间又有半角「"」：它提前结束了引号，后面的文字无法读取`,
      hint: `把文字中的引号改为中文引号“ ”，${BLOCK_FORM}`,
      fatal: true,
    };
  }
  if (/^["'|>]/.test(value)) return undefined;
  const colon = value.search(/:(?=\s|$)/);
  if (colon < 0) return undefined;
  return {
    ...spanOn(line, head.length + colon + 1),
    rule: 'NARRATIVE-COLON',
    message: `正文中有半角冒号加空格「: 」，YAML 把它当作“键: 值”的分隔，整行无法读取`,
    hint: `改为全角冒号「：」，${BLOCK_FORM}`,
    fatal: true,
  };
}

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

/**
 * Flow collections nested deeper than this are refused before composing: yaml's composer recurses
 * and overflows the stack at a few hundred levels, and a real report nests two. (Reports from the
 * corpus at 500 levels are still composed and reported as the wrong type they are.)
 */
export const MAX_NESTING = 512;

/** Lexer tokens that mark structure but are not source text. */
const SYNTHETIC_TOKENS = new Set(['\x02', '\x18', '\x1f']);
const CLOSER: Record<string, string> = { '[': ']', '{': '}' };

interface FlowScan {
  /** offset of the outermost bracket of a run nested deeper than MAX_NESTING */
  readonly tooDeep?: number;
  /** flow collections never closed: the outermost opener, and where the closers belong */
  readonly unclosed: { readonly opener: number; readonly brackets: string; readonly closeAt: number }[];
}

/**
 * One pass of yaml's Lexer (iterative, linear) over the text: how deep flow brackets nest and
 * which `[` / `{` are never closed. The lexer emits every source character exactly once, apart
 * from a few one-character markers, so offsets are the running sum of token lengths.
 */
function scanFlow(text: string): FlowScan {
  const stack: { offset: number; bracket: string }[] = [];
  const unclosed: { opener: number; brackets: string; closeAt: number }[] = [];
  let offset = 0;
  let lastContentEnd = 0;
  const flush = () => {
    if (!stack.length) return;
    unclosed.push({ opener: stack[0].offset, brackets: stack.map((s) => s.bracket).join(''), closeAt: lastContentEnd });
    stack.length = 0;
  };
  for (const token of new Lexer().lex(text)) {
    if (SYNTHETIC_TOKENS.has(token)) {
      if (token === '\x18') flush(); // the lexer gave up on a flow collection: it was never closed
      continue;
    }
    if (token === '[' || token === '{') {
      stack.push({ offset, bracket: token });
      if (stack.length > MAX_NESTING) return { tooDeep: stack[0].offset, unclosed };
    } else if (token === ']' || token === '}') {
      stack.pop();
    }
    offset += token.length;
    if (!/^\s*$/.test(token) && !token.startsWith('#')) lastContentEnd = offset;
  }
  flush();
  return { unclosed };
}

/** `[` and `{` in the text: an upper bound of how deep flow collections can nest. */
function openerCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) count++;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) count++;
  return count;
}

/** The deepest block structure, walked without recursion: the node where nesting passes MAX_NESTING. */
function tooDeepNode(doc: Document.Parsed): Node | undefined {
  const stack: { node: unknown; depth: number; parents: Node[] }[] = [{ node: doc.contents, depth: 1, parents: [] }];
  while (stack.length) {
    const { node, depth, parents } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_NESTING) {
      // point at the start of the run of lists inside lists that got here (what the clerk wrote)
      let at: Node = node;
      for (let i = parents.length - 1; i >= 0 && isSeq(parents[i]); i--) at = parents[i];
      return at;
    }
    const chain = [...parents.slice(-MAX_NESTING), node];
    for (const item of node.items as unknown[]) {
      if (isPair(item)) {
        stack.push({ node: item.key, depth: depth + 1, parents: chain });
        stack.push({ node: item.value, depth: depth + 1, parents: chain });
      } else {
        stack.push({ node: item, depth: depth + 1, parents: chain });
      }
    }
  }
  return undefined;
}

function parseText(text: string): { doc: Document.Parsed; lineCounter: LineCounter } {
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml must not print warnings (e.g. about odd keys) to the user's terminal
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  return { doc, lineCounter };
}

/** Lines that continue a multi-line text (block scalars, wrapped narrative): never keys. */
function continuationLines(doc: Document.Parsed, lineCounter: LineCounter): Set<number> {
  const textLines = new Set<number>();
  visit(doc, {
    Scalar(_, node) {
      if (!node.range) return;
      const first = lineCounter.linePos(node.range[0]).line;
      const last = lineCounter.linePos(node.range[1]).line;
      for (let l = first + 1; l <= last; l++) textLines.add(l);
    },
  });
  return textLines;
}

/** A root cause found on one line, with the edit that removes it (to see what else is wrong). */
interface RootCause {
  readonly problem: YamlProblem;
  readonly repair: (line: string) => string;
}

/** Where a line's content ends (before a comment and trailing blanks), outside quotes. */
function contentEnd(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line[i - 1]))) {
      return line.slice(0, i).trimEnd().length;
    }
  }
  return line.replace(/\s+$/, '').length;
}

const leadingWhitespace = (line: string) => /^[ \t]*/.exec(line)![0];

/**
 * How a Tab-indented line was probably meant: `context` aligns it with the line above (one level
 * deeper after a `key:` that opens a block), the others read a Tab as 2, 4 or 8 spaces.
 */
type TabReading = 'context' | 2 | 4 | 8;

function untab(lines: string[], index: number, reading: TabReading): string {
  const line = lines[index];
  const ws = leadingWhitespace(line);
  if (reading !== 'context') return ws.replace(/\t/g, ' '.repeat(reading)) + line.slice(ws.length);
  for (let i = index - 1; i >= 0; i--) {
    const above = lines[i].replace(/\r$/, '');
    if (/^\s*(#.*)?$/.test(above)) continue;
    const indent = leadingWhitespace(above).replace(/\t/g, '  ').length;
    const opens = /:$/.test(above.slice(0, contentEnd(above)));
    return ' '.repeat(indent + (opens ? 2 : 0)) + line.slice(ws.length);
  }
  return line.slice(ws.length);
}

/**
 * The problems that make yaml report more errors after them (a full-width colon, a Tab, a bracket
 * never closed), each with its repair. Only these are reported for their lines; the rest of the
 * file is judged on the repaired text, so a cascade is not reported as more problems.
 */
function rootCauses(text: string, doc: Document.Parsed, lineCounter: LineCounter, done: ReadonlySet<number>): Map<number, RootCause> {
  const lines = text.split('\n');
  // Which lines continue a text is only asked about lines that look like a key with a full-width colon.
  let continuation: Set<number> | undefined;
  const textLines = { has: (line: number) => (continuation ??= continuationLines(doc, lineCounter)).has(line) };
  const found = new Map<number, RootCause>();
  const fullwidth = (line: number, col: number, message: string, hint: string) =>
    found.set(line, {
      problem: { ...spanOn(line, col), rule: 'FULLWIDTH-COLON', message, hint, fatal: true },
      repair: (l) => `${l.slice(0, col - 1)}:${/\s/.test(l[col] ?? ' ') ? '' : ' '}${l.slice(col)}`,
    });

  lines.forEach((content, i) => {
    const m = FULLWIDTH_KEY.exec(content);
    if (!m || textLines.has(i + 1) || done.has(i + 1)) return;
    fullwidth(i + 1, content.indexOf('：', m[1].length) + 1, `「${m[2]}：」用了全角冒号「：」（中文输入法），YAML 读不出这个键`, `改为半角冒号加空格，写作「${m[2]}: 」`);
  });

  const errorLines = new Set(doc.errors.map((e) => lineCounter.linePos(e.pos[0]).line));
  lines.forEach((content, i) => {
    if (found.has(i + 1) || done.has(i + 1) || !(errorLines.has(i + 1) || errorLines.has(i + 2)) || textLines.has(i + 1)) return;
    const m = FULLWIDTH_ANY_KEY.exec(content);
    if (!m) return;
    const ascii = /^[\x00-\x7f]+$/.test(m[2]);
    fullwidth(
      i + 1,
      content.indexOf('：', m[1].length) + 1,
      `「${m[2]}：」用了全角冒号「：」（中文输入法）${ascii ? '' : '，键名也不是英文'}`,
      ascii ? `改为半角冒号加空格，写作「${m[2]}: 」` : '键后写半角冒号加空格「: 」；键名要用英文（如 rules、received），可对照 nianbao init 生成的模板',
    );
  });

  for (const error of doc.errors) {
    if (error.code !== 'TAB_AS_INDENT') continue;
    const at = spanIn(lineCounter, error.pos[0], error.pos[1]);
    const line = at.line;
    if (found.has(line) || done.has(line)) continue;
    found.set(line, {
      problem: { ...at, rule: 'YAML-TAB', message: '用了制表符（Tab）缩进：YAML 只能用空格缩进', fatal: true },
      repair: (l) => l, // replaced below, once the reading of the Tabs is chosen
    });
  }

  // A bracket never closed always breaks the parse: a document without errors has none.
  for (const { opener, brackets, closeAt } of doc.errors.length > 0 ? scanFlow(text).unclosed : []) {
    const { line, col } = lineCounter.linePos(opener);
    const end = lineCounter.linePos(closeAt);
    if (found.has(line) || done.has(line) || found.has(end.line) || done.has(end.line)) continue;
    const bracket = brackets[0];
    const closers = [...brackets].reverse().map((b) => CLOSER[b]).join('');
    const what = bracket === '[' ? `方括号「[」没有配对的「]」` : `花括号「{」没有配对的「}」`;
    const hint = bracket === '[' ? `在这一行的数后面补上「${closers}」：一行的数要写在一对方括号里，如 [0, 0, 0, 0, 0, 0, 0]` : `在这一组的末尾补上「${closers}」`;
    const fix = { problem: { ...spanOn(line, col), rule: 'YAML-SYNTAX', message: `YAML 语法错误：${what}`, hint, fatal: true }, repair: (l: string) => l };
    found.set(line, fix);
    // the closers go where the last item ends, which may be on a later line of a wrapped row
    const insertCol = end.col;
    const repairEnd = (l: string) => `${l.slice(0, insertCol - 1)}${closers}${l.slice(insertCol - 1)}`;
    if (end.line === line) found.set(line, { ...fix, repair: repairEnd });
    else found.set(end.line, { problem: fix.problem, repair: repairEnd });
  }
  return found;
}

function applyRepairs(text: string, causes: Map<number, RootCause>, tabs: TabReading): string {
  const lines = text.split('\n');
  for (const [line, cause] of causes) {
    const i = line - 1;
    if (i >= lines.length) continue;
    lines[i] = cause.problem.rule === 'YAML-TAB' ? untab(lines, i, tabs) : cause.repair(lines[i]);
  }
  return lines.join('\n');
}

export function loadYaml(source: string, options: LoadOptions = {}): LoadedYaml {
  const text = standInDashes(source, options.cellKeys);
  // Flow brackets cannot nest deeper than there are openers: most files need no lexer pass for this.
  const deep = openerCount(text) > MAX_NESTING ? scanFlow(text).tooDeep : undefined;
  const { doc, lineCounter } = parseText(deep === undefined ? text : '');
  const pos = positionIn(lineCounter);
  const nesting = (at: { line: number; col: number }): YamlProblem => ({
    ...spanOn(at.line, at.col),
    rule: 'YAML-SYNTAX',
    message: `YAML 语法错误：括号或列表嵌套过深（超过 ${MAX_NESTING} 层），报告中最多嵌套几层`,
    hint: '检查这里是否多写了「[」「{」或「-」，删去多余的',
    fatal: true,
  });
  if (deep !== undefined) {
    // not composed at all: the position comes from the text itself
    const before = text.slice(0, deep);
    const at = { line: before.split('\n').length, col: deep - before.lastIndexOf('\n') };
    return loaded(doc, text, lineCounter, undefined, [nesting(at)]);
  }
  const deepNode = tooDeepNode(doc);
  const overflow = doc.errors.find((e) => e.code === 'RESOURCE_EXHAUSTION');
  if (deepNode || overflow) return loaded(doc, text, lineCounter, undefined, [nesting(deepNode ? pos(deepNode.range?.[0]) : lineCounter.linePos(overflow!.pos[0]))]);

  // Root causes first, repaired in the text until none is left; what the repaired text still gets
  // wrong is reported as the further, independent problems it is.
  const problems: YamlProblem[] = [];
  const repaired = new Set<number>();
  let current = { text, doc, lineCounter };
  for (let round = 0; round < 8; round++) {
    const causes = rootCauses(current.text, current.doc, current.lineCounter, repaired);
    if (!causes.size) break;
    for (const [line, cause] of causes) {
      repaired.add(line);
      if (!problems.some((p) => p.line === cause.problem.line && p.col === cause.problem.col)) problems.push(cause.problem);
    }
    const readings: TabReading[] = [...causes.values()].some((c) => c.problem.rule === 'YAML-TAB') ? ['context', 2, 4, 8] : ['context'];
    let best: typeof current | undefined;
    for (const reading of readings) {
      const candidateText = applyRepairs(current.text, causes, reading);
      const candidate = { text: candidateText, ...parseText(candidateText) };
      if (!best || candidate.doc.errors.length < best.doc.errors.length) best = candidate;
    }
    current = best!;
  }

  const lines = text.split(/\r?\n/);
  for (const error of current.doc.errors) {
    // lines keep their numbers through the repairs; columns only change on repaired lines
    const at = spanIn(current.lineCounter, error.pos[0], error.pos[1]);
    const { line, col } = at;
    if (repaired.has(line)) continue;
    if (error.code === 'DUPLICATE_KEY') {
      const key = /^\s*(?:-\s+)?["']?([^:"'\s]+)/.exec(lines[line - 1]?.slice(col - 1) ?? '')?.[1] ?? '';
      problems.push({ ...spanOn(line, col, key.length), rule: 'YAML-DUP-KEY', message: `键「${key}」在同一层级重复出现：每个键只能写一次`, fatal: false });
    } else if (error.code === 'TAB_AS_INDENT') {
      problems.push({ ...at, rule: 'YAML-TAB', message: '用了制表符（Tab）缩进：YAML 只能用空格缩进', fatal: true });
    } else if (narrativeLineProblem(lines[line - 1] ?? '', line)) {
      const problem = narrativeLineProblem(lines[line - 1], line)!;
      if (!problems.some((p) => p.line === problem.line && p.rule === problem.rule)) problems.push(problem);
    } else {
      const hint = SYNTAX_HINTS[error.code] ?? '格式有误';
      const detail = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
      const fix = SYNTAX_FIXES[error.code];
      problems.push({ ...at, rule: 'YAML-SYNTAX', message: `YAML 语法错误：${hint}（${detail}）`, ...(fix ? { hint: fix } : {}), fatal: true });
    }
  }

  problems.push(...unresolvedAliases(doc, lineCounter), ...explicitTags(doc, lineCounter, text));
  let data: unknown;
  if (!problems.some((p) => p.fatal)) {
    try {
      // maxAliasCount: an alias bomb stops here, after a hundred expansions, instead of filling memory
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      problems.push({
        ...WHOLE_FILE,
        rule: 'YAML-ALIAS',
        message: '文件中的 YAML 别名（「*名称」引用「&名称」标记的内容）展开后过多，疑似恶意构造的“别名炸弹”，已拒绝读取',
        hint: '年度报告不需要使用别名：删去「*名称」和「&名称」，直接写出内容',
        fatal: true,
      });
    }
  }
  return loaded(doc, text, lineCounter, data, problems);
}

/** Aliases (`*name`) with no anchor (`&name`) before them: usually a text that starts with `*`. */
function unresolvedAliases(doc: Document.Parsed, lineCounter: LineCounter): YamlProblem[] {
  const anchors = new Set<string>();
  const problems: YamlProblem[] = [];
  // document order, as yaml resolves an alias to the last anchor of its name before it
  visit(doc, {
    Node(_, node) {
      if (isAlias(node)) {
        if (!anchors.has(node.source) && node.range) {
          problems.push({
            ...spanIn(lineCounter, node.range[0], node.range[1]),
            rule: 'YAML-SYNTAX',
            message: `YAML 语法错误：「*${node.source}」是 YAML 别名，但前面没有名为「&${node.source}」的锚点`,
            hint: `如果这里是文字，加引号，写作 "*${node.source}"`,
            fatal: true,
          });
        }
      } else if (node.anchor) {
        anchors.add(node.anchor);
      }
    },
  });
  return problems;
}

const CORE_TAG = 'tag:yaml.org,2002:';

/**
 * Explicit tags (`!!float 3`, `!!binary …`, `!local`): a report has no use for them, and they change
 * what a value is behind the clerk's back (`!!float 3` is the text "3" to the core schema, `!!binary`
 * bytes). Each is named where it is written, with what to write instead.
 */
function explicitTags(doc: Document.Parsed, lineCounter: LineCounter, text: string): YamlProblem[] {
  const problems: YamlProblem[] = [];
  visit(doc, {
    Node(_, node) {
      if (!node.tag || !node.range) return;
      const written = node.tag.startsWith(CORE_TAG) ? `!!${node.tag.slice(CORE_TAG.length)}` : node.tag;
      const at = text.lastIndexOf(written, node.range[0]);
      const start = at >= 0 ? at : node.range[0];
      const what =
        written === '!!binary'
          ? '「!!binary」把后面的内容当作二进制数据（base64），报告中只能写文字和数字'
          : written === '!!str'
            ? '「!!str」是 YAML 类型标记'
            : `「${written}」是 YAML 类型标记，会改变后面的值的类型（如「!!float 3」读作文字 "3"）`;
      problems.push({ ...spanIn(lineCounter, start, start + written.length), rule: 'YAML-TAG', message: `${what}：年度报告不使用类型标记`, hint: `删去「${written}」：数字直接写，文字直接写或加引号（如 "0915"）`, fatal: false });
    },
  });
  return problems;
}

/** line:col of a source offset (1:1 for a node without one, such as an empty document). */
function positionIn(lineCounter: LineCounter): (offset: number | undefined) => { line: number; col: number } {
  return (offset) => (offset === undefined ? { line: 1, col: 1 } : lineCounter.linePos(offset));
}

/**
 * A passage inside the source range of a text. A passage copied from the parsed string may be folded
 * across source lines (a block scalar's indent, a folded line), so shorter and shorter prefixes are
 * tried, the span being the prefix found (at most its first `mark` characters: a name found by the
 * words after it is marked alone), before the whole range.
 */
export function passageSpan(text: string, lineCounter: LineCounter, range: readonly [number, number], passage: string, mark = passage.length): Span {
  const source = text.slice(range[0], range[1]);
  for (let length = passage.length; length >= 2; length = Math.floor(length / 2)) {
    const at = source.indexOf(passage.slice(0, length));
    if (at >= 0) return spanIn(lineCounter, range[0] + at, range[0] + at + Math.min(length, mark));
  }
  return spanIn(lineCounter, range[0], range[1]);
}

/** The span from one source offset to another (exclusive); at least one character, so that it can be marked. */
export function spanIn(lineCounter: LineCounter, start: number, end = start + 1): Span {
  const from = lineCounter.linePos(start);
  const to = lineCounter.linePos(Math.max(end, start + 1));
  return { line: from.line, col: from.col, endLine: to.line, endCol: to.col };
}

function loaded(doc: Document.Parsed, text: string, lineCounter: LineCounter, data: unknown, problems: YamlProblem[]): LoadedYaml {
  /** a node's written text (a scalar's value, a collection from its first to its last character); the whole file for none */
  const spanOfNode = (node: Node | undefined): Span => (node?.range ? spanIn(lineCounter, node.range[0], node.range[1]) : WHOLE_FILE);
  const nodeAt = (path: DataPath): { node: Node | undefined; depth: number } => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (node && typeof node === 'object' && 'range' in node && (node as Node).range) return { node: node as Node, depth };
    }
    return { node: undefined, depth: 0 };
  };

  // The node at a path, as `doc.getIn(path, true)` finds it, one key at a time (`get`, as getIn does),
  // each step looked up once: the check asks every figure for its text and its tag, and the report for
  // its text again, each time through the same tables and rows. A Map keeps the key 1 and "1" apart.
  interface Step {
    readonly node: unknown;
    next?: Map<string | number, Step>;
  }
  const top: Step = { node: doc.contents };
  const nodeIn = (path: DataPath): unknown => {
    let step = top;
    for (const key of path) {
      step.next ??= new Map();
      let found = step.next.get(key);
      if (!found) step.next.set(key, (found = { node: isCollection(step.node) ? step.node.get(key, true) : undefined }));
      step = found;
    }
    return step.node;
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
    text,
    lineCounter,
    data,
    problems,
    locate(path) {
      const { node, depth } = nodeAt(path);
      // A missing child: its parent's key, where the clerk would add it.
      if (depth < path.length) {
        const key = depth > 0 ? keyNode(path.slice(0, depth)) : undefined;
        return spanOfNode(key ?? node);
      }
      // An empty value (`key:`) has no text of its own: its key.
      if (node && isScalar(node) && node.value === null && node.range && node.range[0] === node.range[1]) {
        const key = keyNode(path);
        if (key) return spanOfNode(key);
      }
      // A collection: from its key (the line the clerk recognises), through a flow row's closing bracket
      // (`received: [1, 2, 3]`, one line); a block mapping or list, its key alone (not its many lines).
      if (node && (isMap(node) || isSeq(node))) {
        const key = keyNode(path);
        if (key?.range) return node.flow && node.range ? spanIn(lineCounter, key.range[0], node.range[1]) : spanOfNode(key);
      }
      return spanOfNode(node);
    },
    locateKey(path) {
      const key = keyNode(path);
      return key ? spanOfNode(key) : this.locate(path);
    },
    locateText(path, passage) {
      const node = nodeIn(path);
      return isScalar(node) && node.range ? passageSpan(text, lineCounter, [node.range[0], node.range[1]], passage) : this.locate(path);
    },
    tagged(path) {
      const node = nodeIn(path);
      return Boolean(node && typeof node === 'object' && 'tag' in node && (node as Node).tag);
    },
    written(path) {
      const node = nodeIn(path);
      return isScalar(node) && typeof node.source === 'string' ? node.source.split(DASH_STANDIN).join('-') : undefined;
    },
  };
}
