import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function diffCommand(_before: string, _after: string, _opts: { top: number; json?: boolean }): Promise<number> {
  throw inputError('diff is not implemented yet');
}
