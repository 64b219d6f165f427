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
 * The parts are deflated by Node's zlib and handed to fflate already deflated, through its documented
 * input-file interface (`ZipInputFile`, size and CRC given): fflate's own JavaScript deflate costs
 * about as much as the rest of a render for a package of twenty-odd small parts, native zlib a
 * quarter of it; fflate only writes the zip headers.
 */
import { gzipSync } from 'node:zlib';
import { Packer, type Document } from 'docx';
import { strFromU8, strToU8, unzipSync, Zip, type ZipInputFile } from 'fflate';
import { fillFontTable, fontTableEntries } from './font-table.js';
import { resolveFonts, type FontNames } from './fonts.js';
import { fillWritten, hasWritten, isSharing } from './shared.js';

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

/**
 * The parts of `file`, straight from the compiler when it is there, else unzipped from `Packer`; the text
 * of the components written once put back in (shared.ts, `placeWritten`).
 */
export async function packageParts(file: Document, route: PackageRoute = 'compiler'): Promise<PackageParts> {
  const compiler = route === 'compiler' ? docxCompiler() : undefined;
  if (compiler) {
    return [...compiler.compile(file)].map(([name, data]) => [name, typeof data === 'string' ? strToU8(fillWritten(data, file)) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)] as const);
  }
  return Object.entries(unzipSync(new Uint8Array(await Packer.toBuffer(file)))).map(([name, data]) => [name, name.endsWith('.xml') && hasWritten(strFromU8(data)) ? strToU8(fillWritten(strFromU8(data), file)) : data] as const);
}

const CORE = 'docProps/core.xml';
const FONT_TABLE = 'word/fontTable.xml';
const SETTINGS = 'word/settings.xml';
/** zlib's default level, as before: docx files of the same size. */
const LEVEL = 6;

/**
 * Replaces the text of `dcterms:created` / `dcterms:modified` with a fixed W3CDTF timestamp, and states
 * the document's language (`dc:language`, which the docx package does not write) for catalogues and
 * screen readers.
 */
function fixCore(xml: string, iso: string, language: string): string {
  const dated = xml.replace(/(<dcterms:(created|modified)\b[^>]*>)[^<]*(<\/dcterms:\2>)/g, `$1${iso}$3`);
  return dated.includes('<dc:language>') ? dated : dated.replace('</cp:coreProperties>', `<dc:language>${language}</dc:language></cp:coreProperties>`);
}

/**
 * Word's default for Chinese documents, which the docx package cannot write: full-width punctuation
 * compressed where two meet (`，“`), as Word and WPS set a Chinese document. Its place in CT_Settings
 * is before `w:compat` (ECMA-376 Part 1, 17.15.1.78).
 */
const PUNCTUATION = '<w:characterSpacingControl w:val="compressPunctuation"/>';

function fixSettings(xml: string): string {
  if (xml.includes('<w:characterSpacingControl')) return xml;
  if (!xml.includes('<w:compat>')) throw new Error('docx 生成的 word/settings.xml 没有 w:compat（docx 包版本变了？）');
  return xml.replace('<w:compat>', `${PUNCTUATION}<w:compat>`);
}

/** A part as nianbao writes it: the docx package's bytes, with what it cannot say added. */
function finishPart(name: string, bytes: Uint8Array, iso: string, language: string, fonts: FontNames): Uint8Array {
  switch (name) {
    case CORE:
      return strToU8(fixCore(strFromU8(bytes), iso, language));
    case FONT_TABLE:
      return strToU8(fillFontTable(strFromU8(bytes), fontTableEntries(fonts)));
    case SETTINGS:
      return strToU8(fixSettings(strFromU8(bytes)));
    default:
      return bytes;
  }
}

/** A part deflated, with what the zip headers need: its CRC-32 and size before deflating. */
interface DeflatedPart {
  readonly raw: Uint8Array;
  readonly deflated: Uint8Array<ArrayBuffer>;
  readonly crc: number;
}

/**
 * Deflates a part with zlib. Through gzip: a gzip stream is the raw deflate stream between a 10-byte
 * header and a trailer holding the CRC-32 of the input, which zlib computes natively on the way
 * (fflate would compute it again in JavaScript, a byte at a time).
 */
function deflate(raw: Uint8Array): DeflatedPart {
  const gzip = gzipSync(raw, { level: LEVEL });
  const deflated = new Uint8Array(gzip.buffer, gzip.byteOffset + 10, gzip.length - 18);
  return { raw, deflated, crc: gzip.readUInt32LE(gzip.length - 8) };
}

/**
 * The last part deflated under each name. Most parts (styles, theme, settings, footers …) are the
 * same in every report of a run; zlib gives the same output for the same input, so equal bytes
 * reuse it.
 */
const lastDeflated = new Map<string, DeflatedPart>();

function deflatePart(name: string, raw: Uint8Array): DeflatedPart {
  const last = lastDeflated.get(name);
  if (last && isSharing() && Buffer.compare(last.raw, raw) === 0) return last;
  const part = deflate(raw);
  lastDeflated.set(name, part);
  return part;
}

/**
 * A zip entry already deflated: fflate's documented input-file interface with the size and CRC
 * given, so fflate only writes the headers around the data.
 */
function addDeflated(zip: Zip, filename: string, mtime: Date, part: DeflatedPart): void {
  const entry: ZipInputFile = { filename, mtime, compression: 8 /* DEFLATE */, size: part.raw.length, crc: part.crc };
  zip.add(entry);
  entry.ondata!(null, part.deflated, true);
}

/**
 * Zips the parts with fixed dates, the document's language and the font table of `fonts` (the faces
 * its styles name): same parts, date and fonts → same bytes.
 */
export function zipPackage(parts: PackageParts, date: Date, language = 'zh-CN', fonts: FontNames = resolveFonts()): Uint8Array {
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
    addDeflated(zip, name, mtime, deflatePart(name, finishPart(name, bytes, iso, language, fonts)));
  }
  zip.end(); // every callback above has run: this zip is synchronous throughout
  if (failure) throw failure;
  return Buffer.concat(chunks);
}
