/**
 * The JSON copy of format/*.yaml written at build time (src/format/data-files.ts): it holds exactly what
 * parsing the YAML gives, and a file edited after the build is read from its YAML, not from the copy.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { digestOf, formatDataCache, readFormatFile, type FormatDataCache } from '../../src/format/data-files.js';
import { formatDir } from '../../src/format/paths.js';

const files = (readdirSync(formatDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();

describe('format data cache', () => {
  it('holds, for every format file, what parsing its YAML gives, through a JSON round trip', () => {
    expect(files.length).toBeGreaterThanOrEqual(7);
    const cache = JSON.parse(JSON.stringify(formatDataCache(files))) as FormatDataCache;
    for (const file of files) {
      const text = readFileSync(path.join(formatDir, file), 'utf8');
      expect(cache[file.split(path.sep).join('/')], file).toEqual({ digest: digestOf(text), value: parse(text) });
      expect(readFormatFile(file, cache)).toEqual(parse(text));
    }
  });

  it('is used only while the digest matches the file as it is now', () => {
    const text = readFileSync(path.join(formatDir, 'editions.yaml'), 'utf8');
    const matching: FormatDataCache = { 'editions.yaml': { digest: digestOf(text), value: { from: 'cache' } } };
    expect(readFormatFile('editions.yaml', matching)).toEqual({ from: 'cache' });
    const stale: FormatDataCache = { 'editions.yaml': { digest: digestOf(`${text}# edited\n`), value: { from: 'cache' } } };
    expect(readFormatFile('editions.yaml', stale)).toEqual(parse(text));
  });
});
