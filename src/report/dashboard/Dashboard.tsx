import { Box, Static, Text } from 'ink';
import type { ReactNode } from 'react';
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

/**
 * The live dashboard: the progress lines scroll above (ink's Static: written once, kept in the
 * scrollback), the frame below is redrawn in place. Every figure comes from the view; nothing here
 * measures or waits.
 */
export function Dashboard({ view, lines, color, width }: DashboardProps): ReactNode {
  const c = (name: string | undefined): string | undefined => (color ? name : undefined);
  const spark = Math.max(8, Math.min(60, width - 46));
  const m = view.memory;
  return (
    <>
      <Static items={lines.map((text, i) => ({ text, i }))}>{(l) => <Text key={l.i}>{l.text}</Text>}</Static>
      <Box flexDirection="column" width={Math.min(width, 100)}>
        <Text bold color={c('cyan')}>
          {view.title}
          {view.elapsedSec !== null ? ` · ${formatMs(view.elapsedSec * 1000)}` : ''}
        </Text>
        <Row label="phase">
          <Text color={c(view.live ? 'yellow' : 'green')}>{view.phase}</Text>
        </Row>
        {view.sessions && (
          <Row label="sessions">
            open {view.sessions.open} · opened {view.sessions.opened} · closed {view.sessions.closed} · failed{' '}
            <Text color={c(view.sessions.failed > 0 ? 'red' : undefined)}>{view.sessions.failed}</Text>
          </Row>
        )}
        {view.requests && (
          <Row label="requests">
            {view.requests.perSec === null ? '-' : view.requests.perSec.toFixed(1)}/s · p50 {ms(view.requests.p50Ms)} · p99 {ms(view.requests.p99Ms)} · errors{' '}
            <Text color={c(view.requests.errors > 0 ? 'red' : undefined)}>{view.requests.errors}</Text>
          </Row>
        )}
        {m && (
          <Row label="heap used">
            {pad(formatBytes(m.heapUsed), 10)} peak {pad(formatBytes(m.heapPeak), 10)} <Text color={c('blue')}>{sparkline(m.heapLine, spark)}</Text>
          </Row>
        )}
        {m && (
          <Row label="RSS">
            {pad(formatBytes(m.rss), 10)} peak {pad(formatBytes(m.rssPeak), 10)} <Text color={c('magenta')}>{sparkline(m.rssLine, spark)}</Text>
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
            {'waiting' in view.growth ? (
              <Text dimColor={color}>{view.growth.waiting}</Text>
            ) : (
              <Text color={c(view.growth.bytesPerHour > 2 * (view.growth.stdErrBytesPerHour ?? Infinity) ? 'red' : 'green')}>
                {perHour(view.growth.bytesPerHour)}
                {view.growth.stdErrBytesPerHour !== null ? ` ± ${formatBytes(2 * view.growth.stdErrBytesPerHour)}/h` : ''} steady ({view.growth.points} points)
              </Text>
            )}
          </Row>
        )}
        {view.snapshots.planned > 0 && (
          <Row label="snapshots">
            {view.live ? `${view.snapshots.written}/${view.snapshots.planned} written` : `${view.snapshots.written} written`}
          </Row>
        )}
        {view.snapshot && (
          <Text color={c('red')} bold>
            {`target frozen: writing snapshot ${view.snapshot.index}/${view.snapshot.of} (${(view.snapshot.bytes / 1e6).toFixed(1)} MB)`}
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
