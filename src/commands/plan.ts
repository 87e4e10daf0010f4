import { inputError } from '../util/errors.js';

/** Not implemented yet: see the open issue for this command. */
export async function planCommand(_report: string, _opts: import('../cli/plan.js').PlanFlags): Promise<number> {
  throw inputError('plan is not implemented yet');
}
