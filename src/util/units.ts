import { inputError } from './errors.js';

const SIZE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
};

/** Parses `512MiB`, `2GB`, `1.5G`, `1024` (bytes). Throws an input error naming `what`. */
export function parseSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = m ? (m[2] || 'b').toLowerCase() : '';
  if (!m || !(unit in SIZE_UNITS)) {
    throw inputError(`invalid ${what} '${text}': use a number with an optional unit (B, KB, KiB, MB, MiB, GB, GiB)`);
  }
  return Number(m[1]) * SIZE_UNITS[unit];
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `500ms`, `30s`, `10m`, `24h` into milliseconds. A bare number is seconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!m) throw inputError(`invalid ${what} '${text}': use e.g. 500ms, 30s, 10m, 24h`);
  return Number(m[1]) * DURATION_UNITS[m[2] ?? 's'];
}

/** Human size with binary units, e.g. `33.1 KiB`. Null means "not measured". */
export function formatBytes(bytes: number | null | undefined, digits = 1): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return 'not measured';
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${sign}${i === 0 ? v.toFixed(0) : v.toFixed(digits)} ${units[i]}`;
}

/** Human duration from milliseconds, e.g. `850 ms`, `12.3 s`, `2.0 h`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'not measured';
  if (Math.abs(ms) < 1) return `${ms.toFixed(3)} ms`;
  if (Math.abs(ms) < 1000) return `${ms.toFixed(1)} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (Math.abs(ms) < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** Parses a positive integer flag value. */
/** A count that may be 0 (e.g. --snapshots 0: none). */
export function parseCount(text: string, what: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n)) throw inputError(`invalid ${what} '${text}': expected 0 or a positive integer`);
  return n;
}

export function parsePositiveInt(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw inputError(`invalid ${what} '${text}': expected a positive integer`);
  return n;
}
