import { SnapshotFormatError, describeByte } from './parse-error.js';

const MAX_U32 = 0xffffffff;
/** V8's own limit on typed array length; beyond it the snapshot cannot be held in one array. */
const MAX_LENGTH = 2 ** 32;

// Where the scanner is inside `[ ... ]`; kept between chunks so a number may straddle a border.
const AFTER_OPEN = 0; // just after '[': a value or ']'
const AFTER_COMMA = 1; // a value is required
const IN_NUMBER = 2;
const AFTER_NUMBER = 3; // whitespace after a value: ',' or ']'

/**
 * Parses one JSON array of non-negative integers (`nodes`, `edges`, `locations`, ...) straight
 * from bytes into a Uint32Array, chunk by chunk, without creating a string or a number object
 * per value. The array is preallocated from the header's declared count and grows
 * geometrically when the declaration is missing or wrong (validated later).
 */
export class NumberArrayScanner {
  values: Uint32Array;
  length = 0;
  done = false;
  private state = AFTER_OPEN;
  private value = 0;

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
    let values = this.values;
    let cap = values.length;
    let length = this.length;
    let state = this.state;
    let value = this.value;
    for (; i < end; i++) {
      const c = buf[i];
      if (c >= 48 && c <= 57) {
        if (state === AFTER_NUMBER) this.fail('missing comma between numbers', base + i);
        value = value * 10 + (c - 48);
        state = IN_NUMBER;
      } else if (c === 44) {
        if (state === IN_NUMBER) {
          if (value > MAX_U32) this.fail(`number ${value} is out of range`, base + i);
          if (length === cap) {
            values = this.grow(length, base + i);
            cap = values.length;
          }
          values[length++] = value;
          value = 0;
        } else if (state !== AFTER_NUMBER) {
          this.fail('expected a number before this comma', base + i);
        }
        state = AFTER_COMMA;
      } else if (c === 10 || c === 32 || c === 13 || c === 9) {
        if (state === IN_NUMBER) {
          if (value > MAX_U32) this.fail(`number ${value} is out of range`, base + i);
          if (length === cap) {
            values = this.grow(length, base + i);
            cap = values.length;
          }
          values[length++] = value;
          value = 0;
          state = AFTER_NUMBER;
        }
      } else if (c === 93) {
        if (state === IN_NUMBER) {
          if (value > MAX_U32) this.fail(`number ${value} is out of range`, base + i);
          if (length === cap) {
            values = this.grow(length, base + i);
            cap = values.length;
          }
          values[length++] = value;
          value = 0;
        } else if (state === AFTER_COMMA) {
          this.fail('expected a number after the last comma', base + i);
        }
        this.done = true;
        i++;
        break;
      } else if (c === 45 || c === 46 || c === 101 || c === 69) {
        this.fail(`found ${describeByte(c)}: only non-negative integers are valid here`, base + i);
      } else {
        this.fail(`unexpected ${describeByte(c)} in a number array`, base + i);
      }
    }
    this.length = length;
    this.state = state;
    this.value = value;
    return i;
  }

  /** The values, trimmed to what was read. */
  result(): Uint32Array {
    return this.length === this.values.length ? this.values : this.values.slice(0, this.length);
  }

  private grow(length: number, offset: number): Uint32Array {
    if (length >= MAX_LENGTH) this.fail(`more than ${MAX_LENGTH} values: too large for one typed array`, offset);
    const next = new Uint32Array(Math.min(MAX_LENGTH, Math.ceil(length * 1.5) + 1024));
    next.set(this.values);
    this.values = next;
    return next;
  }

  private fail(problem: string, offset: number): never {
    throw new SnapshotFormatError(problem, offset, this.section);
  }
}
