/**
 * Work the docx package has done once, kept for the next document in the same process. A report's
 * tables are the official forms: their labels, headers and most figures (0, 1, 2 …) recur cell for cell
 * in every report, and building and writing those cells was most of a render. What is kept is the
 * package's own written form of a component, so a reused one writes the same bytes as a fresh one.
 */

import type { BaseXmlComponent, IContext, IXmlableObject } from 'docx';

let sharing = true;

/** Whether work is shared: false only inside `withoutSharing`. */
export function isSharing(): boolean {
  return sharing;
}

/**
 * Runs `render` with nothing shared or kept, every component the docx package's own, built and
 * written afresh, as before sharing: tests compare the bytes of the two.
 */
export async function withoutSharing<T>(render: () => Promise<T>): Promise<T> {
  sharing = false;
  try {
    return await render();
  } finally {
    sharing = true;
  }
}

/**
 * Freezes a written component and everything in it. A document that reuses it then cannot change it
 * for the next: the docx package is strict-mode code, so a write to a frozen object throws.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * `component` as it is, except that it is written once: every later write gives the same frozen
 * written form. For parts whose XML depends on their own options only, built by the docx package
 * for the first document and standing in for the same part of the next ones. The stand-in inherits
 * everything else (getters, fields) from the component itself.
 */
export function writtenOnce<T extends BaseXmlComponent>(component: T): T {
  let written: IXmlableObject | undefined;
  const stand: T = Object.create(component);
  Object.defineProperty(stand, 'prepForXml', {
    value: (context: IContext) => (written ??= deepFreeze(component.prepForXml(context))),
  });
  return stand;
}
