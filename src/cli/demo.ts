import type { Command } from 'commander';

export function defineDemo(program: Command): Command {
  return program
    .command('demo')
    .description('the whole job on the bundled MCP server fixture, on this machine')
    .option('--out <dir>', 'output directory', 'memprof-demo')
    .option('--leaky', 'run the fixture in its leaky mode (closed sessions archived; with --stdio: every request kept): the leak is found, named, and the demo exits 1')
    .option('--stdio', 'the bundled stdio server instead (fixtures/mcp-stdio-server.mjs), driven over its stdin/stdout: run --stdio --msg-rate 50 --hold 60s')
    .action(async (opts: { out: string; leaky?: boolean; stdio?: boolean }) => {
      const { demoCommand } = await import('../commands/demo.js');
      process.exitCode = await demoCommand(opts);
    });
}
