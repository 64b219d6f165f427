/**
 * Mutations of a report file for the fuzzer, described as plain data so fast-check can generate,
 * print and shrink them: byte-level edits of the file (what a broken editor, a wrong encoding or a
 * slip of the hand does) and structural edits of the YAML tree (what a confused clerk does).
 */
import fc from 'fast-check';
import { isMap, isScalar, isSeq, parseDocument, Scalar, visit, type Node } from 'yaml';

/** Byte sequences that matter to YAML, to number parsing, to Chinese input methods and to encodings. */
export const INTERESTING = [
  '\t', '：', ':', ': ', '{', '}', '[', ']', ',', '&a ', '*a', '!!str ', '!!binary ', '%YAML 1.1\n', '---\n', '...\n', '? ',
  '#', '- ', '|', '>', '"', "'", '\\', '\u0000', '\r', '\r\n', '\n', '\u3000', '\uFEFF', '\u202E', '万', '增', '万元', '/',
  '-', '1e309', '-0', '0x1F', '0o17', '.nan', '.inf', '99999999999999999999999999999', '1.5', '-3', '~', 'null', 'true',
  '<<: *a', '{{constructor.constructor}}', '<script>', '__proto__', 'constructor', '、', '，', '“', '”', '\uD800',
  // number forms a float would change (issue 18): each must be refused or published as written
  '0x10', '1e2', '.5e1', '+5', '3.0', '5.', '010', '4.999999999999999999', '1e-400', '0.0000001', '12.3456789012345678', '12.50', '!!float ',
  // invisible, bidi and control characters, and characters outside the bundled fonts
  '\u200B', '\u200D', '\u2060', '\u202A', '\u2066', '\u2069', '\u200F', '\u001B[2J', '\u0007', '😀', '👍🏽', '𠀀', '\\u200b', '\\x1b',
] as const;

/**
 * Names that become paths (agency names fill `file_name`, titles name single-build files): climbing out,
 * absolute, Windows device names in any case, characters Windows refuses, NUL, nianbao's own hidden
 * file names, and names far over the 255-byte limit of a file name.
 */
export const PATH_LIKE = [
  '..', '../..', '../../etc/passwd', '/etc/passwd', 'C:\\Windows\\x', '\\\\server\\share', 'CON', 'aux', 'Nul.pdf', 'LPT9', 'com1.html', 'index',
  'index.html', ' . ', '...', 'a:b', 'a*b?c<d>e|f"', 'x\u0000y', '镇'.repeat(90), 'x'.repeat(300), '%2e%2e%2f', '~', '.nianbao.lock',
  '.nianbao-1-abc.tmp', 'a/./b', 'a//b', '人民政府', '\u202Eftp.exe',
] as const;

export type ByteOp =
  | { kind: 'flip'; at: number; value: number }
  | { kind: 'insert'; at: number; text: number }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'duplicateLine'; at: number }
  | { kind: 'swapLines'; at: number; other: number }
  | { kind: 'truncate'; at: number };

export type TreeOp =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'deleteKey'; at: number }
  | { kind: 'addKey'; at: number; key: string; value: unknown }
  | { kind: 'renameKey'; at: number; key: string }
  | { kind: 'growRow'; at: number; value: unknown }
  | { kind: 'shrinkRow'; at: number }
  | { kind: 'wrapInList'; at: number }
  | { kind: 'editText'; at: number; text: string }
  | { kind: 'renameAgency'; at: number; name: number; suffix: boolean };

export type Mutation = { layer: 'bytes'; ops: ByteOp[] } | { layer: 'tree'; ops: TreeOp[] } | { layer: 'both'; tree: TreeOp[]; bytes: ByteOp[] };

/** A position, taken modulo whatever it indexes; unbiased, since fast-check favours 0 otherwise. */
const position = fc.noBias(fc.nat());
const indexIn = (at: number, n: number) => (n > 0 ? at % n : 0);

const byteOp: fc.Arbitrary<ByteOp> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.nat(INTERESTING.length - 1) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: position }),
  fc.record({ kind: fc.constant('swapLines' as const), at: position, other: position }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

/** Values a clerk (or an attacker) might put anywhere. */
export const wildValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>('905万', '增53', '/', '-', '', ' 0', '　0', '1,000', '１２', '0x10', '渠沟镇\u200B人民政府', '\u202E12', '政府😀', '𠀀', 'a\u001B[31m', 1.5, -1, -0, 1e308, 2 ** 53 + 1, 1e21, null, true, '{{constructor.constructor}}', '<script>alert(1)</script>', '__proto__', '../../etc/passwd', 'x'.repeat(5000)),
  fc.integer(),
  fc.double(),
  fc.string(),
  fc.array(fc.integer({ min: -5, max: 50 }), { maxLength: 9 }),
  fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'a', 'total', 'name'), fc.oneof(fc.integer(), fc.string(), fc.constant({ polluted: true })), { maxKeys: 3 }),
);

const keyName = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'recieved', 'grantd', 'totl', 'formatt', '年份', 'received', 'total', 'narrative', 'agency', 'format', 'year', '');

// text edits mostly keep the report valid, so the HTML build sees hostile narrative and names
const editText = fc.record({
  kind: fc.constant('editText' as const),
  at: position,
  text: fc.oneof(
    fc.constantFrom(...INTERESTING),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.constantFrom('</p><h1>伪造</h1><p>', '<table ref="table3"/>', ']]>', '<!--', '&amp;', '&#x3C;script&#x3E;', '{{三.一.总计}}', '{{三.一.不存在}}', '{{{x}}}', '{{> report}}', '{{#each this}}x{{/each}}', 'javascript:alert(1)', '"><img src=x onerror=alert(1)>'),
  ),
});

const renameAgency = fc.record({ kind: fc.constant('renameAgency' as const), at: position, name: fc.nat(PATH_LIKE.length - 1), suffix: fc.boolean() });

const treeOp: fc.Arbitrary<TreeOp> = fc.oneof(
  editText,
  renameAgency,
  fc.record({ kind: fc.constant('replace' as const), at: position, value: wildValue }),
  fc.record({ kind: fc.constant('deleteKey' as const), at: position }),
  fc.record({ kind: fc.constant('addKey' as const), at: position, key: keyName, value: wildValue }),
  fc.record({ kind: fc.constant('renameKey' as const), at: position, key: keyName }),
  fc.record({ kind: fc.constant('growRow' as const), at: position, value: wildValue }),
  fc.record({ kind: fc.constant('shrinkRow' as const), at: position }),
  fc.record({ kind: fc.constant('wrapInList' as const), at: position }),
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ layer: fc.constant('bytes' as const), ops: fc.array(byteOp, { minLength: 1, maxLength: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ layer: fc.constant('tree' as const), ops: fc.array(treeOp, { minLength: 1, maxLength: 4 }) }) },
  { weight: 2, arbitrary: fc.record({ layer: fc.constant('tree' as const), ops: fc.array(editText, { minLength: 1, maxLength: 3 }) }) },
  // a path-like agency name alone keeps the report valid, so its output names are computed
  { weight: 1, arbitrary: fc.record({ layer: fc.constant('tree' as const), ops: fc.tuple(renameAgency).map((ops): TreeOp[] => ops) }) },
  { weight: 2, arbitrary: fc.record({ layer: fc.constant('both' as const), tree: fc.array(treeOp, { minLength: 1, maxLength: 2 }), bytes: fc.array(byteOp, { minLength: 1, maxLength: 2 }) }) },
);

const encoder = new TextEncoder();

function applyByteOp(bytes: Uint8Array, op: ByteOp): Uint8Array {
  const at = indexIn(op.at, bytes.length + 1);
  switch (op.kind) {
    case 'flip': {
      if (bytes.length === 0) return bytes;
      const out = bytes.slice();
      out[Math.min(at, bytes.length - 1)] = op.value;
      return out;
    }
    case 'insert': {
      const text = INTERESTING[op.text];
      // lone surrogates cannot be UTF-8 encoded: write the raw CESU-8 bytes instead
      const piece = text === '\uD800' ? Uint8Array.of(0xed, 0xa0, 0x80) : encoder.encode(text);
      return concat(bytes.subarray(0, at), piece, bytes.subarray(at));
    }
    case 'delete':
      return concat(bytes.subarray(0, at), bytes.subarray(Math.min(bytes.length, at + op.length)));
    case 'truncate':
      return bytes.subarray(0, at);
    case 'duplicateLine':
    case 'swapLines': {
      const lines = splitLines(bytes);
      if (lines.length < 2) return bytes;
      const i = indexIn(op.at, lines.length);
      if (op.kind === 'duplicateLine') lines.splice(i, 0, lines[i]);
      else {
        const j = indexIn(op.other, lines.length);
        [lines[i], lines[j]] = [lines[j], lines[i]];
      }
      return concat(...lines);
    }
  }
}

function splitLines(bytes: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      out.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push(bytes.subarray(start));
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}

/** Every node of the tree, in document order, with its parent collection. */
function nodesOf(doc: ReturnType<typeof parseDocument>) {
  const found: { node: Node; parent: unknown; key: unknown }[] = [];
  visit(doc, {
    Pair(_, pair, path) {
      if (pair.value) found.push({ node: pair.value as Node, parent: path.at(-1), key: pair.key });
    },
    Seq(_, seq) {
      seq.items.forEach((item, i) => found.push({ node: item as Node, parent: seq, key: i }));
    },
  });
  return found;
}

function applyTreeOp(doc: ReturnType<typeof parseDocument>, op: TreeOp): void {
  const all = nodesOf(doc);
  const maps = all.map((e) => e.node).filter(isMap);
  const seqs = all.map((e) => e.node).filter(isSeq);
  if (isMap(doc.contents)) maps.unshift(doc.contents);
  const pickFrom = <T>(list: T[]) => list[indexIn(op.at, list.length)];
  switch (op.kind) {
    case 'replace': {
      const entry = pickFrom(all);
      if (!entry) return;
      const value = doc.createNode(op.value);
      if (isMap(entry.parent)) entry.parent.set(entry.key, value);
      else if (isSeq(entry.parent)) entry.parent.set(entry.key as number, value);
      return;
    }
    case 'deleteKey': {
      const map = pickFrom(maps);
      if (map && map.items.length) map.items.splice(indexIn(Math.floor(op.at / 7), map.items.length), 1);
      return;
    }
    case 'addKey': {
      const map = pickFrom(maps);
      // createPair keeps keys such as __proto__ as ordinary keys of the YAML text
      if (map) map.items.push(doc.createPair(op.key, op.value));
      return;
    }
    case 'renameKey': {
      const map = pickFrom(maps);
      if (!map || !map.items.length) return;
      const pair = map.items[indexIn(Math.floor(op.at / 7), map.items.length)];
      pair.key = new Scalar(op.key);
      return;
    }
    case 'growRow':
    case 'shrinkRow': {
      const seq = pickFrom(seqs);
      if (!seq) return;
      if (op.kind === 'growRow') seq.items.push(doc.createNode(op.value));
      else seq.items.pop();
      return;
    }
    case 'editText': {
      const strings = all.filter((e) => isScalar(e.node) && typeof e.node.value === 'string');
      const entry = pickFrom(strings);
      if (!entry) return;
      const scalar = entry.node as Scalar<string>;
      const cut = indexIn(Math.floor(op.at / 7), scalar.value.length + 1);
      scalar.value = scalar.value.slice(0, cut) + op.text + scalar.value.slice(cut);
      return;
    }
    case 'renameAgency': {
      // "..人民政府" reads as an agency, and {short} drops the suffix again
      if (isMap(doc.contents) && doc.hasIn(['agency', 'name'])) doc.setIn(['agency', 'name'], `${PATH_LIKE[op.name]}${op.suffix ? '人民政府' : ''}`);
      return;
    }
    case 'wrapInList': {
      const entry = pickFrom(all.filter((e) => isScalar(e.node) || isMap(e.node)));
      if (!entry) return;
      const wrapped = doc.createNode([]);
      (wrapped as { items: unknown[] }).items.push(entry.node);
      if (isMap(entry.parent)) entry.parent.set(entry.key, wrapped);
      else if (isSeq(entry.parent)) entry.parent.set(entry.key as number, wrapped);
      return;
    }
  }
}

const parsed = new Map<string, ReturnType<typeof parseDocument>>();
function parsedOnce(source: string) {
  let doc = parsed.get(source);
  if (!doc) parsed.set(source, (doc = parseDocument(source)));
  return doc;
}

/** The mutated file bytes. Tree mutations re-serialise the document, keeping its comments. */
export function mutate(source: string, m: Mutation): Uint8Array {
  let text = source;
  const tree = m.layer === 'tree' ? m.ops : m.layer === 'both' ? m.tree : [];
  if (tree.length) {
    const doc = parsedOnce(source).clone();
    for (const op of tree) applyTreeOp(doc, op);
    text = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  }
  let bytes: Uint8Array = encoder.encode(text);
  const byteOps = m.layer === 'bytes' ? m.ops : m.layer === 'both' ? m.bytes : [];
  for (const op of byteOps) bytes = applyByteOp(bytes, op);
  return bytes;
}
