import { liveProgress } from '../util/tty.js';

/**
 * "reading FILE 42%" on stderr, rewritten in place, then "analysing FILE" until `clearProgress`;
 * only for a person at a terminal (see liveProgress).
 */
export function readProgress(file: string): { update: (read: number, total: number) => void; done: () => void } {
  const tty = liveProgress();
  let last = -1;
  let shown = false;
  return {
    update: (read, total) => {
      if (!tty || total <= 0) return;
      const pct = Math.min(100, Math.floor((read / total) * 100));
      if (pct === last) return;
      last = pct;
      shown = true;
      process.stderr.write(`\r\x1b[Kreading ${file} ${pct}%`);
    },
    done: () => {
      // The analysis that follows takes a while on big files: say so until the caller prints.
      if (shown) process.stderr.write(`\r\x1b[Kanalysing ${file}`);
    },
  };
}

/** Clears whatever progress line is showing. */
export function clearProgress(): void {
  if (liveProgress()) process.stderr.write('\r\x1b[K');
}

/** Under --debug: what the parser tolerated in FILE (e.g. surplus meta type entries), one stderr line each. */
export function printParseNotes(file: string, notes: readonly string[], debug: boolean | undefined): void {
  if (!debug || notes.length === 0) return;
  clearProgress();
  for (const note of notes) process.stderr.write(`memprof: debug: ${file}: ${note}\n`);
}
