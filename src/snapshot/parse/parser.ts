import { Buffer } from 'node:buffer';
import { EdgeTargetCheck } from './parse-edge-check.js';
import { SnapshotFormatError, describeByte } from './parse-error.js';
import { parseHeader, type SnapshotHeader } from './parse-header.js';
import { NumberArrayScanner } from './parse-numbers.js';
import { StringArrayScanner } from './parse-strings.js';
import { checkLength, validateSnapshot } from './parse-validate.js';
import type { RawSnapshot } from '../types.js';

export { SnapshotFormatError } from './parse-error.js';

// Where the parser is in the top-level object `{"snapshot": {...}, "nodes": [...], ...}`.
const START = 0;
const BEFORE_KEY = 1;
const IN_KEY = 2;
const BEFORE_COLON = 3;
const BEFORE_VALUE = 4;
const AFTER_VALUE = 5;
const END = 6;
const IN_HEADER = 7;
const IN_NUMBERS = 8;
const IN_STRINGS = 9;
const IN_SKIPPED = 10;

const NUMBER_SECTIONS = new Set(['nodes', 'edges', 'locations']);
const MAX_HEADER_BYTES = 64 << 20;
const MAX_KEY_LENGTH = 256;
/** Without a size hint, never trust a declared count beyond this for the first allocation. */
const UNHINTED_MAX_PREALLOCATION = 1 << 27;

/**
 * A streaming .heapsnapshot parser: push the file's bytes in chunks of any size (a chunk may end
 * anywhere, even inside a number, an escape or a UTF-8 sequence), then `finish()`. Memory is the
 * typed arrays plus the strings; the file is never held as one string, so files beyond V8's
 * string limit (~512 MB) parse fine.
 */
export class SnapshotParser {
  private readonly sizeHint: number | undefined;
  private base = 0;
  private mode = START;
  private firstMember = true;
  private finished = false;
  private key = '';
  private readonly seen = new Set<string>();
  private readonly sectionOffsets: Record<string, number> = {};

  private header: SnapshotHeader | undefined;
  private headerParts: Buffer[] = [];
  private headerBytes = 0;
  private headerDepth = 0;
  private headerInString = false;
  private headerEscape = false;

  private numbers: NumberArrayScanner | undefined;
  private readonly numberSections = new Map<string, NumberArrayScanner>();
  private strings: StringArrayScanner | undefined;
  private edgeCheck: EdgeTargetCheck | undefined;

  private skipStarted = false;
  private skipDepth = 0;
  private skipInString = false;
  private skipEscape = false;
  private skipScalar = false;

  /** `sizeHint`: the (uncompressed) size in bytes if known; bounds the first allocations. */
  constructor(opts: { sizeHint?: number } = {}) {
    this.sizeHint = opts.sizeHint;
  }

  push(chunk: Uint8Array): void {
    if (this.finished) throw new Error('SnapshotParser.push() after finish()');
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const end = buf.length;
    const base = this.base;
    let i = 0;
    while (i < end) {
      switch (this.mode) {
        case IN_NUMBERS: {
          const scanner = this.numbers!;
          const from = i;
          const before = scanner.length;
          const wasInNumber = scanner.inNumberAtEnd;
          i = scanner.scan(buf, i, end, base);
          if (this.edgeCheck && scanner.section === 'edges') this.edgeCheck.check(scanner, before, wasInNumber, buf, from, i, base);
          if (scanner.done) {
            this.mode = AFTER_VALUE;
            this.checkDeclaredLength(scanner);
          }
          break;
        }
        case IN_STRINGS: {
          const scanner = this.strings!;
          i = scanner.scan(buf, i, end, base);
          if (scanner.done) this.mode = AFTER_VALUE;
          break;
        }
        case IN_HEADER:
          i = this.scanHeader(buf, i, end);
          break;
        case IN_SKIPPED:
          i = this.scanSkipped(buf, i, end);
          break;
        default:
          if (this.structural(buf[i], base + i)) i++;
      }
    }
    this.base += end;
  }

  finish(): RawSnapshot {
    if (this.finished) throw new Error('SnapshotParser.finish() called twice');
    this.finished = true;
    if (this.mode !== END) this.failTruncated();
    if (!this.header) {
      throw new SnapshotFormatError('not a V8 heap snapshot: the JSON object has no "snapshot" header (meta, node_count, edge_count)');
    }
    for (const section of ['nodes', 'edges', 'strings']) {
      if (!this.seen.has(section)) throw new SnapshotFormatError(`not a complete V8 heap snapshot: the "${section}" section is missing`);
    }
    const nodes = this.numberSections.get('nodes')!.result();
    const edges = this.numberSections.get('edges')!.result();
    const locations = this.numberSections.get('locations')?.result() ?? new Uint32Array(0);
    // Let go of the scanners' buffers before the caller builds on the result.
    this.numberSections.clear();
    this.numbers = undefined;
    return validateSnapshot({
      header: this.header,
      nodes,
      edges,
      strings: this.strings!.strings,
      locations,
      sectionOffsets: this.sectionOffsets,
    });
  }

  /** One byte of the top-level object's punctuation. Returns false when the byte must be read again in a new mode. */
  private structural(c: number, offset: number): boolean {
    const ws = c === 32 || c === 10 || c === 13 || c === 9;
    switch (this.mode) {
      case START:
        if (ws) return true;
        // A UTF-8 byte order mark is harmless.
        if (offset < 3 && c === [0xef, 0xbb, 0xbf][offset]) return true;
        if (c === 123) {
          this.mode = BEFORE_KEY;
          return true;
        }
        if (c === 0x1f) this.fail('not a heap snapshot: the data looks gzip-compressed (starts with byte 0x1f); decompress it first', offset);
        return this.fail(`not a heap snapshot: expected '{' at the start of the JSON, found ${describeByte(c)}`, offset);
      case BEFORE_KEY:
        if (ws) return true;
        if (c === 34) {
          this.mode = IN_KEY;
          this.key = '';
          return true;
        }
        if (c === 125 && this.firstMember) {
          this.mode = END;
          return true;
        }
        return this.fail(`expected a quoted section name, found ${describeByte(c)}`, offset);
      case IN_KEY:
        if (c === 34) {
          this.mode = BEFORE_COLON;
          return true;
        }
        if (c < 32) this.fail(`unexpected ${describeByte(c)} in a section name`, offset);
        if (this.key.length >= MAX_KEY_LENGTH) this.fail(`a section name longer than ${MAX_KEY_LENGTH} bytes: not a heap snapshot`, offset);
        this.key += String.fromCharCode(c);
        return true;
      case BEFORE_COLON:
        if (ws) return true;
        if (c === 58) {
          this.mode = BEFORE_VALUE;
          return true;
        }
        return this.fail(`expected ':' after "${this.key}", found ${describeByte(c)}`, offset);
      case BEFORE_VALUE:
        if (ws) return true;
        return this.startValue(c, offset);
      case AFTER_VALUE:
        if (ws) return true;
        if (c === 44) {
          this.mode = BEFORE_KEY;
          this.firstMember = false;
          return true;
        }
        if (c === 125) {
          this.mode = END;
          return true;
        }
        return this.fail(`expected ',' or '}' after the "${this.key}" section, found ${describeByte(c)}`, offset);
      case END:
        if (ws) return true;
        return this.fail(`unexpected ${describeByte(c)} after the end of the snapshot's JSON object`, offset);
      default:
        throw new Error(`parser in unknown mode ${this.mode}`);
    }
  }

  /** Enters the mode that reads the value; returns false when that mode must read `c` itself. */
  private startValue(c: number, offset: number): boolean {
    const key = this.key;
    if (this.seen.has(key)) this.fail(`the "${key}" section appears twice`, offset);
    this.seen.add(key);
    this.sectionOffsets[key] = offset;
    if (key === 'snapshot') {
      if (c !== 123) this.fail(`the snapshot header must be an object, found ${describeByte(c)}`, offset, key);
      this.mode = IN_HEADER;
      this.headerDepth = 0;
      return false;
    }
    if (NUMBER_SECTIONS.has(key) || key === 'strings') {
      if (c !== 91) this.fail(`expected '[' to open the "${key}" array, found ${describeByte(c)}`, offset, key);
      if (key === 'strings') {
        const expected = this.expectedStrings(offset);
        this.strings = new StringArrayScanner(key, expected.count, expected.bytes);
        this.mode = IN_STRINGS;
      } else {
        const scanner = new NumberArrayScanner(key, this.initialCapacity(key));
        const nodes = this.numberSections.get('nodes');
        if (key === 'edges' && this.header && nodes?.done) {
          const { meta } = this.header;
          this.edgeCheck = new EdgeTargetCheck(meta.edgeFields.length, meta.edgeFields.indexOf('to_node'), meta.nodeFields.length, nodes.length);
        }
        this.numberSections.set(key, scanner);
        this.numbers = scanner;
        this.mode = IN_NUMBERS;
      }
      return true;
    }
    // trace_function_infos, trace_tree, samples and anything newer: not needed, skipped.
    this.mode = IN_SKIPPED;
    this.skipStarted = false;
    this.skipDepth = 0;
    this.skipInString = false;
    this.skipEscape = false;
    this.skipScalar = false;
    return false;
  }

  private initialCapacity(section: string): number {
    const h = this.header;
    let declared = 1 << 16;
    if (h && section === 'nodes' && h.nodeCount !== undefined) declared = h.nodeCount * h.meta.nodeFields.length;
    if (h && section === 'edges' && h.edgeCount !== undefined) declared = h.edgeCount * h.meta.edgeFields.length;
    // Every value takes at least two bytes ("0,"), so the input's size bounds a sane count.
    const bound = this.sizeHint !== undefined ? Math.floor(this.sizeHint / 2) + 16 : UNHINTED_MAX_PREALLOCATION;
    return Math.min(declared, bound);
  }

  /** As soon as nodes or edges end: a short array is reported as such, not as the edges it breaks. */
  private checkDeclaredLength(scanner: NumberArrayScanner): void {
    const h = this.header;
    if (!h) return;
    if (scanner.section === 'nodes') {
      checkLength('nodes', scanner.length, h.meta.nodeFields.length, h.nodeCount, 'node_count', this.sectionOffsets.nodes);
    } else if (scanner.section === 'edges') {
      checkLength('edges', scanner.length, h.meta.edgeFields.length, h.edgeCount, 'edge_count', this.sectionOffsets.edges);
    }
  }

  /**
   * V8 writes `strings` last, so the bytes left bound its size, and every string takes at least
   * 3 bytes (`"",`): sized so, the string table never grows. Its arrays are zero-filled or
   * uninitialised allocations whose untouched part is never mapped, so an overestimate costs
   * address space, not memory. No size: no guess.
   */
  private expectedStrings(offset: number): { count: number; bytes: number } {
    if (this.sizeHint === undefined || this.sizeHint <= offset) return { count: 0, bytes: 0 };
    const bytes = this.sizeHint - offset;
    return { count: Math.min(Math.floor(bytes / 3) + 1, 1 << 26), bytes };
  }

  /** Isolates the `snapshot` object (string-aware brace matching), then parses it. */
  private scanHeader(buf: Buffer, i: number, end: number): number {
    const start = i;
    let depth = this.headerDepth;
    let inString = this.headerInString;
    let escape = this.headerEscape;
    let closed = false;
    for (; i < end; i++) {
      const c = buf[i];
      if (inString) {
        if (escape) escape = false;
        else if (c === 92) escape = true;
        else if (c === 34) inString = false;
      } else if (c === 34) {
        inString = true;
      } else if (c === 123 || c === 91) {
        depth++;
      } else if (c === 125 || c === 93) {
        if (--depth === 0) {
          closed = true;
          i++;
          break;
        }
      }
    }
    this.headerDepth = depth;
    this.headerInString = inString;
    this.headerEscape = escape;
    this.headerBytes += i - start;
    if (this.headerBytes > MAX_HEADER_BYTES) {
      this.fail(`the snapshot header is larger than ${MAX_HEADER_BYTES >> 20} MiB: not a V8 heap snapshot`, this.base + i, 'snapshot');
    }
    this.headerParts.push(Buffer.from(buf.subarray(start, i)));
    if (closed) {
      const text = Buffer.concat(this.headerParts).toString('utf8');
      this.headerParts = [];
      this.header = parseHeader(text, this.sectionOffsets.snapshot);
      this.mode = AFTER_VALUE;
    }
    return i;
  }

  /** Walks over a value memprof does not use, checking only that it is well bracketed. */
  private scanSkipped(buf: Buffer, i: number, end: number): number {
    for (; i < end; i++) {
      const c = buf[i];
      if (this.skipInString) {
        if (this.skipEscape) this.skipEscape = false;
        else if (c === 92) this.skipEscape = true;
        else if (c === 34) {
          this.skipInString = false;
          if (this.skipDepth === 0) {
            this.mode = AFTER_VALUE;
            return i + 1;
          }
        }
      } else if (this.skipScalar) {
        if (c === 44 || c === 125 || c === 93 || c === 32 || c === 10 || c === 13 || c === 9) {
          this.mode = AFTER_VALUE;
          return i;
        }
        if (!isScalarByte(c)) this.fail(`unexpected ${describeByte(c)} in a value`, this.base + i, this.key);
      } else if (c === 34) {
        this.skipInString = true;
        this.skipStarted = true;
      } else if (c === 91 || c === 123) {
        this.skipDepth++;
        this.skipStarted = true;
      } else if (c === 93 || c === 125) {
        if (!this.skipStarted) this.fail(`unexpected ${describeByte(c)} where a value should start`, this.base + i, this.key);
        if (--this.skipDepth === 0) {
          this.mode = AFTER_VALUE;
          return i + 1;
        }
      } else if (!this.skipStarted) {
        if (!isScalarByte(c)) this.fail(`unexpected ${describeByte(c)} where a value should start`, this.base + i, this.key);
        this.skipStarted = true;
        this.skipScalar = true;
      }
    }
    return i;
  }

  private failTruncated(): never {
    const at = this.base;
    if (at === 0) throw new SnapshotFormatError('empty input: no heap snapshot data');
    const section = this.mode >= IN_HEADER || this.mode === BEFORE_VALUE ? this.key : undefined;
    let detail = '';
    if (this.mode === IN_NUMBERS && this.numbers) detail = ` after ${this.numbers.length} values`;
    if (this.mode === IN_STRINGS && this.strings) detail = ` after ${this.strings.count} strings`;
    const where = section !== undefined ? `inside the "${section}" section${detail}` : "before the snapshot's closing '}'";
    throw new SnapshotFormatError(
      `truncated heap snapshot: the data ends at byte ${at}, ${where}; the file is incomplete (was the writer interrupted?)`,
    );
  }

  private fail(problem: string, offset: number, section?: string): never {
    throw new SnapshotFormatError(problem, offset, section);
  }
}

function isScalarByte(c: number): boolean {
  // Digits, letters (true/false/null/exponents), sign and decimal point.
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 43 || c === 46;
}

/** Parses a whole snapshot held in memory (small files, tests). Large files: stream into a SnapshotParser. */
export function parseSnapshot(bytes: Uint8Array): RawSnapshot {
  const parser = new SnapshotParser({ sizeHint: bytes.length });
  parser.push(bytes);
  return parser.finish();
}
