import type { Command } from 'commander';
import { defineCheck } from './check.js';
import { defineDemo } from './demo.js';
import { defineDiff } from './diff.js';
import { defineInspect } from './inspect.js';
import { defineLeaks } from './leaks.js';
import { defineLoad } from './load.js';
import { definePlan } from './plan.js';
import { defineReport } from './report.js';
import { defineProfile } from './profile.js';
import { defineRun } from './run.js';
import { defineSnapshot } from './snapshot.js';

/**
 * Every command of the CLI, in the order `memprof --help` lists them. A command file exports one
 * `defineX(program)` that declares its flags and, in its action, lazily imports the implementation
 * from src/commands/, so start-up stays fast.
 */
export const COMMANDS: Array<(program: Command) => Command> = [
  defineSnapshot,
  defineInspect,
  defineDiff,
  defineLeaks,
  defineProfile,
  defineRun,
  defineLoad,
  defineCheck,
  definePlan,
  defineReport,
  defineDemo,
];
