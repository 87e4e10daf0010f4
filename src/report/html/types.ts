import type { GcEvent, MemorySample } from '../../model/recording.js';
import type { Report } from '../../model/report.js';

/** What the HTML report is made from: a run directory's files, read by the caller. */
export interface HtmlReportInput {
  /** DIR/report.json. */
  report: Report;
  /** DIR/samples.jsonl, in any order. */
  samples: MemorySample[];
  /** DIR/gc.jsonl, in any order. */
  gcEvents: GcEvent[];
  /** uPlot's dist files, inlined into the page (the caller reads them from node_modules). */
  assets: { uplotJs: string; uplotCss: string };
  /** Where the report was read from, shown in the page header. */
  source?: string;
}

/** One series of a chart, as the page's script hands it to uPlot. */
export interface SeriesSpec {
  label: string;
  color: string;
  /** Which y axis: the left one (`y`, default) or the right one (`y2`). */
  axis?: 'y' | 'y2';
  /** line; points only; a stepped line; a stepped line with its points (a CDF); a dashed line; a band's edge. */
  style: 'line' | 'points' | 'step' | 'cdf' | 'dash' | 'edge';
}

/** One chart: columns of numbers and how to draw them. Serialised into the page as JSON. */
export interface ChartSpec {
  /** The chart's element is `#chart-<id>`. */
  id: string;
  x: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
  series: SeriesSpec[];
  /** uPlot's columns: x first, then one per series (null where a series has no point). */
  data: Array<Array<number | null>>;
  /** Spans of x shaded behind the chart (the run's phases). */
  shades?: Array<{ from: number; to: number; color: string }>;
  /** Fill between two series (1-based indices into series + 1, as uPlot numbers them). */
  fill?: { upper: number; lower: number; color: string };
}

export interface AxisSpec {
  /** The axis title, with its unit: "heap (MiB)". */
  label: string;
  log?: boolean;
}
