/**
 * Decodes a JSON string literal's body, starting at `start` (just after the opening quote), in
 * place in `buf`, to UTF-8. Every escape is longer than what it decodes to, so the output never
 * overtakes the input. Returns the end of the decoded bytes and the index just after the closing
 * quote, or null when the literal is malformed or unterminated.
 *
 * Why: a heap snapshot arrives as hundreds of MB of `addHeapSnapshotChunk` messages; decoding them
 * as bytes keeps each chunk out of the JS heap (no message string, no chunk string), which is what
 * keeps memprof's own memory flat and small whatever the snapshot size. Lone surrogates become
 * U+FFFD, as Buffer.from(string, 'utf8') would write them.
 */
export function decodeJsonStringInPlace(buf: Buffer, start: number): { end: number; next: number } | null {
  let r = start;
  let w = start;
  const n = buf.length;
  // Next quote and backslash, searched again only once passed (rescanning each time is quadratic).
  let quote = buf.indexOf(0x22, r);
  let slash = buf.indexOf(0x5c, r);
  for (;;) {
    if (quote !== -1 && quote < r) quote = buf.indexOf(0x22, r);
    if (slash !== -1 && slash < r) slash = buf.indexOf(0x5c, r);
    if (quote === -1) return null;
    const stop = slash !== -1 && slash < quote ? slash : quote;
    if (stop > r) {
      if (w !== r) buf.copyWithin(w, r, stop);
      w += stop - r;
      r = stop;
    }
    if (stop === quote) return { end: w, next: quote + 1 };
    // An escape at r.
    if (r + 1 >= n) return null;
    const e = buf[r + 1];
    let simple = -1;
    switch (e) {
      case 0x22: // "
      case 0x5c: // \
      case 0x2f: // /
        simple = e;
        break;
      case 0x62: // b
        simple = 0x08;
        break;
      case 0x66: // f
        simple = 0x0c;
        break;
      case 0x6e: // n
        simple = 0x0a;
        break;
      case 0x72: // r
        simple = 0x0d;
        break;
      case 0x74: // t
        simple = 0x09;
        break;
      case 0x75: {
        // u
        let cp = hex4(buf, r + 2);
        if (cp < 0) return null;
        r += 6;
        if (cp >= 0xd800 && cp <= 0xdbff) {
          const low = buf[r] === 0x5c && buf[r + 1] === 0x75 ? hex4(buf, r + 2) : -1;
          if (low >= 0xdc00 && low <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
            r += 6;
          } else cp = 0xfffd;
        } else if (cp >= 0xdc00 && cp <= 0xdfff) cp = 0xfffd;
        w = writeUtf8(buf, w, cp);
        continue;
      }
      default:
        return null;
    }
    buf[w++] = simple;
    r += 2;
  }
}

function hex4(buf: Buffer, at: number): number {
  if (at + 4 > buf.length) return -1;
  let v = 0;
  for (let i = at; i < at + 4; i++) {
    const c = buf[i];
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (d < 0) return -1;
    v = (v << 4) | d;
  }
  return v;
}

function writeUtf8(buf: Buffer, w: number, cp: number): number {
  if (cp < 0x80) buf[w++] = cp;
  else if (cp < 0x800) {
    buf[w++] = 0xc0 | (cp >> 6);
    buf[w++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    buf[w++] = 0xe0 | (cp >> 12);
    buf[w++] = 0x80 | ((cp >> 6) & 0x3f);
    buf[w++] = 0x80 | (cp & 0x3f);
  } else {
    buf[w++] = 0xf0 | (cp >> 18);
    buf[w++] = 0x80 | ((cp >> 12) & 0x3f);
    buf[w++] = 0x80 | ((cp >> 6) & 0x3f);
    buf[w++] = 0x80 | (cp & 0x3f);
  }
  return w;
}
