import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function demoCommand(_opts: { out: string }): Promise<number> {
  throw inputError('demo is not implemented yet');
}
