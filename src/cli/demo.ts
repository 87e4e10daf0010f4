import type { Command } from 'commander';

export function defineDemo(program: Command): Command {
  return program
    .command('demo')
    .description('the whole job on the bundled MCP server fixture, on this machine')
    .option('--out <dir>', 'output directory', 'memprof-demo')
    .action(async (opts: { out: string }) => {
      const { demoCommand } = await import('../commands/demo.js');
      process.exitCode = await demoCommand(opts);
    });
}
