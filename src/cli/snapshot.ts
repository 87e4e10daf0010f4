import type { Command } from 'commander';

export function defineSnapshot(program: Command): Command {
  return program
    .command('snapshot')
    .description('take one heap snapshot of a live process, streamed to disk')
    .requiredOption('--target <t>', 'HOST:PORT, ws://... or pid:N')
    .option('-o, --output <file>', 'output file (.heapsnapshot or .heapsnapshot.gz)')
    .option('--allow-remote', 'allow a non-loopback inspector (the inspector is remote code execution)')
    .option('--force', 'snapshot even when the target looks short of memory, or while another memprof is profiling it')
    .action(async (opts: { target: string; output?: string; allowRemote?: boolean; force?: boolean }) => {
      const { snapshotCommand } = await import('../commands/snapshot.js');
      process.exitCode = await snapshotCommand(opts);
    });
}
