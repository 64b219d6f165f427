import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from './format/paths.js';

/** The running nianbao's version, from its package.json (what a rebuild must match byte for byte). */
export const version: string = (JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
