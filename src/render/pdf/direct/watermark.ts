/**
 * The size and place of a watermark as pdfmake 0.3.11 works them out (LayoutBuilder.addWatermark,
 * Renderer.renderWatermark): along the page's diagonal, the largest size (searched by halving between 0
 * and 1000 pt) whose rotated box fits the page, centred before the rotation about the page's centre.
 */
import { pdfkitLineHeight, pdfkitWidthOfString, type LoadedFont } from '../fonts.js';

export interface WatermarkPlacement {
  readonly fontSize: number;
  readonly angle: number;
  /** the text's top-left before rotation */
  readonly x: number;
  readonly y: number;
}

export function watermarkPlacement(text: string, font: LoadedFont, page: { readonly width: number; readonly height: number }): WatermarkPlacement {
  const angle = (Math.atan2(page.height, page.width) * -180) / Math.PI;
  const sizeOf = (fontSize: number) => ({
    width: pdfkitWidthOfString(font, text, fontSize),
    height: pdfkitLineHeight(font, fontSize),
  });
  const rotated = (fontSize: number) => {
    const rad = (angle * Math.PI) / -180;
    const size = sizeOf(fontSize);
    return {
      width: Math.abs(size.height * Math.sin(rad)) + Math.abs(size.width * Math.cos(rad)),
      height: Math.abs(size.width * Math.sin(rad)) + Math.abs(size.height * Math.cos(rad)),
    };
  };
  let a = 0;
  let b = 1000;
  let c = (a + b) / 2;
  while (Math.abs(a - b) > 1) {
    const box = rotated(c);
    if (box.width > page.width || (box.width < page.width && box.height > page.height)) b = c;
    else if (box.width < page.width) a = c;
    else break; // exactly the page's width: pdfmake would search forever
    c = (a + b) / 2;
  }
  const size = sizeOf(c);
  return { fontSize: c, angle, x: page.width / 2 - size.width / 2, y: page.height / 2 - size.height / 2 };
}
