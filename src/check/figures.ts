import type { FigureKind } from '../model/figures.js';

export type { FigureKind };

const COUNT_NAMES = new Set(['length', 'count', 'n', 'outliers', 'errors', 'created', 'reused', 'peakInUse', 'inUse', 'connections', 'pid', 'opened', 'failed', 'closed']);

export function figureKind(path: string): FigureKind {
  const segments = path.split('.');
  // The leaf decides, unless it is a bare statistic (peak, p99) of a unit-named parent.
  for (let i = segments.length - 1; i >= 0; i--) {
    const s = segments[i];
    if (COUNT_NAMES.has(s)) return 'count';
    if (/BytesPerHour$/.test(s)) return 'bytesPerHour';
    if (/(^b|B)ytes(PerConnection|PerRequest)?$|(^s|S)ize$/.test(s)) return 'bytes';
    if (/Ms$/.test(s)) return 'ms';
    if (/PerSec$/.test(s) || s === 'r2') return 'number';
    if (/Sec$/.test(s)) return 'sec';
    if (/Pct$/.test(s)) return 'pct';
    if (/Ratio$/.test(s)) return 'ratio';
    if (!/^(start|end|peak|p\d+|mean|min|max|avg|\*|\d+)$/.test(s)) return 'number';
  }
  return 'number';
}

/**
 * Every figure report.json defines (memprof/report@1, with `*` for array elements), so a typo in a
 * config ("gc.majr.maxMs") is an error instead of a silently "not applicable" check. A path not
 * listed here is still accepted when the report at hand has a number there (fields may be added).
 */
export const KNOWN_FIGURES: ReadonlySet<string> = new Set(expand([
  'durationSec',
  'target.pid',
  'memory.{heapUsedBytes,rssBytes}.{start,end,peak}',
  'connections.steps.length',
  'connections.steps.*.{connections,heapUsedBytes,rssBytes,bytesPerConnection}',
  'connections.{marginalBytesPerConnection,fixedBytes,r2}',
  'connections.rss.{marginalBytesPerConnection,fixedBytes,r2,n}',
  'connections.retained.{count,meanBytes,p50Bytes,p90Bytes,maxBytes}',
  'growth.{loadBytesPerHour,steadyBytesPerHour}',
  'growth.{loadFit,steadyFit}.{n,r2,windowSec,stdErrBytesPerHour,outliers}',
  'growth.steadyFit.settleSec',
  'growth.{loadFit,steadyFit}.step.{atSec,bytes}',
  'growth.attribution.{explainedBytesPerHour,unexplainedBytesPerHour,share}',
  'gc.{minor,major,incremental,weak}.{count,avgMs,p99Ms,maxMs}',
  'gc.{totalMs,overheadPct}',
  'gc.forced.{count,totalMs,maxMs,overheadPct}',
  'pools.length',
  'pools.*.{created,reused,reuseRatio,peakInUse,inUse}',
  'pools.*.total.{created,reused,reuseRatio}',
  'leaks.length',
  'leaks.*.{count,retainedSize,growthBytes,bytesPerHour,bytesPerRequest,objectsPerRequest,objectsPerHour}',
  'load.{connectPerSec,msgPerSec,errors}',
  'load.latencyMs.{p50,p99}',
  'load.stdErr.{connectPerSec,msgPerSec,latencyP99Ms}',
  'connections.projectedBytes',
  'connections.projected.{connections,heapBytes,heapStdErrBytes,rssBytes,rssStdErrBytes,projectedBytes,projectedStdErrBytes}',
  'burst.{rate,durationSec,startSec,recoveryWindowSec,toleranceBytes,recoverySec,retainedBytes}',
  'burst.{before,peak,after}.{heapUsedBytes,rssBytes}',
  'burst.sessions.{opened,failed,closed}',
  'burst.gc.{minor,major,incremental,weak}.{count,avgMs,p99Ms,maxMs}',
  'burst.latencyMs.{before,during}.{p50,p99}',
  'burst.points.length',
]));

function expand(patterns: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string): void => {
    const m = /\{([^}]*)\}/.exec(p);
    if (!m) {
      out.push(p);
      return;
    }
    for (const alt of m[1].split(',')) walk(p.slice(0, m.index) + alt + p.slice(m.index + m[0].length));
  };
  patterns.forEach(walk);
  return out;
}

/** A path with array indices and pool names replaced by `*`, as KNOWN_FIGURES lists it. */
export function genericPath(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '.*').replace(/\.\d+(?=\.|$)/g, '.*');
}
