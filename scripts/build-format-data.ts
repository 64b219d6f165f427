/**
 * Writes dist/format-data.json: the parsed format/*.yaml files with a digest of each text, read at
 * start-up instead of parsing the YAML (src/format/data-files.ts). Run by `npm run build` after tsc.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { formatDir } from '../src/format/paths.js';
import { FORMAT_DATA_CACHE, formatDataCache } from '../src/format/data-files.js';

const files = (readdirSync(formatDir, { recursive: true }) as string[]).filter((f) => f.endsWith('.yaml')).sort();
writeFileSync(FORMAT_DATA_CACHE, JSON.stringify(formatDataCache(files)));
console.log(`format data (${files.length} files) → ${FORMAT_DATA_CACHE}`);
