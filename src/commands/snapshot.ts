import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function snapshotCommand(_opts: { target: string; output?: string; allowRemote?: boolean; force?: boolean }): Promise<number> {
  throw inputError('snapshot is not implemented yet');
}
