/**
 * Makes the packed .docx reproducible. The docx package stamps the document properties with the
 * current time and the zip entries with the current mtime; this re-zips the same parts, in the same
 * order, with a fixed creation date in docProps/core.xml and a fixed entry time.
 *
 * The parts are deflated by Node's zlib, through fflate's documented hook for custom compression
 * (a `ZipPassThrough` whose `process` compresses): fflate's own JavaScript deflate costs about as much
 * as the rest of a render for a package of twenty-odd small parts, native zlib a quarter of it.
 */
import { deflateRawSync } from 'node:zlib';
import { strFromU8, strToU8, unzipSync, Zip, ZipPassThrough } from 'fflate';

const CORE = 'docProps/core.xml';
/** zlib's default level, as before: docx files of the same size. */
const LEVEL = 6;

/** Replaces the text of `dcterms:created` / `dcterms:modified` with a fixed W3CDTF timestamp. */
function fixCoreDates(xml: string, iso: string): string {
  return xml.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${iso}$3`);
}

/** A zip entry deflated in one go by zlib; fflate computes its CRC and size and writes the headers. */
class NativeDeflate extends ZipPassThrough {
  constructor(filename: string, mtime: Date) {
    super(filename);
    this.compression = 8; // DEFLATE
    this.mtime = mtime;
  }

  override process(chunk: Uint8Array, final: boolean): void {
    this.ondata(null, deflateRawSync(chunk, { level: LEVEL }), final);
  }
}

export function normalizePackage(docx: Uint8Array, date: Date): Uint8Array {
  const parts = unzipSync(docx);
  const iso = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  // A DOS zip time is local wall-clock time: build it from local components so every time zone
  // writes the same bytes.
  const mtime = new Date(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), 0, 0, 0);
  const chunks: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((error, chunk) => {
    if (error) failure ??= error;
    else chunks.push(chunk);
  });
  for (const [name, bytes] of Object.entries(parts)) {
    const entry = new NativeDeflate(name, mtime);
    zip.add(entry);
    entry.push(name === CORE ? strToU8(fixCoreDates(strFromU8(bytes), iso)) : bytes, true);
  }
  zip.end(); // every callback above has run: this zip is synchronous throughout
  if (failure) throw failure;
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
