import { renameSync, rmSync, writeFileSync } from 'node:fs';

/** Writes a file under a temporary name and renames it, so a reader never sees a half-written one. */
export function writeFileAtomic(path: string, text: string, mode = 0o644): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode });
    renameSync(tmp, path);
  } catch (err) {
    // ENOSPC, EACCES, a directory in the way: no temporary file left behind either.
    rmSync(tmp, { force: true });
    throw err;
  }
}
