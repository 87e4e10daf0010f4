import { SnapshotFormatError, describeByte } from './parse-error.js';

/** V8's own limit on typed array length; beyond it the snapshot cannot be held in one array. */
const MAX_LENGTH = 2 ** 32;

/** 1 for every byte that may not appear between the numbers of an array (anything but digits, ',' and whitespace). */
const NOT_ALLOWED = new Uint8Array(256).fill(1);
for (const c of [44, 32, 10, 13, 9]) NOT_ALLOWED[c] = 0;
for (let c = 48; c <= 57; c++) NOT_ALLOWED[c] = 0;
const IS_COMMA = new Uint8Array(256);
IS_COMMA[44] = 1;

/**
 * Parses one JSON array of non-negative integers (`nodes`, `edges`, `locations`, ...) straight
 * from bytes into a Uint32Array, chunk by chunk, without creating a string or a number object
 * per value. The array is preallocated from the header's declared count and grows
 * geometrically when the declaration is missing or wrong (validated later).
 *
 * The hot loop is shaped for V8: int32 arithmetic only, and no branch per separator. Values are
 * accumulated modulo 2^32 (`| 0`), which is exact for every value a Uint32Array can hold, the
 * same storage DevTools uses. Instead of a state machine, the loop counts commas and ORs a
 * table bit for forbidden bytes; both are checked after the chunk (the first forbidden byte is
 * then located exactly), and numbers and commas must alternate: n values need n - 1 commas.
 */
export class NumberArrayScanner {
  values: Uint32Array;
  length = 0;
  done = false;
  private commas = 0;
  /** A number cut by a chunk border: its value so far. */
  private value = 0;
  private inNumber = 0;

  constructor(
    readonly section: string,
    initialCapacity: number,
  ) {
    this.values = new Uint32Array(Math.max(16, Math.min(initialCapacity, MAX_LENGTH)));
  }

  /**
   * Consumes bytes from `buf[i]` up to `end` or past the closing ']', whichever comes first.
   * Returns the index of the first unconsumed byte. `base` is the file offset of `buf[0]`.
   */
  scan(buf: Uint8Array, i: number, end: number, base: number): number {
    // The closing bracket is found with a native search, so the hot loop needs no test for it.
    const close = buf.indexOf(93, i);
    const stop = close >= 0 && close < end ? close : end;
    const start = i;

    let values = this.values;
    let cap = values.length;
    let length = this.length;
    let value = this.value;
    let inNumber = this.inNumber;
    let commas = this.commas;
    let bad = 0;
    for (; i < stop; i++) {
      const d = buf[i] - 48;
      if (d >= 0 && d <= 9) {
        value = (value * 10 + d) | 0;
        inNumber = 1;
      } else {
        if (inNumber !== 0) {
          if (length === cap) {
            values = this.grow(length, base + i);
            cap = values.length;
          }
          values[length++] = value;
          value = 0;
          inNumber = 0;
        }
        const c = d + 48;
        bad |= NOT_ALLOWED[c];
        commas += IS_COMMA[c];
      }
    }
    if (bad !== 0) this.failAtForbiddenByte(buf, start, stop, base);
    if (stop === close) {
      if (inNumber !== 0) {
        if (length === cap) values = this.grow(length, base + i);
        values[length++] = value;
        value = 0;
        inNumber = 0;
      }
      if (commas !== (length > 0 ? length - 1 : 0)) {
        throw new SnapshotFormatError(
          `numbers and commas do not alternate (${length} numbers, ${commas} commas): a missing or extra comma`,
          base + close,
          this.section,
        );
      }
      this.done = true;
      i = close + 1;
    }
    this.length = length;
    this.value = value;
    this.inNumber = inNumber;
    this.commas = commas;
    return i;
  }

  /** True when the last chunk ended inside a number. */
  get inNumberAtEnd(): boolean {
    return this.inNumber !== 0;
  }

  /** The values, trimmed to what was read. */
  result(): Uint32Array {
    return this.length === this.values.length ? this.values : this.values.slice(0, this.length);
  }

  private failAtForbiddenByte(buf: Uint8Array, from: number, to: number, base: number): never {
    for (let k = from; k < to; k++) {
      const c = buf[k];
      if (NOT_ALLOWED[c] === 0) continue;
      const why = c === 45 || c === 46 || c === 101 || c === 69 ? ': only non-negative integers are valid here' : ' in a number array';
      throw new SnapshotFormatError(`unexpected ${describeByte(c)}${why}`, base + k, this.section);
    }
    throw new Error('NumberArrayScanner: forbidden byte flagged but not found');
  }

  private grow(length: number, offset: number): Uint32Array {
    if (length >= MAX_LENGTH) {
      throw new SnapshotFormatError(`more than ${MAX_LENGTH} values: too large for one typed array`, offset, this.section);
    }
    const next = new Uint32Array(Math.min(MAX_LENGTH, Math.ceil(length * 1.5) + 1024));
    next.set(this.values);
    this.values = next;
    return next;
  }
}
