/**
 * The layers of src/ (README "架构"): imports only go down. A module that reached up — a renderer
 * importing the workspace, a reader importing a command — would make a change of the upper layer a
 * change of the lower one, so the direction is checked here rather than left to review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..', 'src');

/** Top-level folder (or root module) of src/ → the folders and modules of src/ it must never import. */
const FORBIDDEN: Record<string, readonly string[]> = {
  // the lowest layer: every other one reports through it
  diagnostics: ['cli', 'workspace', 'preview', 'render', 'import', 'build', 'validate', 'load', 'model', 'format'],
  // the official format and the shapes it defines (tables, grids, the report data, placeholders)
  format: ['cli', 'workspace', 'preview', 'render', 'import', 'build', 'validate', 'load', 'model'],
  // then the pipeline: load → validate → model, each importing only those before it
  load: ['cli', 'workspace', 'preview', 'render', 'import', 'build', 'validate', 'model'],
  validate: ['cli', 'workspace', 'preview', 'render', 'import', 'build', 'model'],
  model: ['cli', 'workspace', 'preview', 'render', 'import', 'build'],
  render: ['cli', 'workspace', 'preview', 'import', 'build'],
  import: ['cli', 'workspace', 'preview', 'render', 'build'],
  workspace: ['cli', 'preview', 'import'],
  preview: ['cli'],
  build: ['cli', 'preview'],
};

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** The src/ folder (or root module, without .ts) a file belongs to. */
function layerOf(file: string): string {
  return path.relative(src, file).split(path.sep)[0].replace(/\.ts$/, '');
}

const edges = modules(src).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.{1,2}\/[^']+)'/g)].map((m) => ({
    from: path.relative(src, file),
    fromLayer: layerOf(file),
    toLayer: layerOf(path.resolve(path.dirname(file), m[1].replace(/\.js$/, '.ts'))),
    spec: m[1],
  })),
);

describe('imports go down the layers', () => {
  it('finds the imports it checks', () => {
    expect(edges.filter((e) => e.fromLayer !== e.toLayer).length).toBeGreaterThan(100);
    expect(Object.keys(FORBIDDEN).every((layer) => edges.some((e) => e.fromLayer === layer))).toBe(true);
  });

  it('no module imports a layer above its own', () => {
    const upward = edges.filter((e) => FORBIDDEN[e.fromLayer]?.includes(e.toLayer)).map((e) => `${e.from} → ${e.spec}`);
    expect(upward).toEqual([]);
  });
});
