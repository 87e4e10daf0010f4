/** The MCP load generator's programmatic API (used by `load`, `profile`, `run` and `demo`). */
export { runLoad } from './run-load.js';
export type { LoadHooks, LoadOptions, LoadProgress, LoadStep, LoadSummary } from './types.js';
