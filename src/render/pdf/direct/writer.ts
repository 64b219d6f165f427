/**
 * The pdfkit document a predicted layout is drawn into: created with the options pdfmake 0.3.11 gives
 * pdfkit (Printer.createPdfKitDocument), its fonts opened in the order pdfmake opens them, so that each
 * embedded subset gets the same id and name (`F2` → `BAAAAA+…`) as in a PDF pdfmake drew.
 *
 * pdfkit opens fonts through `fontkit.create(bytes)`: every role is registered with its token
 * (fonts.ts), which the token format registered with pdfkit's own fontkit turns into the parsed font.
 * This module imports `pdfkit`, the package pdfmake draws with (a direct dependency of the same version,
 * so npm installs one copy and both see the same fontkit).
 */
import PDFDocument from 'pdfkit';
import type { FontRole } from '../../layout.js';
import { fontTokens, type LoadedFont } from '../fonts.js';

/** Document information, as the PDF's Info dictionary states it (Title, Author, Producer, CreationDate …). */
export type PdfInfo = Record<string, string | Date>;

export interface WriterOptions {
  readonly page: { readonly width: number; readonly height: number };
  readonly info: PdfInfo;
  readonly lang: string;
  readonly fonts: Readonly<Record<FontRole, LoadedFont>>;
  /** the roles in the order pdfmake first measures text in them (it opens a role's font then) */
  readonly fontOrder: readonly FontRole[];
}

/** What text and rules are drawn on. */
export interface Canvas {
  /** One run of text, its top-left at (x, y) as pdfmake hands it to pdfkit (pdfkit finds the baseline). */
  text(role: FontRole, size: number, text: string, x: number, y: number, characterSpacing: number): void;
  /** A straight black rule. */
  rule(x1: number, y1: number, x2: number, y2: number, width: number): void;
}

/** Draws text and rules on the pages of one document; `finish` gives its bytes. */
export class PdfWriter implements Canvas {
  private readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;
  /**
   * The role whose font pdfkit keeps for each role. pdfkit opens a role's font once and keeps it under
   * the role's name, except when it finds the same font already open under another role (several roles
   * often share one file): it then uses that one and keeps nothing under the new name, so the font is
   * selected by the first role's name from then on.
   */
  private readonly selectAs = new Map<FontRole, FontRole>();
  private lineWidth: number | undefined;
  pages = 0;

  constructor(private readonly options: WriterOptions) {
    // pdfmake's options (Printer.createPdfKitDocument): PDF 1.3, untagged, compressed, no default font
    this.doc = new PDFDocument({
      size: [options.page.width, options.page.height],
      pdfVersion: '1.3',
      tagged: false,
      displayTitle: true,
      compress: true,
      lang: options.lang,
      fontLayoutCache: true,
      bufferPages: false,
      autoFirstPage: false,
      info: options.info,
      font: null,
    } as unknown as PDFKit.PDFDocumentOptions);
    this.doc.on('data', (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on('end', resolve);
      this.doc.on('error', reject);
    });
    // A role whose font an earlier role opened still counts in pdfkit's font ids (`F1`, `F2` …): it is
    // opened as pdfmake opens it, unless no other font is opened after it (its id would name nothing).
    const firstRole = new Map<LoadedFont, FontRole>();
    for (const role of options.fontOrder) if (!firstRole.has(options.fonts[role])) firstRole.set(options.fonts[role], role);
    const lastNew = Math.max(...[...firstRole.values()].map((role) => options.fontOrder.indexOf(role)));
    options.fontOrder.forEach((role, i) => {
      const first = firstRole.get(options.fonts[role])!;
      this.selectAs.set(role, first);
      if (first !== role && i > lastNew) return;
      this.doc.registerFont(role, Buffer.from(fontTokens.get(options.fonts[role].vfsName)!));
      this.doc.font(role);
    });
  }

  addPage(): void {
    this.doc.addPage({ size: [this.options.page.width, this.options.page.height] });
    this.pages++;
    this.lineWidth = undefined;
  }

  text(role: FontRole, size: number, text: string, x: number, y: number, characterSpacing: number): void {
    this.select(role, size);
    // (pdfmake also hands pdfkit the text's width and word count, which pdfkit reads only for links and underlines)
    this.doc.text(text, x, y, { lineBreak: false, characterSpacing });
  }

  /** (the stroke colour, join, cap and dash stay at their PDF defaults) */
  rule(x1: number, y1: number, x2: number, y2: number, width: number): void {
    if (this.lineWidth !== width) this.doc.lineWidth((this.lineWidth = width));
    this.doc.moveTo(x1, y1).lineTo(x2, y2).stroke();
  }

  /** Text drawn rotated about the page's centre, in a colour and opacity of its own (a watermark). */
  rotatedText(role: FontRole, size: number, text: string, x: number, y: number, angle: number, color: string, opacity: number): void {
    this.doc.fillColor(color).opacity(opacity);
    this.doc.save();
    this.doc.rotate(angle, { origin: [this.options.page.width / 2, this.options.page.height / 2] });
    this.select(role, size);
    this.doc.text(text, x, y, { lineBreak: false });
    this.doc.restore();
  }

  async finish(): Promise<Uint8Array> {
    this.doc.end();
    await this.ended;
    const buffer = Buffer.concat(this.chunks);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  private select(role: FontRole, size: number): void {
    this.doc.font(this.selectAs.get(role) ?? role).fontSize(size);
  }
}
