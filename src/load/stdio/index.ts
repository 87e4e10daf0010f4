/** The stdio MCP load generator: one session over a child's stdin/stdout (see run-stdio-load.ts). */
export { runStdioLoad } from './run-stdio-load.js';
export { StdioSession } from './session.js';
