import { inputError } from '../util/errors.js';

/** Placeholder until the snapshot engine lands (issue 2). */
export async function inspectCommand(file: string, _opts: { top: number; json?: boolean }): Promise<number> {
  throw inputError(`inspect is not implemented yet (${file})`);
}
