/**
 * Makes the packed .docx reproducible. The docx package stamps the document properties with the
 * current time and the zip entries with the current mtime; this re-zips the same parts, in the same
 * order, with a fixed creation date in docProps/core.xml and a fixed entry time.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

const CORE = 'docProps/core.xml';

/** Replaces the text of `dcterms:created` / `dcterms:modified` with a fixed W3CDTF timestamp. */
function fixCoreDates(xml: string, iso: string): string {
  return xml.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${iso}$3`);
}

export function normalizePackage(docx: Uint8Array, date: Date): Uint8Array {
  const parts = unzipSync(docx);
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // A DOS zip time is local wall-clock time: build it from local components so every time zone
  // writes the same bytes.
  const mtime = new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 0, 0, 0);
  const out: Zippable = {};
  for (const [name, bytes] of Object.entries(parts)) {
    const data = name === CORE ? strToU8(fixCoreDates(strFromU8(bytes), iso)) : bytes;
    out[name] = [data, { mtime, level: 6 }];
  }
  return zipSync(out);
}
