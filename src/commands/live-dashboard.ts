import { render } from 'ink';
import { createElement } from 'react';
import type { ProfileEvent } from '../model/events.js';
import { Dashboard } from '../report/dashboard/Dashboard.js';
import { DashboardModel, type DashboardEnd } from '../report/dashboard/model.js';
import { useColor } from '../util/color.js';
import type { ProgressOutput } from './progress-output.js';

/** About twice a second: figures arrive once a second (samples, load counters), GCs faster. */
const REDRAW_MS = 500;

/**
 * The live dashboard on `stream` (stderr: stdout stays the report's, or --json's). Loaded only
 * when a person watches (see progress-output.ts): ink and React are not read otherwise.
 * `stop` is synchronous and idempotent: the last frame is drawn whole and the cursor shown before
 * anything else is written, on every exit path (a process exit unmounts through ink's own hook).
 */
export function startDashboard(title: string, stream: NodeJS.WriteStream = process.stderr): ProgressOutput {
  const model = new DashboardModel(title);
  const lines: string[] = [];
  const color = useColor(stream);
  const element = () => createElement(Dashboard, { view: model.view(), lines: lines.slice(), color, width: stream.columns || 80 });
  const ink = render(element(), { stdout: stream, stderr: stream, patchConsole: false, exitOnCtrlC: false });
  let stopped = false;
  const draw = (): void => {
    if (!stopped) ink.rerender(element());
  };
  const timer = setInterval(draw, REDRAW_MS);
  timer.unref();
  return {
    progress: (line) => {
      lines.push(`memprof: ${line}`);
      draw();
    },
    say: (line) => {
      if (stopped) stream.write(`${line}\n`);
      else {
        lines.push(line);
        draw();
      }
    },
    onEvent: (e: ProfileEvent) => model.apply(e),
    stop: (end: DashboardEnd) => {
      if (stopped) return;
      model.finish(end);
      draw();
      stopped = true;
      clearInterval(timer);
      ink.unmount();
    },
  };
}
