/**
 * Makes the packed .docx reproducible. The docx package stamps the document properties with the
 * current time and the zip entries with the current mtime; this zips the same parts, in the same
 * order, with a fixed creation date in docProps/core.xml and a fixed entry time.
 *
 * The parts come from the docx package's compiler, the step `Packer` runs before zipping: zipping
 * there, unzipping here and zipping again cost a fifth of a render. `Packer.compiler` is not public
 * API (docx is pinned to an exact version in package.json); if it ever goes, the public `Packer`
 * route takes over, and a test checks both routes give the same bytes.
 *
 * The parts are deflated by Node's zlib, through fflate's documented hook for custom compression
 * (a `ZipPassThrough` whose `process` compresses): fflate's own JavaScript deflate costs about as much
 * as the rest of a render for a package of twenty-odd small parts, native zlib a quarter of it.
 */
import { deflateRawSync } from 'node:zlib';
import { Packer, type Document } from 'docx';
import { strFromU8, strToU8, unzipSync, Zip, ZipPassThrough } from 'fflate';
import { isSharing } from './shared.js';

/** A package's parts, by path, in zip order. */
export type PackageParts = ReadonlyArray<readonly [string, Uint8Array]>;
export type PackageRoute = 'compiler' | 'packer';

interface Compiler {
  compile(file: Document): Map<string, string | Uint8Array>;
}

function docxCompiler(): Compiler | undefined {
  const compiler = (Packer as unknown as { compiler?: Partial<Compiler> }).compiler;
  return typeof compiler?.compile === 'function' ? (compiler as Compiler) : undefined;
}

/** The parts of `file`, straight from the compiler when it is there, else unzipped from `Packer`. */
export async function packageParts(file: Document, route: PackageRoute = 'compiler'): Promise<PackageParts> {
  const compiler = route === 'compiler' ? docxCompiler() : undefined;
  if (compiler) {
    return [...compiler.compile(file)].map(([name, data]) => [name, typeof data === 'string' ? strToU8(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)] as const);
  }
  return Object.entries(unzipSync(new Uint8Array(await Packer.toBuffer(file))));
}

const CORE = 'docProps/core.xml';
/** zlib's default level, as before: docx files of the same size. */
const LEVEL = 6;

/** Replaces the text of `dcterms:created` / `dcterms:modified` with a fixed W3CDTF timestamp. */
function fixCoreDates(xml: string, iso: string): string {
  return xml.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${iso}$3`);
}

/**
 * The last bytes deflated under each part name, with their deflated form. Most parts (styles, theme,
 * settings, footers …) are the same in every report of a run; zlib gives the same output for the
 * same input, so equal bytes reuse it.
 */
type Deflated = ReturnType<typeof deflateRawSync>;
const lastDeflated = new Map<string, { readonly raw: Uint8Array; readonly deflated: Deflated }>();

function deflatePart(name: string, raw: Uint8Array): Deflated {
  const last = lastDeflated.get(name);
  if (last && isSharing() && Buffer.compare(last.raw, raw) === 0) return last.deflated;
  const deflated = deflateRawSync(raw, { level: LEVEL });
  lastDeflated.set(name, { raw, deflated });
  return deflated;
}

/** A zip entry deflated in one go by zlib; fflate computes its CRC and size and writes the headers. */
class NativeDeflate extends ZipPassThrough {
  constructor(filename: string, mtime: Date) {
    super(filename);
    this.compression = 8; // DEFLATE
    this.mtime = mtime;
  }

  override process(chunk: Uint8Array, final: boolean): void {
    this.ondata(null, deflatePart(this.filename, chunk), final); // one chunk: the whole part
  }
}

/** Zips the parts with fixed dates: same parts and date → same bytes. */
export function zipPackage(parts: PackageParts, date: Date): Uint8Array {
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
  for (const [name, bytes] of parts) {
    const entry = new NativeDeflate(name, mtime);
    zip.add(entry);
    entry.push(name === CORE ? strToU8(fixCoreDates(strFromU8(bytes), iso)) : bytes, true);
  }
  zip.end(); // every callback above has run: this zip is synchronous throughout
  if (failure) throw failure;
  return Buffer.concat(chunks);
}
