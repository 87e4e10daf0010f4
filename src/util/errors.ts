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
