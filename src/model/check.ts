/** One row of the checklist (or of the regression gate against a baseline). */
export interface CheckResult {
  /** The figure checked, as a report path with pool names (`pools[sessions].reuseRatio`). */
  id: string;
  /** What the figure is, in words. */
  description: string;
  /** The limit as written in the config (`< 2MiB`), or the baseline rule. */
  limit: string;
  /** The figure, in its own unit (see `unit`); null when it was not measured. */
  measured: number | null;
  /** True only for a pass: a fail, an inconclusive figure and a null figure are false; n/a is true. */
  pass: boolean;
  /** Why it failed or was not applicable (null figure, absent section, baseline regression). */
  reason?: string;
  /** `inconclusive`: the figure's 2σ band straddles the limit; not a pass (pass is false). */
  status?: 'pass' | 'fail' | 'n/a' | 'inconclusive';
  /** The config path this row comes from (`pools.*.reuseRatio` for `pools[sessions].reuseRatio`). */
  path?: string;
  /** What the figure measures, so it can be printed in human units. */
  unit?: 'bytes' | 'bytesPerHour' | 'ms' | 'sec' | 'pct' | 'ratio' | 'count' | 'number';
  /** The comparison of the limit. */
  op?: '<' | '<=' | '>' | '>=' | '==' | '!=';
  /** The limit in the figure's own unit (bytes, ms, ...). */
  limitValue?: number;
  /** `limit`: the checklist; `baseline`: the regression gate against a baseline report. */
  comparison?: 'limit' | 'baseline';
  /** The baseline's figure (baseline rows only); null when the baseline has none. */
  baseline?: number | null;
  /**
   * Standard error of `measured` (figures from a fit, e.g. growth), in its unit. Such a figure
   * passes a limit only when measured ± 2 standard errors is on the passing side of it.
   */
  stdErr?: number;
  /** Fleet reports: the instance this row comes from, the worst of the fleet for this check (`instances[].name`). */
  instance?: string;
}
