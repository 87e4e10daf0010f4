import type { Report } from '../../model/report.js';
import { formatBytes } from '../../util/units.js';
import { PHASE_COLORS } from './chart-memory.js';
import { esc } from './escape.js';
import { chartSlot, fig, figures, section, table } from './parts.js';
import type { ChartSpec } from './types.js';

const PHASES: Array<[string, string]> = [
  ['idle', 'idle (no load)'],
  ['load', 'load (ramp)'],
  ['steady', 'steady (hold)'],
  ['window', 'settled window (steady growth fitted here)'],
];

/** The target, the run, and memory over time with the phases shaded. */
export function overviewSection(report: Report, memory: ChartSpec | null, sampleCount: number): string {
  const notes = report.notes ?? {};
  const t = report.target;
  const mem = report.memory;
  const keys = ['start', 'end', 'peak'] as const;
  const legend = `<ul class="phases">${PHASES.map(
    ([k, label]) => `<li><span class="swatch" style="background:${PHASE_COLORS[k]}"></span>${esc(label)}</li>`,
  ).join('')}</ul>`;
  return section(
    'memory',
    'Target and memory over time',
    [
      figures([
        ['command', t.command ?? 'unknown'],
        ['pid', t.pid === null ? 'unknown' : String(t.pid)],
        ['Node.js', t.nodeVersion ?? 'unknown'],
        ['duration', `${report.durationSec.toFixed(1)} s`],
        ['samples', sampleCount.toLocaleString('en-US')],
        ...(notes.warmup ? [['warm-up', notes.warmup] as [string, string]] : []),
      ]),
      table(
        ['', 'start', 'end', 'peak'],
        [
          ['heap used', ...keys.map((k) => fig(mem.heapUsedBytes[k], (v) => formatBytes(v), notes, `memory.heapUsedBytes.${k}`))],
          ['RSS', ...keys.map((k) => fig(mem.rssBytes[k], (v) => formatBytes(v), notes, `memory.rssBytes.${k}`))],
        ],
        'lrrr',
      ),
      chartSlot(
        memory,
        'Heap used, heap after forced GC and RSS over time; sessions open on the right axis',
        'Shaded: the phases of the run. Heap after forced GC is what the program keeps; heap used between GCs includes garbage.',
        'No memory sample was recorded (samples.jsonl is empty).',
      ),
      legend,
    ].join('\n'),
  );
}
