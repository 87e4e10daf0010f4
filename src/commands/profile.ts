import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function profileCommand(_opts: import('../cli/profile-options.js').ProfileFlags & { target: string }): Promise<number> {
  throw inputError('profile is not implemented yet');
}
