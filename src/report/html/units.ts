/**
 * Units for chart axes. uPlot's axes show plain numbers, so each chart's data is converted to
 * one unit picked from its range, and the axis title names that unit ("heap (MiB)").
 */

export interface Unit {
  name: string;
  /** Divide a value in the base unit by this. */
  div: number;
}

const BYTE_UNITS: Unit[] = [
  { name: 'B', div: 1 },
  { name: 'KiB', div: 1024 },
  { name: 'MiB', div: 1024 ** 2 },
  { name: 'GiB', div: 1024 ** 3 },
  { name: 'TiB', div: 1024 ** 4 },
];

/** The binary unit in which the largest magnitude reads between 1 and 1024. */
export function byteUnit(values: Iterable<number | null | undefined>): Unit {
  let max = 0;
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) max = Math.max(max, Math.abs(v));
  let i = 0;
  while (i < BYTE_UNITS.length - 1 && max >= BYTE_UNITS[i + 1].div) i++;
  return BYTE_UNITS[i];
}

/** Seconds for runs up to 10 minutes, minutes up to 10 hours, hours beyond. */
export function timeUnit(spanSec: number): Unit {
  if (spanSec <= 600) return { name: 's', div: 1 };
  if (spanSec <= 36_000) return { name: 'min', div: 60 };
  return { name: 'h', div: 3600 };
}

/** A value in `unit`, rounded so the page carries no more digits than a chart can show. */
export function scaled(v: number | null | undefined, unit: Unit, digits = 4): number | null {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  return round(v / unit.div, digits);
}

export function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
