/**
 * Reads the official-format data files (format/*.yaml). Parsing them with the yaml package costs about
 * a tenth of a second at every start of the command, so `npm run build` also writes their parsed
 * content as JSON (dist/format-data.json, by scripts/build-format-data.ts); a file whose text no
 * longer matches the digest kept with it is parsed from its YAML again, so an edit of format/ always
 * takes effect, built or not.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { formatDir, packageRoot } from './paths.js';

/** The generated JSON: per file (relative to format/, / separated), its text's digest and parsed value. */
export interface FormatDataCache {
  readonly [file: string]: { readonly digest: string; readonly value: unknown };
}

export const FORMAT_DATA_CACHE = path.join(packageRoot, 'dist', 'format-data.json');

export const digestOf = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A file's key in the cache: its path relative to format/, / separated on every system. */
const keyOf = (file: string): string => file.split(path.sep).join('/');

let cache: FormatDataCache | undefined;

function loadCache(): FormatDataCache {
  if (cache) return cache;
  try {
    cache = existsSync(FORMAT_DATA_CACHE) ? (JSON.parse(readFileSync(FORMAT_DATA_CACHE, 'utf8')) as FormatDataCache) : {};
  } catch {
    cache = {}; // a damaged cache is only a slower start
  }
  return cache;
}

/** The parsed content of a format data file (a path relative to format/); `cacheData` for tests. */
export function readFormatFile<T>(file: string, cacheData: FormatDataCache = loadCache()): T {
  const text = readFileSync(path.join(formatDir, file), 'utf8');
  const cached = cacheData[keyOf(file)];
  if (cached && cached.digest === digestOf(text)) return structuredClone(cached.value) as T;
  return parse(text) as T;
}

/** Every data file of format/, parsed: the content of the JSON cache. */
export function formatDataCache(files: readonly string[]): FormatDataCache {
  return Object.fromEntries(
    files.map((file) => {
      const text = readFileSync(path.join(formatDir, file), 'utf8');
      return [keyOf(file), { digest: digestOf(text), value: parse(text) as unknown }];
    }),
  );
}
