import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function runCommand(_cmd: string[], _opts: import('../cli/profile-options.js').ProfileFlags): Promise<number> {
  throw inputError('run is not implemented yet');
}
