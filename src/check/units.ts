import { inputError } from '../util/errors.js';
import type { FigureKind } from './figures.js';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '!=';

export interface Threshold {
  op: Op;
  /** In the figure's own unit: bytes, bytes/hour, ms, seconds, percent points, or a plain number. */
  value: number;
  /** As written in the config, e.g. `< 2MiB`. */
  text: string;
}

const SIZE: Record<string, number> = {
  b: 1, kb: 1e3, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3, tb: 1e12, tib: 1024 ** 4,
};

/**
 * Parses `OP VALUE[UNIT]` for the figure at `path` of kind `kind`. `where` names the config key
 * in error messages. Units: sizes B KB KiB MB MiB GB GiB (TB TiB), optionally `/h` on a per-hour
 * figure; times ms s; `%` means percent points on a `...Pct` figure and a fraction of 1 elsewhere
 * (`> 85%` on reuseRatio is 0.85). A bare number is in the figure's own unit.
 */
export function parseThreshold(text: unknown, kind: FigureKind, where: string): Threshold {
  if (typeof text !== 'string') {
    throw inputError(`${where}: expected a string like "< 2MiB", got ${JSON.stringify(text)}`);
  }
  const m = /^\s*(<=|>=|==|!=|<|>)\s*(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*([A-Za-z%]*(?:\/h(?:our)?)?)\s*$/i.exec(text);
  if (!m) {
    throw inputError(`${where}: '${text}' is not "OP VALUE[UNIT]" (ops < <= > >= == !=, e.g. "< 2MiB", "> 0.85", "< 100ms")`);
  }
  const op = m[1] as Op;
  const value = Number(m[2]) * unitFactor(m[3], kind, where, text);
  return { op, value, text: text.trim() };
}

function unitFactor(rawUnit: string, kind: FigureKind, where: string, text: string): number {
  let unit = rawUnit.toLowerCase();
  const perHour = /\/h(our)?$/.test(unit);
  if (perHour) {
    if (kind !== 'bytesPerHour') throw badUnit(rawUnit, kind, where, text);
    unit = unit.replace(/\/h(our)?$/, '');
  }
  if (unit === '') return 1;
  switch (kind) {
    case 'bytes':
    case 'bytesPerHour':
      if (unit in SIZE) return SIZE[unit];
      break;
    case 'ms':
      if (unit === 'ms') return 1;
      if (unit === 's') return 1000;
      break;
    case 'sec':
      if (unit === 's') return 1;
      if (unit === 'ms') return 0.001;
      break;
    case 'pct':
      if (unit === '%') return 1;
      break;
    case 'ratio':
    case 'number':
      if (unit === '%') return 0.01;
      break;
    case 'count':
      break;
  }
  throw badUnit(rawUnit, kind, where, text);
}

const KIND_UNITS: Record<FigureKind, string> = {
  bytes: 'a size in bytes: use B, KB, KiB, MB, MiB, GB or GiB',
  bytesPerHour: 'a growth rate in bytes/hour: use B, KB, KiB, MB, MiB, GB or GiB (optionally with /h)',
  ms: 'a time in ms: use ms or s',
  sec: 'a time in seconds: use s or ms',
  pct: 'a percentage: use % or no unit',
  ratio: 'a ratio: use a plain number (0.85) or a percentage (85%)',
  count: 'a count: use a plain number',
  number: 'a plain number (or %)',
};

function badUnit(unit: string, kind: FigureKind, where: string, text: string) {
  return inputError(`${where}: unit '${unit}' in '${text}' does not fit ${KIND_UNITS[kind]}`);
}

/** Parses a tolerance: `5%` (relative to the baseline's figure) or an absolute value in the figure's units. */
export type Tolerance = { relative: number } | { absolute: number; text: string };

export function parseTolerance(text: unknown, kind: FigureKind | null, where: string): Tolerance {
  if (typeof text !== 'string' && typeof text !== 'number') {
    throw inputError(`${where}: expected a tolerance like "5%", got ${JSON.stringify(text)}`);
  }
  const s = String(text).trim();
  const pct = /^(\d+(?:\.\d+)?)\s*%$/.exec(s);
  if (pct) return { relative: Number(pct[1]) / 100 };
  if (kind === null) throw inputError(`${where}: '${s}' is not a percentage like "5%"`);
  const t = parseThreshold(`<= ${s}`, kind, where);
  if (t.value < 0) throw inputError(`${where}: a tolerance cannot be negative`);
  return { absolute: t.value, text: s };
}

export function compare(measured: number, op: Op, limit: number): boolean {
  switch (op) {
    case '<':
      return measured < limit;
    case '<=':
      return measured <= limit;
    case '>':
      return measured > limit;
    case '>=':
      return measured >= limit;
    case '==':
      return measured === limit;
    case '!=':
      return measured !== limit;
  }
}
