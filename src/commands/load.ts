import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function loadCommand(_opts: import('../cli/load-options.js').LoadFlags & { json?: boolean }): Promise<number> {
  throw inputError('load is not implemented yet');
}
