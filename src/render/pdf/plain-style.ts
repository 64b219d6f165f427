/**
 * pdfmake breaks text into fragments (one per character in Chinese) and looks up some twenty style
 * properties for each fragment by walking the stack of nodes around it, down to the document defaults:
 * the largest single cost of a PDF. A text node that states every property answers each lookup one
 * level above the fragment. These are pdfmake's defaults (TextInlines.measure, TextBreaker), with
 * `false` where pdfmake's default is null (every reader of these treats it as absent); `link` stays
 * out, because pdfkit draws a link for any value but null. (Typed `object`: pdfmake's types do not
 * allow `false` for some of these, and the values need no checking beyond pdfmake's own readers.)
 */
export const PLAIN_TEXT: object = {
  bold: false,
  italics: false,
  fontFeatures: false,
  characterSpacing: 0,
  color: 'black',
  decoration: false,
  decorationColor: false,
  decorationStyle: false,
  decorationThickness: false,
  background: false,
  linkToPage: false,
  linkToDestination: false,
  noWrap: false,
  wordBreak: 'normal',
  opacity: 1,
  sup: false,
  sub: false,
  preserveLeadingSpaces: false,
  preserveTrailingSpaces: false,
};
