import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends one JSON object per line, synchronously, so that every measurement is on disk as soon as
 * it is taken: if memprof is killed, samples.jsonl and gc.jsonl keep everything recorded so far.
 */
export class JsonlWriter {
  private fd: number | null;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'w', 0o600);
  }

  append(record: unknown): void {
    if (this.fd === null) return;
    writeSync(this.fd, JSON.stringify(record) + '\n');
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
