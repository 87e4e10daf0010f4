import { inputError, MemprofError } from '../util/errors.js';
import { LOAD_FIGURES } from './load-figures.js';
import { figureKind, genericPath, KNOWN_FIGURES } from './figures.js';
import { parseThreshold, parseTolerance, type Threshold, type Tolerance } from './units.js';

export interface CheckSpec {
  /** As in the config, e.g. `pools.*.reuseRatio`. */
  path: string;
  threshold: Threshold;
}

export interface CheckConfig {
  checks: CheckSpec[];
  /** Default tolerance of the baseline comparison. */
  tolerance: Tolerance;
  /** Per-path tolerances (`baseline.tolerances`), relative (`10%`) or absolute in the figure's unit. */
  tolerances: Record<string, Tolerance>;
  /** Paths whose absence fails instead of being not applicable. */
  required: string[];
  /** Where the config came from, for the output ("built-in defaults", a file name). */
  source: string;
}

/**
 * memprof.config.json as written (schema/config.schema.json and the tables of docs/config.md are
 * generated from this type and its doc comments). parseConfig checks it and turns it into a CheckConfig.
 */
export interface ConfigFile {
  /** A JSON Schema for editors, e.g. `./node_modules/memprof/schema/config.schema.json`; ignored by memprof. */
  $schema?: string;
  /**
   * The checks, `"PATH": "OP VALUE[UNIT]"`. PATH is a report.json path (`gc.major.maxMs`), `*` over a
   * list (`pools.*.reuseRatio`) and `.length` of a list (`leaks.length`). When present, it replaces
   * the built-in checks; when absent, they apply.
   * @keyPattern ^[A-Za-z_$][\w$]*(\.([A-Za-z_$][\w$]*|\*|\d+))*$
   * @pattern ^\s*(<=|>=|==|!=|<|>)\s*-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*[A-Za-z%]*(\/[hH]([oO][uU][rR])?)?\s*$
   */
  checks?: Record<string, string>;
  /** The regression gate (`check --baseline REPORT`). */
  baseline?: {
    /**
     * How much worse than the baseline's a figure may be: a percentage of the baseline's figure. Default `5%`.
     * @pattern ^\s*\d+(\.\d+)?\s*%\s*$
     */
    tolerance?: string;
    /**
     * Per-figure tolerances, `"PATH": "10%"` or an absolute value in the figure's unit (`"256KiB"`); PATH is one of the checks
     * or a load figure every baseline comparison includes (`load.msgPerSec`, `load.connectPerSec`, `load.latencyMs.p99`).
     */
    tolerances?: Record<string, string | number>;
  };
  /** Check paths whose absence (section left out, empty list) fails instead of being not applicable. */
  required?: string[];
}

/** The origin report's validation checklist, as docs/config.md lists the defaults. */
export const DEFAULT_CONFIG_JSON = {
  checks: {
    'connections.marginalBytesPerConnection': '< 2MiB',
    'growth.steadyBytesPerHour': '< 1MiB',
    'gc.major.maxMs': '< 100',
    'pools.*.reuseRatio': '> 0.85',
    'leaks.length': '== 0',
  },
  baseline: { tolerance: '5%' },
} as const satisfies ConfigFile;

const TOP_KEYS = new Set(['checks', 'baseline', 'required', '$schema']);
const BASELINE_KEYS = new Set(['tolerance', 'tolerances']);

/**
 * Validates a parsed config. Every error names the offending key. `checks`, when present,
 * replaces the defaults (as k6 thresholds do); without it the defaults apply.
 */
export function parseConfig(raw: unknown, source: string): CheckConfig {
  if (!isObject(raw)) throw inputError(`${source}: the config must be a JSON object like {"checks": {"gc.major.maxMs": "< 100"}}`);
  for (const key of Object.keys(raw)) {
    if (!TOP_KEYS.has(key)) throw inputError(`${source}: unknown key '${key}' (expected checks, baseline, required)`);
  }
  const checksRaw = raw.checks === undefined ? DEFAULT_CONFIG_JSON.checks : raw.checks;
  if (!isObject(checksRaw)) throw inputError(`${source}: 'checks' must be an object of "PATH": "OP VALUE[UNIT]"`);
  const checks: CheckSpec[] = Object.entries(checksRaw).map(([path, text]) => {
    const where = `${source}: checks."${path}"`;
    validatePath(path, where);
    try {
      return { path, threshold: parseThreshold(text, figureKind(path), where) };
    } catch (err) {
      // A unit that "does not fit" an unknown name is most likely a typo in the name.
      if (err instanceof MemprofError && !KNOWN_FIGURES.has(genericPath(path))) {
        throw inputError(`${err.message} ('${path}' is not a figure report.json defines: a typo?)`);
      }
      throw err;
    }
  });

  const baseline = raw.baseline ?? {};
  if (!isObject(baseline)) throw inputError(`${source}: 'baseline' must be an object like {"tolerance": "5%"}`);
  for (const key of Object.keys(baseline)) {
    if (!BASELINE_KEYS.has(key)) throw inputError(`${source}: unknown key 'baseline.${key}' (expected tolerance, tolerances)`);
  }
  const tolerance = parseTolerance(baseline.tolerance ?? '5%', null, `${source}: baseline.tolerance`);
  const tolerances: Record<string, Tolerance> = {};
  if (baseline.tolerances !== undefined) {
    if (!isObject(baseline.tolerances)) throw inputError(`${source}: 'baseline.tolerances' must be an object of "PATH": "5%"`);
    for (const [path, text] of Object.entries(baseline.tolerances)) {
      const where = `${source}: baseline.tolerances."${path}"`;
      if (!checks.some((c) => c.path === path) && !LOAD_FIGURES.some((f) => f.path === path)) {
        throw inputError(`${where}: '${path}' is not one of the checks (nor ${LOAD_FIGURES.map((f) => f.path).join(', ')}, compared with any baseline)`);
      }
      tolerances[path] = parseTolerance(text, figureKind(path), where);
    }
  }

  const requiredRaw = raw.required ?? [];
  if (!Array.isArray(requiredRaw) || requiredRaw.some((p) => typeof p !== 'string')) {
    throw inputError(`${source}: 'required' must be an array of check paths`);
  }
  for (const path of requiredRaw as string[]) {
    if (!checks.some((c) => c.path === path)) throw inputError(`${source}: required: '${path}' is not one of the checks`);
  }
  return { checks, tolerance, tolerances, required: requiredRaw as string[], source };
}

export function defaultConfig(): CheckConfig {
  return parseConfig(DEFAULT_CONFIG_JSON, 'built-in defaults');
}

function validatePath(path: string, where: string): void {
  if (!/^[A-Za-z_$][\w$]*(\.([A-Za-z_$][\w$]*|\*|\d+))*$/.test(path)) {
    throw inputError(`${where}: '${path}' is not a report path like "gc.major.maxMs" or "pools.*.reuseRatio"`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
