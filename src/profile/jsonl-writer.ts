import { closeSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { writeError } from '../util/errors.js';

/**
 * Appends one JSON object per line, synchronously, so that every measurement is on disk as soon as
 * it is taken: if memprof is killed, samples.jsonl and gc.jsonl keep everything recorded so far.
 * When a write fails (the disk filled up), the file is cut back to its last whole line, so it stays
 * readable, and writing stops; `failure` says why, and the run keeps its measurements in memory.
 */
export class JsonlWriter {
  private fd: number | null;
  private bytes = 0;
  private lines = 0;
  /** The first write error, as one line; null while every line was written. */
  failure: string | null = null;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w', 0o600);
    } catch (err) {
      throw writeError(path, err);
    }
  }

  append(record: unknown): void {
    if (this.fd === null) return;
    const line = Buffer.from(JSON.stringify(record) + '\n');
    try {
      let done = 0;
      while (done < line.length) done += writeSync(this.fd, line, done, line.length - done);
      this.bytes += line.length;
      this.lines++;
    } catch (err) {
      try {
        ftruncateSync(this.fd, this.bytes);
      } catch {
        // the file keeps a torn last line; a reader skips it
      }
      this.failure = `${writeError(this.path, err).message.replace(/^cannot write /, 'stopped writing ')} after ${this.lines} lines`;
      this.close();
    }
  }

  close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // closing a file on a full disk may report the same error again: nothing more to do
    }
    this.fd = null;
  }
}

/** Creates the output directory (--out), or says in one line why it cannot be (exit 2). */
export function makeOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw writeError(dir, err);
  }
}
