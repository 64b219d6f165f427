/**
 * Word boundaries of Chinese text, shared by the emitters that break an agency name (title, 落款)
 * between its words: ICU's dictionary segmentation through `Intl.Segmenter`, so 人民政府 or 办公室 is
 * never cut across two lines.
 */
const WORDS = new Intl.Segmenter('zh', { granularity: 'word' });

/** The offsets (UTF-16) where the words of `text` begin, 0 included. */
export function wordBoundaries(text: string): Set<number> {
  return new Set([...WORDS.segment(text)].map((segment) => segment.index));
}

/** The words of `text`, in order (joined they give the text back). */
export function wordsOf(text: string): string[] {
  return [...WORDS.segment(text)].map((segment) => segment.segment);
}
