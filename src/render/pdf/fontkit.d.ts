// The small part of fontkit 2 (no bundled types) that the PDF emitter reads: metrics, glyph coverage, shaping.
declare module 'fontkit' {
  export interface Font {
    readonly type: string;
    readonly postscriptName: string;
    readonly unitsPerEm: number;
    readonly ascent: number;
    readonly descent: number;
    hasGlyphForCodePoint(codePoint: number): boolean;
    glyphForCodePoint(codePoint: number): { readonly advanceWidth: number };
    /** Shapes a string (features, script, language, direction optional). Replaceable: the emitter caches it. */
    layout(text: string, ...options: unknown[]): GlyphRun;
  }
  export interface GlyphRun {
    glyphs: unknown[];
    positions: object[];
    /** the run's advance in font units */
    readonly advanceWidth: number;
  }
  export interface FontCollection {
    readonly type: string;
    readonly fonts: Font[];
  }
  export function create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection | null;
  /** Adds a font format: `probe(buffer)` recognises its files, `new format(stream)` opens one. */
  export function registerFormat(format: { probe(buffer: Uint8Array): boolean; new (stream: { buffer: Uint8Array }): unknown }): void;
}
