/**
 * The one error type commands throw on purpose. The top-level handler prints its message as a
 * single line on stderr and exits with its code; anything else is a bug (exit 2 too, but with
 * a hint to rerun with --debug).
 */
export class MemprofError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
    this.name = 'MemprofError';
  }
}

/** Bad input: unreadable or invalid file, unreachable target, bad flag value. Exit 2. */
export function inputError(message: string): MemprofError {
  return new MemprofError(message, 2);
}

/** Thrown when the user interrupts (Ctrl-C) after what was measured has been written. Exit 130. */
export class InterruptedError extends MemprofError {
  constructor(message = 'interrupted') {
    super(message, 130);
  }
}

const FS_WHY: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large for this file system or limit',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a component of the path is not a directory',
  ENOENT: 'no such directory',
  EISDIR: 'it is a directory',
};

/** An error of the file system (it has an errno code such as ENOSPC or EACCES). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && /^E[A-Z]+$/.test((err as NodeJS.ErrnoException).code!);
}

/**
 * One line for a file memprof could not write: which file, why in words, the errno code, and what
 * to do (a full disk and a forbidden directory call for different fixes). Exit 2.
 */
export function writeError(path: string, err: unknown, done = ''): MemprofError {
  const code = isFsError(err) ? err.code! : undefined;
  const why = code ? `${FS_WHY[code] ?? (err as Error).message.split('\n')[0]} (${code})` : (err as Error)?.message?.split('\n')[0] ?? String(err);
  const fix =
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
      ? 'free some space or write elsewhere (-o / --out)'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
        ? 'choose a directory you can write to (-o / --out)'
        : 'check the path (-o / --out)';
  return new MemprofError(`cannot write ${path}: ${why}${done ? `; ${done}` : ''}; ${fix}`, 2);
}
