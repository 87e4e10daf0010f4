import type { LoadSummary } from '../load/types.js';
import { paint } from '../util/color.js';
import { formatMs } from '../util/units.js';

/** `memprof load` as text: what was opened, sent and measured; unmeasured figures say so. */
export function formatLoadText(s: LoadSummary, url: string, color = false): string {
  const lines: string[] = [];
  const head = (t: string) => paint('bold', t, color);
  const stdio = s.transport === 'stdio';
  lines.push(head(`MCP load ${stdio ? `over the stdin/stdout of '${url}'` : `against ${url}`}${s.interrupted ? ' (interrupted)' : ''}`));
  lines.push(`  duration          ${formatMs(s.durationMs)}`);
  if (stdio) {
    lines.push(`  session           one per process (stdio)${s.sessionsOpened === 0 ? ', not opened' : ''}`);
    lines.push(`  initialize        ${s.initializeLatencyMs.max === null ? 'not measured' : formatMs(s.initializeLatencyMs.max)}`);
  } else {
    lines.push(`  sessions          ${s.sessionsOpened} opened, ${s.sessionsClosed} closed, ${s.sessionsFailed} failed, peak ${s.peakOpen} open`);
    lines.push(`  connect rate      ${rate(s.connectPerSec, 'sessions/s')}`);
    lines.push(`  initialize        ${latencies(s.initializeLatencyMs)}`);
  }
  if (s.steps.length > 0 && !stdio) {
    lines.push(`  steps             ${s.steps.map((st) => (st.connections === st.target ? `${st.connections}` : `${st.connections}/${st.target}`)).join(' -> ')}`);
  }
  const tool = s.tool ? ` (${s.tool})` : '';
  const missed = s.requestsMissed > 0 ? `, ${s.requestsMissed} not sent (too many in flight)` : '';
  lines.push(`  tool calls        ${s.requests} answered${tool}, ${s.requestsFailed} failed${missed}`);
  lines.push(`  message rate      ${rate(s.msgPerSec, 'req/s')}`);
  lines.push(`  tool latency      ${latencies(s.latencyMs)}`);
  if (s.sseStreams > 0) lines.push(`  SSE streams       ${s.sseStreams} opened`);
  if (s.retries > 0) lines.push(`  retries           ${s.retries} (connection reset on a reused keep-alive socket)`);
  if (s.localAddresses.length > 0) lines.push(`  source addresses  ${s.localAddresses[0]}..${s.localAddresses[s.localAddresses.length - 1]}`);
  const kinds = Object.entries(s.errorsByKind).sort((a, b) => b[1] - a[1]);
  const errors = kinds.length === 0 ? 'none' : kinds.map(([k, n]) => `${k} ${n}`).join(', ');
  lines.push(`  errors            ${s.errors > 0 ? paint('red', errors, color) : errors}`);
  if (s.nonProtocolLines) lines.push(...nonProtocolText(s.nonProtocolLines));
  return lines.join('\n') + '\n';
}

/** stdio: what the server wrote on its stdout (its protocol channel) that was not JSON-RPC. */
export function nonProtocolText(n: { count: number; first: string[] }, indent = '  '): string[] {
  if (n.count === 0) return [`${indent}stdout            JSON-RPC only`];
  const out = [`${indent}stdout            ${n.count} line${n.count === 1 ? '' : 's'} not JSON-RPC (an MCP client skips them; log to stderr instead)${n.first.length ? ', first:' : ''}`];
  for (const line of n.first) out.push(`${indent}  ${JSON.stringify(line)}`);
  return out;
}

function rate(x: number | null, unit: string): string {
  return x === null ? 'not measured' : `${x.toFixed(1)} ${unit}`;
}

function latencies(l: LoadSummary['latencyMs']): string {
  if (l.p50 === null) return 'not measured';
  return `p50 ${formatMs(l.p50)}  p90 ${formatMs(l.p90)}  p99 ${formatMs(l.p99)}  max ${formatMs(l.max)}`;
}
