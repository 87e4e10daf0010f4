import { createReadStream, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { SnapshotFormatError, SnapshotParser, type RawSnapshot } from '../snapshot/index.js';
import { inputError } from '../util/errors.js';

/** Large reads: the parser's per-chunk overhead vanishes and the page cache streams at full speed. */
const READ_CHUNK = 8 << 20;
const GUNZIP_CHUNK = 1 << 20;

export interface ReadSnapshotOptions {
  /** Called after each chunk with bytes read from the file (compressed bytes for .gz) and the file size. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

/**
 * Streams a .heapsnapshot (or gzip-compressed snapshot, recognised by its magic bytes whatever its
 * name) from disk into the parser. Every failure becomes one line naming the file: missing,
 * a directory, empty, corrupt or truncated gzip, or a snapshot format error with its byte offset.
 */
export async function readSnapshotFile(path: string, opts: ReadSnapshotOptions = {}): Promise<RawSnapshot> {
  const info = await statOrExplain(path);
  if (info.isDirectory()) throw inputError(`${path} is a directory, not a heap snapshot file`);
  if (info.isFile() && info.size === 0) throw inputError(`${path} is empty (0 bytes): not a heap snapshot; take the snapshot again`);

  const { gzipped, uncompressedSizeHint } = await sniff(path, info);
  const parser = new SnapshotParser({ sizeHint: gzipped ? uncompressedSizeHint : info.isFile() ? info.size : undefined });
  const total = info.size;
  const progress = { bytesRead: 0 };
  try {
    if (gzipped) await pushGunzipped(path, parser, total, progress, opts);
    else await pushPlain(path, parser, total, progress, opts);
    return parser.finish();
  } catch (err) {
    throw explain(err, path, gzipped, progress.bytesRead);
  }
}

/**
 * Reads into one reused buffer: the parser copies what it keeps, and fresh memory is costly
 * (every new page is a fault), so the file streams through the same 8 MiB.
 */
async function pushPlain(path: string, parser: SnapshotParser, total: number, progress: { bytesRead: number }, opts: ReadSnapshotOptions): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(64 << 10, total)));
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      parser.push(chunk.subarray(0, bytesRead));
      progress.bytesRead += bytesRead;
      opts.onProgress?.(progress.bytesRead, total);
    }
  } finally {
    await handle.close();
  }
}

async function pushGunzipped(path: string, parser: SnapshotParser, total: number, progress: { bytesRead: number }, opts: ReadSnapshotOptions): Promise<void> {
  // Buffers no larger than the file needs: fresh memory costs a page fault per 4 KiB, which for a
  // small file would be most of the work.
  const source = createReadStream(path, { highWaterMark: Math.min(READ_CHUNK, Math.max(64 << 10, total)) });
  // When the parser refuses a chunk, the pipeline tears the streams down and may reject with the
  // teardown's AbortError (or gzip's complaint about the rest): the parser's error is the one that
  // says what is wrong with the file.
  let refused: unknown = null;
  try {
    await pipeline(source, createGunzip({ chunkSize: Math.min(GUNZIP_CHUNK, Math.max(64 << 10, total * 8)) }), async (chunks: AsyncIterable<Buffer>) => {
      for await (const chunk of chunks) {
        try {
          parser.push(chunk);
        } catch (err) {
          refused = err;
          throw err;
        }
        progress.bytesRead = source.bytesRead;
        opts.onProgress?.(source.bytesRead, total);
      }
    });
  } catch (err) {
    throw refused ?? err;
  }
}

async function statOrExplain(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (err) {
    throw fileError(err, path);
  }
}

/** Gzip is recognised by content, not name; its trailer gives the uncompressed size modulo 4 GiB. */
async function sniff(path: string, info: Stats): Promise<{ gzipped: boolean; uncompressedSizeHint: number | undefined }> {
  let handle;
  try {
    handle = await open(path, 'r');
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    const gzipped = bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
    let uncompressedSizeHint: number | undefined;
    if (gzipped && info.isFile() && info.size >= 18) {
      const tail = Buffer.alloc(4);
      await handle.read(tail, 0, 4, info.size - 4);
      const isize = tail.readUInt32LE(0);
      // Past 4 GiB the field wraps, so only a value larger than the compressed file is plausible.
      if (isize > info.size) uncompressedSizeHint = isize;
    }
    return { gzipped, uncompressedSizeHint };
  } catch (err) {
    throw fileError(err, path);
  } finally {
    await handle?.close();
  }
}

function fileError(err: unknown, path: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return inputError(`${path}: no such file; check the path`);
  if (code === 'EACCES' || code === 'EPERM') return inputError(`${path}: permission denied`);
  if (code === 'EISDIR') return inputError(`${path} is a directory, not a heap snapshot file`);
  return inputError(`${path}: cannot read: ${(err as Error).message}`);
}

function explain(err: unknown, path: string, gzipped: boolean, compressedBytesRead: number): Error {
  if (err instanceof SnapshotFormatError) {
    const kind = gzipped ? ' (decompressed)' : '';
    return new SnapshotFormatError(`${path}${kind}: ${err.problem}`, err.offset, err.section, err.sectionStart);
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (gzipped && code === 'Z_BUF_ERROR') {
    return inputError(`${path}: truncated gzip data: the compressed stream ends early (after ${compressedBytesRead} bytes); the file is incomplete`);
  }
  if (gzipped && typeof code === 'string' && code.startsWith('Z_')) {
    return inputError(`${path}: corrupt gzip data (${(err as Error).message}); the file is damaged`);
  }
  if (typeof code === 'string' && code.startsWith('E')) return fileError(err, path);
  if (gzipped && code === 'ABORT_ERR') return inputError(`${path}: corrupt gzip data (the stream was abandoned after ${compressedBytesRead} bytes); the file is damaged`);
  return err instanceof Error ? err : new Error(String(err));
}
