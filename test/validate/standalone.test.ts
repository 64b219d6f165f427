/**
 * The validators generated ahead of time (ajv standalone code, written into dist/ by `npm run build`)
 * must behave exactly like the ones compiled at run time: the same ajv errors and the same Chinese
 * diagnostics on the bad-input corpus and every example. The generated source is written next to the
 * tests (so that its imports resolve: ajv's runtime helpers, src/validate/keywords.ts) and imported.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDITION_IDS, type EditionId } from '../../src/format/official.js';
import { checkText } from '../../src/validate/index.js';
import { runtimeValidatorFor, standaloneSource } from '../../src/validate/schemas.js';
import { loadYaml } from '../../src/load/yaml.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const workDir = mkdtempSync(path.join(import.meta.dirname, '.standalone-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

let generated: Record<string, ValidateFunction> & { SCHEMAS_DIGEST?: unknown };
beforeAll(async () => {
  const keywords = pathToFileURL(path.join(root, 'src', 'validate', 'keywords.ts')).href;
  const file = path.join(workDir, 'standalone.js');
  writeFileSync(file, standaloneSource(keywords));
  generated = (await import(pathToFileURL(file).href)) as typeof generated;
});
const standaloneFor = (edition: EditionId) => generated[`edition${edition}`];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : e.name.endsWith('.yaml') ? [path.join(dir, e.name)] : [],
  );
}
const corpus = [...yamlFiles(path.join(root, 'test', 'input', 'bad-input', 'cases')), ...yamlFiles(path.join(root, 'examples'))].sort();

describe('standalone validators', () => {
  it('exports one validator per edition and the corpus is not empty', () => {
    for (const id of EDITION_IDS) expect(typeof standaloneFor(id)).toBe('function');
    // the digest of schemas/*.schema.json that src/validate/schemas.ts compares before using the generated code
    expect(generated.SCHEMAS_DIGEST).toMatch(/^[0-9a-f]{64}$/);
    expect(corpus.length).toBeGreaterThan(50);
  });

  it('give the same diagnostics as the runtime-compiled validators on the bad-input corpus and the examples', () => {
    let withSchemaErrors = 0;
    for (const file of corpus) {
      const bytes = readFileSync(file);
      const name = path.relative(root, file);
      const runtime = checkText(bytes, name, { validatorFor: runtimeValidatorFor });
      const ahead = checkText(bytes, name, { validatorFor: standaloneFor });
      expect(ahead.diagnostics, name).toEqual(runtime.diagnostics);
      expect(ahead.usable, name).toBe(runtime.usable);
      if (runtime.diagnostics.some((d) => d.rule.startsWith('SCHEMA') || d.rule.startsWith('R')) ) withSchemaErrors++;
    }
    expect(withSchemaErrors).toBeGreaterThan(0);
  });

  it('produce the same raw ajv errors (paths, params, schema and data) on every corpus file', () => {
    let failing = 0;
    for (const file of corpus) {
      const data = loadYaml(readFileSync(file, 'utf8')).data;
      if (data === null || typeof data !== 'object' || Array.isArray(data)) continue;
      for (const id of EDITION_IDS) {
        const runtime = runtimeValidatorFor(id);
        const ahead = standaloneFor(id);
        const valid = runtime(data);
        expect(ahead(data), file).toBe(valid);
        expect(ahead.errors ?? null, file).toEqual(runtime.errors ?? null);
        if (!valid) failing++;
      }
    }
    expect(failing).toBeGreaterThan(0);
  });

  it('report a broken 勾稽关系 through the custom keywords', () => {
    const file = yamlFiles(path.join(root, 'examples', 'reports')).find((f) => path.basename(f).startsWith('2021'))!;
    const data = loadYaml(readFileSync(file, 'utf8')).data as { applications: { results: { total: number[] } } };
    data.applications.results.total[0] += 1;
    const ahead = standaloneFor('2021');
    expect(ahead(data)).toBe(false);
    expect(ahead.errors!.some((e) => e.keyword.startsWith('x-'))).toBe(true);
    expect(ahead.errors).toEqual((runtimeValidatorFor('2021')(data), runtimeValidatorFor('2021').errors));
  });
});
