import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function checkCommand(_report: string, _opts: import('../cli/check.js').CheckFlags): Promise<number> {
  throw inputError('check is not implemented yet');
}
