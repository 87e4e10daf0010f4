import { MemprofError } from '../../util/errors.js';

/**
 * A .heapsnapshot that cannot be read: says what is wrong and where (byte offset in the
 * uncompressed JSON, and the section), so a user can tell truncation from corruption. Exit 2.
 */
export class SnapshotFormatError extends MemprofError {
  constructor(
    readonly problem: string,
    readonly offset?: number,
    readonly section?: string,
    /** Where the section began, when the exact byte of the problem is not known. */
    readonly sectionStart?: number,
  ) {
    super(problem + where(offset, section, sectionStart), 2);
    this.name = 'SnapshotFormatError';
  }
}

function where(offset: number | undefined, section: string | undefined, sectionStart: number | undefined): string {
  const parts: string[] = [];
  if (offset !== undefined) parts.push(`at byte ${offset}`);
  if (section !== undefined) {
    parts.push(sectionStart === undefined ? `in the "${section}" section` : `in the "${section}" section, which starts at byte ${sectionStart}`);
  }
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A byte as the user would want to see it in an error: the character if printable, else hex. */
export function describeByte(c: number): string {
  if (c >= 0x21 && c <= 0x7e) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}
