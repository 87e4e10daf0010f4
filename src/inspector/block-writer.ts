import type { FileHandle } from 'node:fs/promises';

const BLOCK = 1024 * 1024;
const POOL = 4;

interface Pending {
  buf: Buffer;
  len: number;
  pooled: boolean;
}

/**
 * Writes many string chunks to a file through a few reused 1 MiB blocks. A fs.WriteStream would
 * allocate a fresh Buffer per chunk; for a snapshot of several hundred MB those garbage buffers pile
 * up as external memory until V8 gets round to collecting them (measured: +60 MB of RSS). Here the
 * memory is the pool, whatever the snapshot size.
 */
export class BlockWriter {
  private readonly free: Buffer[] = [];
  private allocated = 0;
  private current: Buffer | null = null;
  private off = 0;
  private readonly pending: Pending[] = [];
  private writing = false;
  private error: Error | null = null;
  private drainWaiters: Array<() => void> = [];
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly fh: FileHandle) {}

  /** Queues a chunk; false when the caller should stop feeding until onDrain fires. */
  write(chunk: string): boolean {
    if (this.error) throw this.error;
    const len = Buffer.byteLength(chunk, 'utf8');
    if (len > BLOCK) {
      this.seal();
      this.pending.push({ buf: Buffer.from(chunk, 'utf8'), len, pooled: false });
    } else {
      if (this.current && this.off + len > BLOCK) this.seal();
      if (!this.current) {
        const block = this.takeBlock();
        if (!block) {
          // Every block is queued: messages the socket had buffered before it paused. Spill.
          this.pending.push({ buf: Buffer.from(chunk, 'utf8'), len, pooled: false });
          this.pump();
          return false;
        }
        this.current = block;
        this.off = 0;
      }
      this.off += this.current.write(chunk, this.off, 'utf8');
    }
    this.pump();
    return this.pending.length < POOL - 1;
  }

  /** Queues raw bytes (copied into the pool; a larger piece is queued as is and must not change). */
  writeBytes(bytes: Buffer): boolean {
    if (this.error) throw this.error;
    const len = bytes.length;
    if (len > BLOCK) {
      this.seal();
      this.pending.push({ buf: bytes, len, pooled: false });
    } else {
      if (this.current && this.off + len > BLOCK) this.seal();
      if (!this.current) {
        const block = this.takeBlock();
        if (!block) {
          this.pending.push({ buf: bytes, len, pooled: false });
          this.pump();
          return false;
        }
        this.current = block;
        this.off = 0;
      }
      this.off += bytes.copy(this.current, this.off);
    }
    this.pump();
    return this.pending.length < POOL - 1;
  }

  /** Resolves once the queue is short again. */
  onDrain(fn: () => void): void {
    this.drainWaiters.push(fn);
  }

  /** Writes what is left; rejects with the first write error. */
  async end(): Promise<void> {
    this.seal();
    this.pump();
    // After a write error nothing more is written (a full disk): what is still queued is dropped,
    // and waiting for it to drain would wait forever.
    if (!this.error && (this.writing || this.pending.length)) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    if (this.error) throw this.error;
  }

  get failed(): Error | null {
    return this.error;
  }

  private takeBlock(): Buffer | null {
    const b = this.free.pop();
    if (b) return b;
    if (this.allocated >= POOL) return null;
    this.allocated++;
    return Buffer.allocUnsafe(BLOCK);
  }

  private seal(): void {
    if (this.current && this.off > 0) this.pending.push({ buf: this.current, len: this.off, pooled: true });
    else if (this.current) this.free.push(this.current);
    this.current = null;
    this.off = 0;
  }

  private pump(): void {
    if (this.writing || this.error) return;
    const next = this.pending.shift();
    if (!next) {
      this.settle();
      return;
    }
    this.writing = true;
    void writeAll(this.fh, next.buf, next.len).then(
      () => {
        this.writing = false;
        if (next.pooled) this.free.push(next.buf);
        if (this.pending.length < POOL - 1) this.notify(this.drainWaiters);
        this.pump();
      },
      (err: Error) => {
        this.writing = false;
        this.error = err;
        this.notify(this.drainWaiters);
        this.settle();
      },
    );
  }

  private settle(): void {
    if (!this.writing && (this.pending.length === 0 || this.error)) this.notify(this.idleWaiters);
  }

  private notify(list: Array<() => void>): void {
    const fns = list.splice(0);
    for (const fn of fns) fn();
  }
}

async function writeAll(fh: FileHandle, buf: Buffer, len: number): Promise<void> {
  let done = 0;
  while (done < len) {
    const { bytesWritten } = await fh.write(buf, done, len - done);
    done += bytesWritten;
  }
}
