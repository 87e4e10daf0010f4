import { Buffer, constants as bufferConstants } from 'node:buffer';
import { SnapshotFormatError, describeByte } from './parse-error.js';
import { StringTable } from './string-table.js';

const AFTER_OPEN = 0; // just after '[': a string or ']'
const AFTER_COMMA = 1; // a string is required
const IN_STRING = 2; // inside a string that needed the slow path
const AFTER_STRING = 3; // ',' or ']'

// Escape sub-states while IN_STRING: 0 none, 1 after '\', 2..5 = that many minus 2 hex digits of \uXXXX read.
const ESC_NONE = 0;
const ESC_BACKSLASH = 1;
const ESC_HEX0 = 2;
const ESC_DONE = 6;

const REPLACEMENT = 0xfffd;

/** 1 for the bytes that end the fast path inside a string: quote, backslash, control and non-ASCII bytes. */
const SPECIAL = new Uint8Array(256);
SPECIAL[34] = 1;
SPECIAL[92] = 1;
for (let c = 0; c < 32; c++) SPECIAL[c] = 1;
for (let c = 128; c < 256; c++) SPECIAL[c] = 1;

/**
 * Decodes the `strings` section (a JSON array of strings) incrementally. Strings that are pure
 * ASCII without escapes and lie inside one chunk (nearly all of them in V8's output, which
 * escapes everything non-ASCII) are copied as bytes into a StringTable, which makes them JS
 * strings only when read; any other string goes
 * through a byte-at-a-time decoder into a UTF-16 scratch buffer that survives chunk borders:
 * JSON escapes, `\uXXXX` (surrogates kept as written, as JSON.parse does) and raw UTF-8 (decoded
 * with the WHATWG rules, so invalid bytes become U+FFFD exactly as a UTF-8 TextDecoder would).
 */
export class StringArrayScanner {
  private readonly list: StringTable;
  /** Strings read so far. */
  count = 0;
  done = false;
  private state = AFTER_OPEN;
  private units = new Uint16Array(1024);
  private unitLength = 0;
  private escape = ESC_NONE;
  private hex = 0;
  private utf8Need = 0;
  private utf8CodePoint = 0;
  private utf8Lower = 0x80;
  private utf8Upper = 0xbf;

  /**
   * `expectedCount`/`expectedBytes`: guesses at the number of strings and the section's size,
   * which size the table's arrays (each growth copies and touches fresh memory; the untouched
   * part of a guess too high costs address space only).
   */
  constructor(
    readonly section = 'strings',
    expectedCount = 0,
    expectedBytes = 0,
  ) {
    this.list = new StringTable(expectedCount, expectedBytes);
  }

  /** The strings; call once the section is done. */
  get strings(): StringTable {
    this.list.seal();
    return this.list;
  }

  /** Consumes bytes from `buf[i]` to `end` or past the closing ']'; returns the first unconsumed index. */
  scan(buf: Buffer, i: number, end: number, base: number): number {
    const list = this.list;
    let count = this.count;
    let state = this.state;
    for (; i < end; i++) {
      const c = buf[i];
      if (state === IN_STRING) {
        if (this.escape === ESC_NONE && this.utf8Need === 0) {
          // Runs of plain ASCII are the common case even on the slow path.
          let j = i;
          while (j < end && SPECIAL[buf[j]] === 0) j++;
          if (j > i) {
            this.appendAscii(buf, i, j, base);
            i = j - 1;
            continue;
          }
        }
        if (this.slowByte(c, base + i)) {
          list.addString(this.takeString());
          count++;
          state = AFTER_STRING;
        }
        continue;
      }
      if (c === 34) {
        if (state === AFTER_STRING) this.fail('missing comma between strings', base + i);
        const start = i + 1;
        const j = list.scanAscii(buf, start, end, SPECIAL);
        if (j < end && buf[j] === 34) {
          count++;
          i = j;
          state = AFTER_STRING;
        } else {
          this.unitLength = 0;
          this.appendAscii(buf, start, j, base);
          i = j - 1;
          state = IN_STRING;
        }
      } else if (c === 44) {
        if (state !== AFTER_STRING) this.fail('expected a string before this comma', base + i);
        state = AFTER_COMMA;
      } else if (c === 93) {
        if (state === AFTER_COMMA) this.fail('expected a string after the last comma', base + i);
        this.done = true;
        i++;
        break;
      } else if (!(c === 10 || c === 32 || c === 13 || c === 9)) {
        this.fail(`unexpected ${describeByte(c)} in the string array`, base + i);
      }
    }
    this.state = state;
    this.count = count;
    return i;
  }

  /** True while the section is incomplete and a string was being read: for truncation messages. */
  get insideString(): boolean {
    return this.state === IN_STRING;
  }

  /** Handles one byte of a string on the slow path; returns true when it was the closing quote. */
  private slowByte(c: number, offset: number): boolean {
    if (this.utf8Need > 0) {
      if (c >= this.utf8Lower && c <= this.utf8Upper) {
        this.utf8CodePoint = (this.utf8CodePoint << 6) | (c & 0x3f);
        this.utf8Lower = 0x80;
        this.utf8Upper = 0xbf;
        if (--this.utf8Need === 0) this.appendCodePoint(this.utf8CodePoint, offset);
        return false;
      }
      // A broken sequence: one replacement character, then the byte is read afresh.
      this.utf8Need = 0;
      this.utf8Lower = 0x80;
      this.utf8Upper = 0xbf;
      this.appendUnit(REPLACEMENT, offset);
    }
    const escape = this.escape;
    if (escape === ESC_NONE) {
      if (c === 34) return true;
      if (c === 92) this.escape = ESC_BACKSLASH;
      else if (c < 32) this.fail(`unescaped control character ${describeByte(c)} in a string`, offset);
      else if (c < 128) this.appendUnit(c, offset);
      else this.startUtf8(c, offset);
    } else if (escape === ESC_BACKSLASH) {
      this.escape = ESC_NONE;
      switch (c) {
        case 34: // "
        case 92: // \
        case 47: // /
          this.appendUnit(c, offset);
          break;
        case 98: // b
          this.appendUnit(8, offset);
          break;
        case 102: // f
          this.appendUnit(12, offset);
          break;
        case 110: // n
          this.appendUnit(10, offset);
          break;
        case 114: // r
          this.appendUnit(13, offset);
          break;
        case 116: // t
          this.appendUnit(9, offset);
          break;
        case 117: // u
          this.escape = ESC_HEX0;
          this.hex = 0;
          break;
        default:
          this.fail(`invalid escape '\\${String.fromCharCode(c)}' in a string`, offset);
      }
    } else {
      const digit = hexValue(c);
      if (digit < 0) this.fail(`invalid \\u escape: ${describeByte(c)} is not a hex digit`, offset);
      this.hex = this.hex * 16 + digit;
      this.escape = escape + 1;
      if (this.escape === ESC_DONE) {
        this.escape = ESC_NONE;
        this.appendUnit(this.hex, offset);
      }
    }
    return false;
  }

  private startUtf8(c: number, offset: number): void {
    if (c >= 0xc2 && c <= 0xdf) {
      this.utf8Need = 1;
      this.utf8CodePoint = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
      if (c === 0xe0) this.utf8Lower = 0xa0;
      if (c === 0xed) this.utf8Upper = 0x9f;
      this.utf8Need = 2;
      this.utf8CodePoint = c & 0xf;
    } else if (c >= 0xf0 && c <= 0xf4) {
      if (c === 0xf0) this.utf8Lower = 0x90;
      if (c === 0xf4) this.utf8Upper = 0x8f;
      this.utf8Need = 3;
      this.utf8CodePoint = c & 0x7;
    } else {
      this.appendUnit(REPLACEMENT, offset);
    }
  }

  private appendCodePoint(cp: number, offset: number): void {
    if (cp < 0x10000) {
      this.appendUnit(cp, offset);
    } else {
      cp -= 0x10000;
      this.appendUnit(0xd800 + (cp >> 10), offset);
      this.appendUnit(0xdc00 + (cp & 0x3ff), offset);
    }
  }

  private appendUnit(unit: number, offset: number): void {
    if (this.unitLength === this.units.length) this.growUnits(this.unitLength + 1, offset);
    this.units[this.unitLength++] = unit;
  }

  private appendAscii(buf: Uint8Array, from: number, to: number, offset: number): void {
    const needed = this.unitLength + (to - from);
    if (needed > this.units.length) this.growUnits(needed, offset);
    const units = this.units;
    let n = this.unitLength;
    for (let k = from; k < to; k++) units[n++] = buf[k];
    this.unitLength = n;
  }

  private growUnits(needed: number, offset: number): void {
    if (needed > bufferConstants.MAX_STRING_LENGTH) {
      this.fail(`a string longer than ${bufferConstants.MAX_STRING_LENGTH} characters, the most a JavaScript string can hold`, offset);
    }
    const next = new Uint16Array(Math.min(bufferConstants.MAX_STRING_LENGTH, Math.max(needed, this.units.length * 2)));
    next.set(this.units.subarray(0, this.unitLength));
    this.units = next;
  }

  private takeString(): string {
    const n = this.unitLength;
    this.unitLength = 0;
    // utf16le keeps lone surrogates as they are (TextDecoder would replace them).
    const s = Buffer.from(this.units.buffer, this.units.byteOffset, n * 2).toString('utf16le');
    // Don't let one huge string pin a huge scratch buffer for the rest of the section.
    if (this.units.length > 1 << 20) this.units = new Uint16Array(1024);
    return s;
  }

  private fail(problem: string, offset: number): never {
    throw new SnapshotFormatError(problem, offset, this.section);
  }
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
