import { Box, Static, Text } from 'ink';
import type { ReactNode } from 'react';
import { styleText } from 'node:util';
import { formatBytes, formatMs } from '../../util/units.js';
import type { DashboardView, PauseStats } from './model.js';
import { sparkline } from './sparkline.js';

export interface DashboardProps {
  view: DashboardView;
  /** Lines printed above the live frame, once each (the plain progress lines, notes). */
  lines: readonly string[];
  /** Colour (off with NO_COLOR or when the stream has none). */
  color: boolean;
  /** Columns available. */
  width: number;
}

const LABEL = 10;

type Style = Exclude<Parameters<typeof styleText>[0], unknown[]>;

/**
 * The live dashboard: the progress lines scroll above (ink's Static: written once, kept in the
 * scrollback), the frame below is redrawn in place. Every figure comes from the view; nothing here
 * measures or waits.
 */
export function Dashboard({ view, lines, color, width }: DashboardProps): ReactNode {
  // Colours as escapes in the text, not ink's colour props: ink's chalk (and styleText by default)
  // decide by stdout, and the dashboard is on stderr while stdout may be a file (--json > out.json).
  // `color` is the decision (util/color.ts on stderr: NO_COLOR, FORCE_COLOR, TTY).
  const c = (style: Style | Style[], text: string): string =>
    color ? (Array.isArray(style) ? style : [style]).reduceRight((t, st) => styleText(st, t, { validateStream: false }), text) : text;
  const spark = Math.max(8, Math.min(60, width - 46));
  const m = view.memory;
  return (
    <>
      <Static items={lines.map((text, i) => ({ text, i }))}>{(l) => <Text key={l.i}>{l.text}</Text>}</Static>
      <Box flexDirection="column" width={Math.min(width, 100)}>
        <Text>{c(['bold', 'cyan'], `${view.title}${view.elapsedSec !== null ? ` · ${formatMs(view.elapsedSec * 1000)}` : ''}`)}</Text>
        <Row label="phase">{c(view.live ? 'yellow' : 'green', view.phase)}</Row>
        {view.sessions && (
          <Row label="sessions">
            open {view.sessions.open} · opened {view.sessions.opened} · closed {view.sessions.closed} · failed{' '}
            {view.sessions.failed > 0 ? c('red', String(view.sessions.failed)) : view.sessions.failed}
          </Row>
        )}
        {view.requests && (
          <Row label="requests">
            {view.requests.perSec === null ? '-' : view.requests.perSec.toFixed(1)}/s · p50 {ms(view.requests.p50Ms)} · p99 {ms(view.requests.p99Ms)} · errors{' '}
            {view.requests.errors > 0 ? c('red', String(view.requests.errors)) : view.requests.errors}
          </Row>
        )}
        {m && (
          <Row label="heap used">
            {pad(formatBytes(m.heapUsed), 10)} peak {pad(formatBytes(m.heapPeak), 10)} {c('blue', sparkline(m.heapLine, spark))}
          </Row>
        )}
        {m && (
          <Row label="RSS">
            {pad(formatBytes(m.rss), 10)} peak {pad(formatBytes(m.rssPeak), 10)} {c('magenta', sparkline(m.rssLine, spark))}
          </Row>
        )}
        {view.heapAfterGc && (
          <Row label="after GC">
            {formatBytes(view.heapAfterGc.bytes)} heap used after the last full GC, {view.heapAfterGc.agoSec.toFixed(0)} s ago
          </Row>
        )}
        {(view.gc.length > 0 || view.forced) && (
          <Row label="GC pauses">
            {view.gc.map((g) => `${g.kind} ${pauses(g)}`).join(' · ') || 'none natural yet'}
          </Row>
        )}
        {view.forced && <Row label="forced">{`${pauses(view.forced)} (full GCs memprof forced to measure)`}</Row>}
        {view.growth && (
          <Row label="growth">
            {'waiting' in view.growth ? c('dim', view.growth.waiting) : growthText(view.growth, c)}
          </Row>
        )}
        {view.snapshots.planned > 0 && (
          <Row label="snapshots">
            {view.live ? `${view.snapshots.written}/${view.snapshots.planned} written` : `${view.snapshots.written} written`}
          </Row>
        )}
        {view.snapshot && (
          <Text>
            {c(['bold', 'red'], `target frozen: writing snapshot ${view.snapshot.index}/${view.snapshot.of} (${(view.snapshot.bytes / 1e6).toFixed(1)} MB)`)}
            {view.snapshot.walked && view.snapshot.bytes === 0 ? ` walking the heap ${bar(view.snapshot.walked.done / Math.max(1, view.snapshot.walked.total), 20)}` : ''}
          </Text>
        )}
      </Box>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }): ReactNode {
  return (
    <Box>
      <Box width={LABEL} flexShrink={0}>
        <Text>{label}</Text>
      </Box>
      <Text wrap="truncate-end">{children}</Text>
    </Box>
  );
}

/** The estimate and its 95 % band (2 standard errors); red when the band is clear of zero upwards. */
function growthText(g: { bytesPerHour: number; stdErrBytesPerHour: number | null; points: number }, c: (style: Style, text: string) => string): string {
  const band = g.stdErrBytesPerHour !== null ? ` ± ${formatBytes(2 * g.stdErrBytesPerHour)}/h` : '';
  const growing = g.bytesPerHour > 2 * (g.stdErrBytesPerHour ?? Infinity);
  return c(growing ? 'red' : 'green', `${perHour(g.bytesPerHour)}${band}`) + ` steady (${g.points} points)`;
}

function pauses(p: PauseStats): string {
  return `${p.count}× last ${formatMs(p.lastMs)} max ${formatMs(p.maxMs)}`;
}

function ms(v: number | null): string {
  return v === null ? '-' : formatMs(v);
}

function perHour(v: number): string {
  return `${v < 0 ? '-' : '+'}${formatBytes(Math.abs(v))}/h`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

/** A progress bar of `width` cells for a fraction 0..1. */
export function bar(fraction: number, width: number): string {
  const full = Math.round(Math.min(1, Math.max(0, fraction)) * width);
  return '█'.repeat(full) + '░'.repeat(width - full) + ` ${Math.round(fraction * 100)}%`;
}
