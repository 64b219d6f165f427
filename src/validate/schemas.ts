/**
 * The committed JSON Schemas (schemas/*.schema.json), compiled once with the 勾稽关系 keywords, and a
 * small walker that finds the subschema of a data path (for titles and "did you mean" candidates).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import { EDITION_IDS, type EditionId } from '../format/official.js';
import { schemasDir } from '../format/paths.js';
import { addRuleKeywords } from './keywords.js';
import type { DataPath } from './types.js';

export type SchemaNode = Record<string, unknown>;

function readSchema(name: string): SchemaNode {
  return JSON.parse(readFileSync(path.join(schemasDir, name), 'utf8')) as SchemaNode;
}

let compiled: { common: SchemaNode; editions: Record<EditionId, SchemaNode>; validators: Record<EditionId, ValidateFunction> } | undefined;

function load() {
  if (compiled) return compiled;
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true });
  addRuleKeywords(ajv);
  const common = readSchema('common.schema.json');
  ajv.addSchema(common);
  const editions = {} as Record<EditionId, SchemaNode>;
  const validators = {} as Record<EditionId, ValidateFunction>;
  for (const id of EDITION_IDS) {
    editions[id] = readSchema(`report-${id}.schema.json`);
    validators[id] = ajv.compile(editions[id]);
  }
  compiled = { common, editions, validators };
  return compiled;
}

export function validatorFor(edition: EditionId): ValidateFunction {
  return load().validators[edition];
}

/** Follows `$ref` into common.schema.json (the only external reference the schemas use). */
function resolve(node: SchemaNode | undefined): SchemaNode | undefined {
  let current = node;
  for (let guard = 0; current && typeof current.$ref === 'string' && guard < 10; guard++) {
    const [file, pointer] = (current.$ref as string).split('#');
    const root = file ? load().common : undefined;
    const target = pointer
      .split('/')
      .filter(Boolean)
      .reduce<unknown>((n, key) => (n && typeof n === 'object' ? (n as SchemaNode)[key] : undefined), root) as SchemaNode | undefined;
    // keep the referencing node's own title/description over the definition's
    const { $ref: _ref, ...own } = current;
    current = target ? { ...target, ...own } : undefined;
  }
  return current;
}

/** The subschema describing the value at a data path, or undefined when the schema has no such place. */
export function schemaAt(edition: EditionId, dataPath: DataPath): SchemaNode | undefined {
  let node = resolve(load().editions[edition]);
  for (const key of dataPath) {
    if (!node) return undefined;
    if (typeof key === 'number') {
      node = resolve((node.prefixItems as SchemaNode[] | undefined)?.[key]);
    } else {
      const props = (node.properties ?? (node.then as SchemaNode | undefined && resolve(node.then as SchemaNode)?.properties)) as Record<string, SchemaNode> | undefined;
      // own properties only: a key such as `__proto__` or `constructor` must not find Object.prototype
      node = props && Object.hasOwn(props, key) ? resolve(props[key]) : undefined;
    }
  }
  return node;
}

/** The property names allowed at a data path (an object's keys), with their titles. */
export function allowedKeys(edition: EditionId, dataPath: DataPath): { key: string; title?: string }[] {
  const node = schemaAt(edition, dataPath);
  if (!node) return [];
  const props = (node.properties ?? resolve(node.then as SchemaNode | undefined)?.properties) as Record<string, SchemaNode> | undefined;
  return Object.entries(props ?? {}).map(([key, sub]) => ({ key, title: resolve(sub)?.title as string | undefined }));
}
