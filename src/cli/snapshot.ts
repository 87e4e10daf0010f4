import type { Command } from 'commander';

export function defineSnapshot(program: Command): Command {
  return program
    .command('snapshot')
    .description('take one heap snapshot of a live process, streamed to disk')
    .requiredOption('--target <t>', 'HOST:PORT, ws://... or pid:N; a browser\'s remote debugging port (chromium --remote-debugging-port=PORT) snapshots one of its pages')
    .option('-o, --output <file>', 'output file (.heapsnapshot or .heapsnapshot.gz)')
    .option('--allow-remote', 'allow a non-loopback inspector (the inspector is remote code execution)')
    .option('--force', 'snapshot even when the target looks short of memory, or while another memprof is profiling it')
    .option('--page <text>', 'with a browser target: the page whose URL or title contains TEXT (needed when the browser has several pages)')
    .action(async (opts: { target: string; output?: string; allowRemote?: boolean; force?: boolean; page?: string }) => {
      const { snapshotCommand } = await import('../commands/snapshot.js');
      process.exitCode = await snapshotCommand(opts);
    });
}
