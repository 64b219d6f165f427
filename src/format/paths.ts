import { fileURLToPath } from 'node:url';
import path from 'node:path';

/**
 * The package root, found from this module's own location so that the data folders (format/,
 * schemas/, templates/) resolve the same from src/ under tsx or vitest and from dist/ after a build.
 */
export const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const formatDir = path.join(packageRoot, 'format');
export const schemasDir = path.join(packageRoot, 'schemas');
export const templatesDir = path.join(packageRoot, 'templates');
