import { Buffer, constants as bufferConstants } from 'node:buffer';

/** Node's Buffer has a latin1Slice method under toString('latin1'); calling it directly skips argument checks. */
type SliceableBuffer = Buffer & { latin1Slice?: (start: number, end: number) => string };

const CACHE_BITS = 12;
const CACHE_MASK = (1 << CACHE_BITS) - 1;
/** Byte offsets are kept in a Uint32Array; a store never grows past what it can address. */
const MAX_STORE = Math.min(bufferConstants.MAX_LENGTH, 0xffffffff);

/**
 * The snapshot's `strings` section, decoded on demand. A big snapshot holds millions of strings
 * of which an analysis reads a few thousand; making every one a JS string costs heap and GC time.
 * Strings that are plain ASCII without escapes (nearly all of V8's output) are kept as bytes in
 * one store and become JS strings when read (a small cache keeps the latest); any other string
 * (escapes, non-ASCII, or strings added afterwards) is kept decoded. The text read back is
 * exactly what JSON.parse would give.
 */
export class StringTable {
  /** `ends[i]`: where string i's bytes end in `store`; it starts where string i-1's end. Zero bytes: see `decoded`. */
  private ends: Uint32Array;
  private store: Buffer;
  private storeLength = 0;
  /** Strings kept as JS strings, by index (an entry with zero bytes and none here is ''). */
  private readonly decoded = new Map<number, string>();
  /** Strings of the section (indexes below it live in `ends`). */
  private sectionCount = 0;
  /** Strings appended after the section (push). */
  private readonly pushed: string[] = [];
  private sealed = false;
  private readonly cacheKeys = new Int32Array(1 << CACHE_BITS).fill(-1);
  private readonly cacheValues: string[] = new Array<string>(1 << CACHE_BITS).fill('');

  /** `expectedCount`/`expectedBytes`: guesses that size the first allocations; growth copies. */
  constructor(expectedCount = 0, expectedBytes = 0) {
    this.ends = new Uint32Array(Math.max(16, expectedCount));
    this.store = Buffer.allocUnsafeSlow(Math.max(1024, Math.min(expectedBytes, 1 << 30, MAX_STORE)));
  }

  /** A table holding these strings (tests, and snapshots built in memory). */
  static from(strings: Iterable<string>): StringTable {
    const table = new StringTable();
    for (const s of strings) table.addString(s);
    table.seal();
    return table;
  }

  get length(): number {
    return this.sectionCount + this.pushed.length;
  }

  /** Section building: appends an ASCII string (no byte >= 0x80, no escapes) given as bytes. */
  addAscii(buf: Uint8Array, start: number, end: number): void {
    const n = end - start;
    let pos = this.storeLength;
    if (pos + n > this.store.length && !this.growStore(pos + n)) {
      this.addString(Buffer.from(buf.buffer, buf.byteOffset + start, n).toString('latin1'));
      return;
    }
    const count = this.sectionCount;
    if (count === this.ends.length) this.growEnds();
    const store = this.store;
    if (n < 48) {
      for (let k = start; k < end; k++) store[pos++] = buf[k];
    } else {
      store.set(buf.subarray(start, end), pos);
      pos += n;
    }
    this.storeLength = pos;
    this.ends[count] = pos;
    this.sectionCount = count + 1;
  }

  /**
   * Section building, the parser's fast path: copies bytes from `buf[start]` up to the first one
   * flagged in `special` (which must flag '"' and every byte >= 0x80) and returns that byte's
   * index. When it is a closing quote the copied bytes become the next string; otherwise nothing
   * is appended. Copying while scanning reads each byte once.
   */
  scanAscii(buf: Uint8Array, start: number, end: number, special: Uint8Array): number {
    let pos = this.storeLength;
    if (pos + (end - start) > this.store.length && !this.growStore(pos + (end - start))) {
      let j = start;
      while (j < end && special[buf[j]] === 0) j++;
      if (j < end && buf[j] === 34) this.addAscii(buf, start, j);
      return j;
    }
    const store = this.store;
    let j = start;
    while (j < end) {
      const b = buf[j];
      if (special[b] !== 0) break;
      store[pos++] = b;
      j++;
    }
    if (j < end && buf[j] === 34) {
      const count = this.sectionCount;
      if (count === this.ends.length) this.growEnds();
      this.ends[count] = pos;
      this.storeLength = pos;
      this.sectionCount = count + 1;
    }
    return j;
  }

  /** Section building: appends a string kept decoded. */
  addString(s: string): void {
    const count = this.sectionCount;
    if (count === this.ends.length) this.growEnds();
    this.ends[count] = this.storeLength;
    if (s !== '') this.decoded.set(count, s);
    this.sectionCount = count + 1;
  }

  /** Ends section building: later strings come by push. */
  seal(): void {
    this.sealed = true;
  }

  /** The string at index i (undefined beyond the table, as an array would give). */
  get(i: number): string {
    const count = this.sectionCount;
    if (i >= count || i < 0 || !Number.isInteger(i)) return this.pushed[i - count];
    const end = this.ends[i];
    const start = i === 0 ? 0 : this.ends[i - 1];
    if (start === end) return this.decoded.get(i) ?? '';
    const slot = i & CACHE_MASK;
    if (this.cacheKeys[slot] === i) return this.cacheValues[slot];
    const s = this.slice(start, end);
    this.cacheKeys[slot] = i;
    this.cacheValues[slot] = s;
    return s;
  }

  /** Whether string i is exactly `text`, without making a JS string of it. */
  is(i: number, text: string): boolean {
    const count = this.sectionCount;
    if (i >= count || i < 0 || !Number.isInteger(i)) return this.pushed[i - count] === text;
    const end = this.ends[i];
    const start = i === 0 ? 0 : this.ends[i - 1];
    if (start === end) return (this.decoded.get(i) ?? '') === text;
    if (end - start !== text.length) return false;
    const store = this.store;
    for (let k = 0; k < text.length; k++) if (store[start + k] !== text.charCodeAt(k)) return false;
    return true;
  }

  /** The length of string i (-1 beyond the table), without making a JS string of it. */
  lengthOf(i: number): number {
    const count = this.sectionCount;
    if (i >= count || i < 0 || !Number.isInteger(i)) return this.pushed[i - count]?.length ?? -1;
    const end = this.ends[i];
    const start = i === 0 ? 0 : this.ends[i - 1];
    return start === end ? (this.decoded.get(i)?.length ?? 0) : end - start;
  }

  /** The UTF-16 code unit at k of string i (NaN outside it), without making a JS string of it. */
  charCodeAt(i: number, k: number): number {
    const count = this.sectionCount;
    if (i >= count || i < 0 || !Number.isInteger(i)) return (this.pushed[i - count] ?? '').charCodeAt(k);
    const end = this.ends[i];
    const start = i === 0 ? 0 : this.ends[i - 1];
    if (start === end) return (this.decoded.get(i) ?? '').charCodeAt(k);
    return k >= 0 && k < end - start && Number.isInteger(k) ? this.store[start + k] : NaN;
  }

  indexOf(text: string): number {
    for (let i = 0, n = this.sectionCount; i < n; i++) if (this.is(i, text)) return i;
    const p = this.pushed.indexOf(text);
    return p === -1 ? -1 : this.sectionCount + p;
  }

  /** Visits every string (each made a JS string in turn; the cache is left alone). */
  forEach(fn: (s: string, i: number) => void): void {
    const ends = this.ends;
    let start = 0;
    for (let i = 0, n = this.sectionCount; i < n; i++) {
      const end = ends[i];
      fn(start === end ? (this.decoded.get(i) ?? '') : this.slice(start, end), i);
      start = end;
    }
    const base = this.sectionCount;
    this.pushed.forEach((s, k) => fn(s, base + k));
  }

  /** Appends a string after the section's; returns the new length, as Array.push does. */
  push(s: string): number {
    if (!this.sealed) this.seal();
    this.pushed.push(s);
    return this.length;
  }

  toArray(): string[] {
    const out = new Array<string>(this.length);
    this.forEach((s, i) => (out[i] = s));
    return out;
  }

  private slice(start: number, end: number): string {
    const store = this.store as SliceableBuffer;
    return typeof store.latin1Slice === 'function' ? store.latin1Slice(start, end) : store.toString('latin1', start, end);
  }

  private growEnds(): void {
    const next = new Uint32Array(this.ends.length * 2);
    next.set(this.ends);
    this.ends = next;
  }

  /** False when the store cannot grow that far (the string is then kept decoded). */
  private growStore(needed: number): boolean {
    if (needed > MAX_STORE) return false;
    const next = Buffer.allocUnsafeSlow(Math.min(MAX_STORE, Math.max(needed, this.store.length * 2)));
    this.store.copy(next, 0, 0, this.storeLength);
    this.store = next;
    return true;
  }
}
