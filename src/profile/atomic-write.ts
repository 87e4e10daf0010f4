import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeError } from '../util/errors.js';

/**
 * Writes a file under a temporary name and renames it, so a reader never sees a half-written one.
 * A write that fails (a full disk, a directory that forbids it) removes the temporary file and
 * throws one line (exit 2): no partial file is left behind.
 */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, path);
  } catch (err) {
    // ENOSPC, EACCES, a directory in the way: no temporary file left behind either.
    rmSync(tmp, { force: true });
    throw writeError(path, err, 'nothing partial was left');
  }
}
