import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function leaksCommand(_baseline: string, _target: string, _final: string, _opts: { json?: boolean; failOnLeak?: boolean; all?: boolean }): Promise<number> {
  throw inputError('leaks is not implemented yet');
}
