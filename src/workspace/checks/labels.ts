/**
 * Official row and column names of a data cell, read from the format data, for messages.
 */
import { findDataCell, type EditionId } from '../../format/official.js';

export function rowName(edition: EditionId, dotted: string): string {
  const found = findDataCell(edition, dotted);
  return found ? found.grid.describe(found.cell).row.join('') : dotted;
}

export function columnName(edition: EditionId, dotted: string): string {
  const found = findDataCell(edition, dotted);
  return found ? (found.grid.describe(found.cell).column.at(-1) ?? dotted) : dotted;
}
