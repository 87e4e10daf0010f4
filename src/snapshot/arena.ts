/**
 * Typed arrays carved out of one ArrayBuffer. Allocating a few hundred MB of typed arrays one by
 * one makes V8 run a full GC every ~64 MB of new external memory, and each full GC has to mark
 * the millions of strings a big snapshot holds (~0.5 s each). One buffer per analysis means one
 * such GC at most. Views are zero-filled when handed out; `release(mark)` gives back everything
 * allocated after `mark()` (stack discipline), so phases reuse the same bytes.
 */
export class Arena {
  private readonly buffer: ArrayBuffer;
  private readonly start: number;
  private readonly end: number;
  private offset: number;
  /** Bytes below this have been handed out before and may be dirty; above it they are still zero. */
  private used: number;

  /** A fresh zeroed buffer of `bytes`, or (with `reuse`) the memory of an array no longer needed. */
  constructor(bytes: number, reuse?: ArrayBufferView) {
    if (reuse && reuse.buffer instanceof ArrayBuffer) {
      this.buffer = reuse.buffer;
      this.start = align(reuse.byteOffset);
      this.end = reuse.byteOffset + reuse.byteLength;
      // Memory already written (and so already mapped: first touches of fresh pages are what
      // make big allocations slow), but dirty.
      this.used = this.end;
    } else {
      this.buffer = new ArrayBuffer(align(Math.max(8, bytes)));
      this.start = 0;
      this.end = this.buffer.byteLength;
      this.used = 0;
    }
    this.offset = this.start;
  }

  u8(length: number): Uint8Array {
    const [buffer, at] = this.take(length);
    return this.clean(new Uint8Array(buffer, at, length), at);
  }

  u32(length: number): Uint32Array {
    const [buffer, at] = this.take(length * 4);
    return this.clean(new Uint32Array(buffer, at, length), at);
  }

  i32(length: number): Int32Array {
    const [buffer, at] = this.take(length * 4);
    return this.clean(new Int32Array(buffer, at, length), at);
  }

  f64(length: number): Float64Array {
    const [buffer, at] = this.take(length * 8);
    return this.clean(new Float64Array(buffer, at, length), at);
  }

  mark(): number {
    return this.offset;
  }

  release(mark: number): void {
    this.offset = mark;
  }

  private clean<T extends Uint8Array | Uint32Array | Int32Array | Float64Array>(view: T, at: number): T {
    if (view.buffer === this.buffer) {
      if (at < this.used) view.fill(0);
      this.used = Math.max(this.used, at + view.byteLength);
    }
    return view;
  }

  private take(bytes: number): [ArrayBuffer, number] {
    const size = align(bytes);
    // The sizes are planned up front; should a plan be short, a separate buffer keeps it correct.
    if (this.offset + size > this.end) return [new ArrayBuffer(size), 0];
    const at = this.offset;
    this.offset += size;
    return [this.buffer, at];
  }
}

/** Bytes an arena needs for an array of `length` elements of `bytesPerElement`. */
export function arenaBytes(length: number, bytesPerElement: number): number {
  return align(length * bytesPerElement);
}

function align(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}
