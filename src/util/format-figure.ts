import type { FigureKind } from '../model/figures.js';
import { formatBytes, formatMs } from './units.js';

/** A figure in human units for its kind; null is "not measured", undefined "n/a". */
export function formatFigure(value: number | null | undefined, kind: FigureKind): string {
  if (value === undefined) return 'n/a';
  if (value === null || !Number.isFinite(value)) return 'not measured';
  switch (kind) {
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerHour':
      return `${formatBytes(value)}/h`;
    case 'ms':
      return formatMs(value);
    case 'sec':
      return `${trim(value, 1)} s`;
    case 'pct':
      return `${trim(value, 2)} %`;
    case 'ratio':
      return `${trim(value * 100, 1)} %`;
    case 'count':
      return Number.isInteger(value) ? value.toLocaleString('en-US') : trim(value, 2);
    case 'number':
      return formatNumber(value);
  }
}

/** Up to 4 significant digits, no exponent for everyday magnitudes. */
export function formatNumber(v: number): string {
  if (v === 0) return '0';
  if (Math.abs(v) >= 10_000) return Math.round(v).toLocaleString('en-US');
  return String(Number(v.toPrecision(4)));
}

function trim(v: number, digits: number): string {
  return v.toFixed(digits);
}
