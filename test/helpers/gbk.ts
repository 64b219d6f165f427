/**
 * GBK bytes for encoding tests. Node has a GBK decoder but no encoder; the reverse table is built
 * from the decoder itself, so no codec library is needed.
 */
let table: Map<string, number[]> | undefined;

function reverseTable(): Map<string, number[]> {
  if (table) return table;
  table = new Map();
  const decoder = new TextDecoder('gbk', { fatal: true });
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      try {
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (!table.has(ch)) table.set(ch, [lead, trail]);
      } catch {
        // unassigned code
      }
    }
  }
  return table;
}

export function encodeGbk(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = reverseTable().get(ch);
      if (!bytes) throw new Error(`GBK 无法表示「${ch}」`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}
