import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createGzip } from 'node:zlib';
import { inputError, InterruptedError, writeError } from '../util/errors.js';
import { hasAgent } from './agent.js';
import { BlockWriter } from './block-writer.js';
import { decodeJsonStringInPlace } from './json-string.js';
import { withForcedGcWindow } from './sampler.js';
import type { CdpSession } from './session.js';

export interface SnapshotResult {
  path: string;
  /** Size of the file written (compressed size for .gz). */
  bytes: number;
  /** Size of the snapshot JSON as the target produced it. */
  rawBytes: number;
  durationMs: number;
  /** Chunks received, and how many of them had to go through JSON.parse (the slow path). */
  chunks: number;
  chunksParsedAsJson: number;
}

export interface SnapshotOptions {
  /** V8's progress while it walks the heap (reportHeapSnapshotProgress). */
  onProgress?(done: number, total: number): void;
  /** Bytes of snapshot JSON received so far, after each chunk (the serialisation phase). */
  onReceived?(rawBytes: number): void;
  /** Aborting removes the temporary file and rejects with InterruptedError. */
  signal?: AbortSignal;
}

/** Where the chunks go: false from write() means "pause the socket until onDrain". */
interface Sink {
  write(chunk: string): boolean;
  writeBytes(bytes: Buffer): boolean;
  onDrain(fn: () => void): void;
  finish(): Promise<void>;
  destroy(): void;
  readonly error: Error | null;
}

/**
 * Takes a heap snapshot of the target and streams it to `outPath` as it arrives, never holding it
 * whole in memory: when the file (or gzip) sink is full, the socket is paused until it drains.
 * The file is written under a temporary name (mode 0600, it holds the target's data) and renamed
 * only once V8 has answered, i.e. once every chunk is on disk.
 */
export async function takeHeapSnapshot(session: CdpSession, outPath: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const started = Date.now();
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(4).toString('hex')}.partial`);
  let fh: FileHandle;
  try {
    fh = await open(tmp, 'wx', 0o600);
  } catch (err) {
    throw writeError(outPath, err);
  }
  const sink = outPath.endsWith('.gz') ? gzipSink(fh) : plainSink(fh);

  let rawBytes = 0;
  let chunks = 0;
  let chunksParsedAsJson = 0;
  let paused = false;
  const resume = (): void => {
    paused = false;
    session.resume();
  };
  const accepted = (ok: boolean): void => {
    if (!ok && !paused) {
      paused = true;
      session.pause();
      sink.onDrain(resume);
    }
    opts.onReceived?.(rawBytes);
  };
  // Fast path: the chunk's bytes are unescaped in the message buffer and copied to the file, never
  // becoming JS strings. Any message not shaped exactly so takes the JSON path below.
  const offRaw = session.interceptRaw(CHUNK_PREFIX, (data, start) => {
    const r = decodeJsonStringInPlace(data, start);
    if (!r || data.toString('latin1', r.next) !== '}}') return false;
    chunks++;
    if (sink.error) return true;
    rawBytes += r.end - start;
    accepted(sink.writeBytes(data.subarray(start, r.end)));
    return true;
  });
  const offChunk = session.on('HeapProfiler.addHeapSnapshotChunk', (p: { chunk: string }) => {
    chunks++;
    chunksParsedAsJson++;
    if (sink.error) return;
    rawBytes += Buffer.byteLength(p.chunk, 'utf8');
    accepted(sink.write(p.chunk));
  });
  const offProgress = opts.onProgress
    ? session.on('HeapProfiler.reportHeapSnapshotProgress', (p: { done: number; total: number }) => opts.onProgress!(p.done, p.total))
    : () => {};

  let abortListener: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    if (!opts.signal) return;
    abortListener = () => reject(new InterruptedError('interrupted: snapshot abandoned, partial file removed'));
    if (opts.signal.aborted) abortListener();
    else opts.signal.addEventListener('abort', abortListener, { once: true });
  });
  aborted.catch(() => {});

  const detach = (): void => {
    offRaw();
    offChunk();
    offProgress();
    if (abortListener) opts.signal?.removeEventListener('abort', abortListener);
    if (paused) resume();
  };

  try {
    const take = (): Promise<unknown> =>
      session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: Boolean(opts.onProgress), captureNumericValue: false });
    // The snapshot's own full GCs are memprof's doing: mark them forced when a GC recorder may be listening.
    await Promise.race([hasAgent(session) ? withForcedGcWindow(session, take) : take(), aborted]);
    // Every chunk precedes the answer (measured), but the sink may still hold some.
    if (paused) resume();
    await Promise.race([sink.finish(), aborted]);
    if (sink.error) throw sink.error;
    if (rawBytes === 0) throw inputError('the target sent an empty heap snapshot');
    await rename(tmp, outPath);
  } catch (err) {
    detach();
    sink.destroy();
    await unlink(tmp).catch(() => {});
    if (err instanceof Error && (err as NodeJS.ErrnoException).code && !(err instanceof InterruptedError)) {
      // V8 finished the snapshot (the chunks after the failure were drained, not written): the
      // target is running again, and the partial file is gone.
      throw writeError(outPath, err, 'the partial file was removed');
    }
    throw err;
  }
  detach();
  const { size } = await stat(outPath);
  return { path: outPath, bytes: size, rawBytes, durationMs: Date.now() - started, chunks, chunksParsedAsJson };
}

/** How Node's inspector frames a chunk (V8's protocol writer emits the keys in this order). */
const CHUNK_PREFIX = '{"method":"HeapProfiler.addHeapSnapshotChunk","params":{"chunk":"';

function plainSink(fh: FileHandle): Sink {
  const w = new BlockWriter(fh);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  return {
    write: (chunk) => w.write(chunk),
    writeBytes: (bytes) => w.writeBytes(bytes),
    onDrain: (fn) => w.onDrain(fn),
    async finish() {
      try {
        await w.end();
      } finally {
        await close();
      }
    },
    destroy() {
      void close().catch(() => {});
    },
    get error() {
      return w.failed;
    },
  };
}

function gzipSink(fh: FileHandle): Sink {
  const file = createWriteStream('', { fd: fh, highWaterMark: 1024 * 1024 });
  const gzip = createGzip();
  gzip.pipe(file);
  let error: Error | null = null;
  let closed = false;
  // Whoever waits (a paused socket for 'drain', finish() for 'close') is told of a failure too:
  // once the file has failed (a full disk) neither event comes, and a paused socket would keep
  // the target blocked on its writes.
  let waiters: Array<() => void> = [];
  const wake = (): void => {
    const fns = waiters;
    waiters = [];
    for (const fn of fns) fn();
  };
  const fail = (err: Error): void => {
    if (error) return;
    error = err;
    gzip.unpipe(file);
    gzip.destroy();
    file.destroy();
    wake();
  };
  file.on('error', fail);
  gzip.on('error', fail);
  file.on('close', () => {
    closed = true;
    wake();
  });
  return {
    write: (chunk) => (error ? true : gzip.write(chunk)),
    writeBytes: (bytes) => (error ? true : gzip.write(bytes)),
    onDrain: (fn) => {
      if (error) return fn();
      let called = false;
      const once = (): void => {
        if (called) return;
        called = true;
        fn();
      };
      gzip.once('drain', once);
      waiters.push(once);
    },
    finish: () =>
      new Promise<void>((resolve, reject) => {
        const settle = (): void => (error ? reject(error) : resolve());
        if (error || closed) return settle();
        waiters.push(() => {
          if (error || closed) settle();
        });
        file.once('close', settle);
        gzip.end();
      }),
    destroy() {
      gzip.destroy();
      file.destroy();
    },
    get error() {
      return error;
    },
  };
}
