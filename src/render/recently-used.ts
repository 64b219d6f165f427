/**
 * A bounded memo for work the renderers repeat from report to report (the docx package's recurring
 * cells, a header's broken lines): it keeps the most recently used entries only, so a long run over
 * many reports (a workspace of a thousand) holds the recurring ones without growing with every new one.
 */
export class RecentlyUsed<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The value for `key`, made by `make` when it is not kept; either way it becomes the most recent. */
  get(key: K, make: () => V): V {
    const kept = this.#entries.get(key);
    if (kept !== undefined) {
      this.#entries.delete(key); // re-inserted below: a Map iterates in insertion order, oldest first
      this.#entries.set(key, kept);
      return kept;
    }
    const made = make();
    this.#entries.set(key, made);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
    return made;
  }
}
