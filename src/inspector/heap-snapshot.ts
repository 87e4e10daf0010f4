import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { inputError, InterruptedError } from '../util/errors.js';
import { hasAgent } from './agent.js';
import { withForcedGcWindow } from './sampler.js';
import type { CdpSession } from './session.js';

export interface SnapshotResult {
  path: string;
  /** Size of the file written (compressed size for .gz). */
  bytes: number;
  /** Size of the snapshot JSON as the target produced it. */
  rawBytes: number;
  durationMs: number;
}

export interface SnapshotOptions {
  onProgress?(done: number, total: number): void;
  /** Aborting removes the temporary file and rejects with InterruptedError. */
  signal?: AbortSignal;
}

/**
 * Takes a heap snapshot of the target and streams it to `outPath` as it arrives, never holding it
 * whole in memory: when the file (or gzip) stream is full, the socket is paused until it drains.
 * The file is written under a temporary name (mode 0600, it holds the target's data) and renamed
 * only once V8 has answered, i.e. once every chunk is on disk.
 */
export async function takeHeapSnapshot(session: CdpSession, outPath: string, opts: SnapshotOptions = {}): Promise<SnapshotResult> {
  const started = Date.now();
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${randomBytes(4).toString('hex')}.partial`);
  let file: WriteStream;
  try {
    file = await openExclusive(tmp);
  } catch (err) {
    throw inputError(`cannot write ${outPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (check that the directory exists and is writable)`);
  }
  const gzip: Gzip | null = outPath.endsWith('.gz') ? createGzip() : null;
  if (gzip) gzip.pipe(file);
  const sink: NodeJS.WritableStream = gzip ?? file;

  let rawBytes = 0;
  let streamError: Error | null = null;
  let paused = false;
  const onDrain = (): void => {
    paused = false;
    session.resume();
  };
  sink.on('drain', onDrain);
  const fail = (err: Error): void => {
    streamError ??= err;
  };
  file.on('error', fail);
  gzip?.on('error', fail);

  const offChunk = session.on('HeapProfiler.addHeapSnapshotChunk', (p: { chunk: string }) => {
    if (streamError) return;
    rawBytes += Buffer.byteLength(p.chunk, 'utf8');
    if (!sink.write(p.chunk) && !paused) {
      paused = true;
      session.pause();
    }
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

  const cleanup = async (): Promise<void> => {
    offChunk();
    offProgress();
    sink.off('drain', onDrain);
    if (abortListener) opts.signal?.removeEventListener('abort', abortListener);
    if (paused) session.resume();
  };

  try {
    const take = (): Promise<unknown> =>
      session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: Boolean(opts.onProgress), captureNumericValue: false });
    // The snapshot's own full GCs are memprof's doing: mark them forced when a GC recorder may be listening.
    await Promise.race([hasAgent(session) ? withForcedGcWindow(session, take) : take(), aborted]);
    // Every chunk precedes the answer (measured), but the stream may still hold some.
    if (paused) session.resume();
    await Promise.race([finish(gzip, file), aborted]);
    if (streamError) throw streamError;
    if (rawBytes === 0) throw inputError('the target sent an empty heap snapshot');
    await rename(tmp, outPath);
  } catch (err) {
    await cleanup();
    file.destroy();
    gzip?.destroy();
    await unlink(tmp).catch(() => {});
    if (err instanceof Error && (err as NodeJS.ErrnoException).code && !(err instanceof InterruptedError)) {
      throw inputError(`cannot write ${outPath}: ${(err as NodeJS.ErrnoException).code} (${err.message.split('\n')[0]})`);
    }
    throw err;
  }
  await cleanup();
  const { size } = await stat(outPath);
  return { path: outPath, bytes: size, rawBytes, durationMs: Date.now() - started };
}

function openExclusive(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const s = createWriteStream(path, { flags: 'wx', mode: 0o600, highWaterMark: 1024 * 1024 });
    s.once('open', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

function finish(gzip: Gzip | null, file: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    file.once('error', reject);
    gzip?.once('error', reject);
    file.once('close', () => resolve());
    if (gzip) gzip.end();
    else file.end();
  });
}
